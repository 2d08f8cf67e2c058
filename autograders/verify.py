"""`backprop-grader verify`: grade every submission again, out of the student's kernel, and compare.

In nbgrader the hidden tests run in the student's own kernel, after the student's
code: anything that code did (patched NumPy, a fake `autograders` module, hooks,
edited outputs) can fake a pass. Here the student's code runs in a locked-down child
process (sandbox.py) with the notebook's given cells restored from source/, each
graded function is diagnosed by the trusted engine in this process on fresh secret
trials, and the result is compared with the in-kernel score in the gradebook.
Disagreements and static flags (integrity.py) are reported and kept on disk; under
the default policy the verified score replaces a different in-kernel one (as
nbgrader's manual score, so the autograded score stays visible for audit).
"""
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from . import settings
from .course import CourseError, gradebook_url
from .grading import grade
from .integrity import scan
from .nbgrader_plugins import check_ids_in, is_autograder_test
from .sandbox import Sandbox, SandboxError, isolation_available
from .seeds import derive_seed

SALT = "\0verify"          # verification trials differ from the in-kernel ones: nothing to learn from feedback


@dataclass
class CheckResult:
    grade_id: str
    check_id: str
    points: float
    verified: float
    in_kernel: object          # float, or None when the gradebook has no autograded score
    mistakes: list
    message: str = ""


@dataclass
class StudentResult:
    student: str
    assignment: str
    checks: list = field(default_factory=list)
    flags: list = field(default_factory=list)      # one line each, for the instructor
    isolated: bool = True

    @property
    def verified_total(self):
        return sum(c.verified for c in self.checks)


def source_tests(source_nb):
    """[(grade_id, [check ids], points)] of the autograder test cells, read from the SOURCE notebook."""
    tests = []
    for cell in source_nb.cells:
        if is_autograder_test(cell):
            meta = cell.metadata["nbgrader"]
            tests.append((meta["grade_id"], check_ids_in(cell.source), float(meta.get("points", 0))))
    return tests


def runnable_cells(submitted_nb, source_nb):
    """(cells to run, cells written by the student): given cells restored from source, hidden tests left out."""
    from IPython.core.inputtransformer2 import TransformerManager
    transform = TransformerManager().transform_cell
    source = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in source_nb.cells
              if c.metadata.get("nbgrader", {}).get("grade_id")}
    run, own = [], []
    for index, cell in enumerate(submitted_nb.cells):
        if cell.get("cell_type") != "code":
            continue
        original = source.get(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id"))
        if original is not None and is_autograder_test(original):
            continue                                  # the hidden tests are ours to run, not the student's
        if original is not None and original.metadata["nbgrader"].get("locked"):
            run.append((index, transform(original.source)))
            continue
        text = cell.get("source", "")
        text = "".join(text) if isinstance(text, list) else str(text)
        try:
            code = transform(text)
        except Exception:                             # noqa: BLE001 - malformed magics: run as is, it will fail
            code = text
        run.append((index, code))
        own.append((index, text))
    return run, own


def verify_student(root, assignment, student, gb=None):
    """Verify one student's submission of `assignment`; never raises for the student's faults."""
    root = Path(root)
    result = StudentResult(student, assignment, isolated=isolation_available())
    source_path = root / "source" / assignment / f"{assignment}.ipynb"
    source_nb = nbformat.read(str(source_path), as_version=4)
    tests = source_tests(source_nb)
    path = root / "submitted" / student / assignment / f"{assignment}.ipynb"
    try:
        submitted = nbformat.read(str(path), as_version=4)
        cells, own = runnable_cells(submitted, source_nb)
    except Exception as err:                          # noqa: BLE001 - not JSON, not a notebook, missing
        why = "is missing" if not path.exists() else f"cannot be read as a notebook ({type(err).__name__})"
        result.flags.append(f"the submitted notebook {why}: every check scores 0")
        cells, own = [], []
    result.flags.extend(f"static: {f}" for f in scan(own))
    for attempt in (1, 2):
        try:
            result.checks = _verified_checks(root, assignment, student, gb, cells, tests, result)
            break
        except SandboxError as err:              # the grading machine's fault, never the student's
            if attempt == 2:
                result.flags.append(f"unverified: {err}; the in-kernel scores stand")
                return result
    for c in result.checks:
        if c.in_kernel is not None and abs(c.in_kernel - c.verified) > 1e-6:
            result.flags.append(f"score: {c.check_id} got {c.in_kernel:g}/{c.points:g} in the kernel but "
                                f"{c.verified:g}/{c.points:g} verified ({', '.join(c.mistakes) or 'correct'})")
    return result


def _verified_checks(root, assignment, student, gb, cells, tests, result):
    checks = []
    with Sandbox(cells, course_root=root) as sandbox:
        started = sandbox.start() if cells else False
        if cells and not started:
            result.flags.append(f"fault: {sandbox.fault}")
        for index, error in sandbox.load_errors:
            if error.split(":")[0] in ("SystemExit", "KeyboardInterrupt", "MemoryError"):
                result.flags.append(f"fault: cell {index} raised {error}")
        for grade_id, check_ids, points in tests:
            for check_id in check_ids:
                fn = sandbox.function(check_id.split(".")[1]) if started else None
                seed = derive_seed(check_id, student, settings.course_secret() + SALT)
                r = grade(check_id, fn, seed=seed)
                share = points / len(check_ids)
                checks.append(CheckResult(grade_id, check_id, share, round(r.score * share, 6),
                                          _in_kernel(gb, grade_id, assignment, student), list(r.mistakes),
                                          r.message))
    return checks


def _in_kernel(gb, grade_id, assignment, student):
    if gb is None:
        return None
    from nbgrader.api import MissingEntry
    try:
        g = gb.find_grade(grade_id, assignment, assignment, student)
    except MissingEntry:
        return None
    return None if g.auto_score is None else float(g.auto_score)


def apply_policy(gb, result, policy):
    """Under policy 'verified', put each verified score that differs into the gradebook as the manual score."""
    from nbgrader.api import MissingEntry
    changed = 0
    if policy != "verified" or gb is None:
        return changed
    for c in result.checks:
        if c.in_kernel is None or abs(c.in_kernel - c.verified) <= 1e-6:
            continue
        try:
            g = gb.find_grade(c.grade_id, result.assignment, result.assignment, result.student)
        except MissingEntry:
            continue
        g.manual_score = c.verified
        changed += 1
    if changed:
        gb.db.commit()
    return changed


def students(root, assignment):
    folder = Path(root) / "submitted"
    return sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir()) if folder.is_dir() else []


def verify_assignment(root, assignment, policy=None, only=None, progress=None):
    """Verify every submission; writes reports/verify/<assignment>.json; returns [StudentResult]."""
    from nbgrader.api import Gradebook
    root = Path(root)
    policy = policy or settings.VERIFY_POLICY
    if policy not in ("verified", "flag"):
        raise CourseError(f"unknown verify policy {policy!r}: use 'verified' or 'flag'")
    if not (root / "source" / assignment / f"{assignment}.ipynb").exists():
        raise CourseError(f"no source/{assignment}/{assignment}.ipynb in {root}")
    names = [s for s in students(root, assignment) if only is None or s in only]
    results = []
    with Gradebook(gradebook_url(root)) as gb:
        for student in names:
            r = verify_student(root, assignment, student, gb)
            apply_policy(gb, r, policy)
            results.append(r)
            if progress:
                progress(r)
    out = root / "reports" / "verify" / f"{assignment}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"assignment": assignment, "policy": policy, "isolated": isolation_available(),
                               "students": [asdict(r) for r in results]}, indent=1) + "\n")
    return results, out
