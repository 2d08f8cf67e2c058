"""`backprop-grader verify`: grade every submission again, out of the student's kernel, and compare.

In nbgrader the hidden tests run in the student's own kernel, after the student's
code: anything that code did (patched NumPy, a fake `autograders` module, hooks,
edited outputs) can fake a pass. Here the student's code runs in a locked-down child
process (sandbox.py) as the kernel runs it (notebook_cells.py: magics, and each test
at its own position in the notebook), each graded function is diagnosed by the
trusted engine in this process on fresh secret trials, and the result is compared
with the in-kernel score in the gradebook. Under the default policy a verified score
that differs is written as nbgrader's manual score, through the ledger (ledger.py),
which undoes it once its cause is gone. What verification cannot reproduce, and any
failure of its own machinery, leaves the submission *unverified*: in-kernel scores stand.
"""
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from ..engine import settings
from ..engine.course import CourseError, gradebook_url
from .evidence import check_writable, merge
from ..engine.grading import grade
from .static_flags import scan
from .secret import verification_secret
from .ledger import Ledger, new_run_id
from .nbgrader_plugins import check_ids_in, is_autograder_test
from .notebook_cells import runnable_cells
from .bubblewrap import available as isolation_available
from .sandbox import Sandbox, SandboxError
from ..engine.seeds import derive_seed



@dataclass
class CheckResult:
    grade_id: str
    check_id: str
    points: float
    verified: float
    in_kernel: object          # float, or None when the gradebook has no autograded score
    mistakes: list
    message: str = ""
    probes: list = None        # outputs on the class-wide probe trials when unrecognised (discovery/probes.py)


@dataclass
class StudentResult:
    student: str
    assignment: str
    checks: list = field(default_factory=list)
    flags: list = field(default_factory=list)      # one line each, for the instructor
    isolated: bool = True
    unverified: str = ""                           # why verification could not stand, or ""
    overrides: list = field(default_factory=list)  # what this run wrote to (or took back from) the gradebook
    run: str = ""

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


def verify_student(root, assignment, student, gb=None, run=""):
    """Verify one student's submission of `assignment`; never raises for the student's faults, and a
    fault of ours makes the result unverified, never a zero."""
    root = Path(root)
    result = StudentResult(student, assignment, isolated=isolation_available(), run=run)
    source_nb = nbformat.read(str(root / "source" / assignment / f"{assignment}.ipynb"), as_version=4)
    tests = source_tests(source_nb)
    path = root / "submitted" / student / assignment / f"{assignment}.ipynb"
    try:
        submitted = nbformat.read(str(path), as_version=4)
    except Exception as err:                          # noqa: BLE001 - not JSON, not a notebook, missing
        why = "is missing" if not path.exists() else f"cannot be read as a notebook ({type(err).__name__})"
        result.flags.append(f"the submitted notebook {why}: every check scores 0")
        submitted = None
    try:
        cells, own, positions, problems = runnable_cells(submitted, source_nb) if submitted else ([], [], {}, [])
        if problems:
            return _unverified(result, "verification cannot run it as the kernel does: " + "; ".join(problems))
        try:
            result.flags.extend(f"static: {f}" for f in scan(own))
        except (RecursionError, MemoryError, ValueError) as err:
            return _unverified(result, f"the static scan failed ({type(err).__name__})")
        for attempt in (1, 2):
            try:
                result.checks = _verified_checks(root, assignment, student, gb, cells, positions, tests, result)
                break
            except SandboxError as err:              # the grading machine's fault, never the student's
                if attempt == 2:
                    return _unverified(result, str(err))
    except Exception as err:                          # noqa: BLE001 - a bug of ours is never the student's zero
        return _unverified(result, f"verification failed ({type(err).__name__}: {str(err)[:200]})")
    if result.unverified:
        return result
    for c in result.checks:
        if c.in_kernel is not None and abs(c.in_kernel - c.verified) > 1e-6:
            result.flags.append(f"score: {c.check_id} got {c.in_kernel:g}/{c.points:g} in the kernel but "
                                f"{c.verified:g}/{c.points:g} verified ({', '.join(c.mistakes) or 'correct'})")
    return result


def _unverified(result, why):
    result.unverified = why
    result.checks = []
    result.flags.append(f"unverified: {why}; the in-kernel scores stand")
    return result


def _segments(cells, positions, tests):
    """[(cells to load, [tests to grade after them])]: each test right after the cells before it."""
    end = max([i for i, _ in cells] + [-1]) + 1
    order = sorted(tests, key=lambda t: positions.get(t[0], end))
    out, done = [], 0
    for test in order:
        upto = [c for c in cells if done <= c[0] < positions.get(test[0], end)]
        done = max(done, positions.get(test[0], end))
        if out and not upto:
            out[-1][1].append(test)
        else:
            out.append((upto, [test]))
    return out


def _verified_checks(root, assignment, student, gb, cells, positions, tests, result):
    checks = []
    secret = verification_secret(root, settings.course_secret())     # trials no kernel can know
    with Sandbox([], course_root=root) as sandbox:
        started = None
        for segment, these in _segments(cells, positions, tests):
            if started is None and cells:
                sandbox.cells = [[int(i), str(s)] for i, s in segment]
                started = sandbox.start()
                if not started:
                    _fault(result, sandbox.fault)
            elif started and segment:
                started = _load_more(sandbox, segment, result)
            for grade_id, check_ids, points in these:
                for check_id in check_ids:
                    fn = sandbox.function(check_id.split(".")[1]) if started else None
                    seed = derive_seed(check_id, student, secret)
                    r = grade(check_id, fn, seed=seed)
                    share = points / len(check_ids)
                    checks.append(CheckResult(grade_id, check_id, share, round(r.score * share, 6),
                                              _in_kernel(gb, grade_id, assignment, student), list(r.mistakes),
                                              r.message, _probes(check_id, fn, r.mistakes)))
        for index, error in sandbox.load_errors:
            if error.split(":")[0] in ("SystemExit", "KeyboardInterrupt", "MemoryError"):
                result.flags.append(f"fault: cell {index} raised {error}")
    return checks


def _probes(check_id, fn, mistakes):
    """The student's outputs on the probe trials, for mistake discovery; None unless unrecognised."""
    from ..engine.discovery import probes
    return probes.record(check_id, fn) if fn is not None and probes.wanted(mistakes) else None


def _fault(result, fault):
    """The child died while loading: the student's doing, unless it was killed by something it did not cause."""
    if "it was killed" in fault and not result.flags:
        raise SandboxError(fault)                     # (retried once, then unverified)
    result.flags.append(f"fault: {fault}")


def _load_more(sandbox, segment, result):
    """Run the next cells in the same process (a restart of the sandbox re-runs all cells so far)."""
    from .sandbox_protocol import ChildGone
    sandbox.cells.extend([int(i), str(s)] for i, s in segment)
    try:
        reply = sandbox._request({"op": "load", "cells": sandbox.cells[-len(segment):]},
                                 settings.VERIFY_LOAD_SECONDS)
    except (ChildGone, TimeoutError) as err:
        sandbox.close()
        _fault(result, str(err) or "running the notebook's cells took too long")
        return False
    sandbox.load_errors = sandbox.load_errors + reply.get("errors", [])
    sandbox.functions = reply.get("functions", [])
    return True


def _in_kernel(gb, grade_id, assignment, student):
    if gb is None:
        return None
    from nbgrader.api import MissingEntry
    try:
        g = gb.find_grade(grade_id, assignment, assignment, student)
    except MissingEntry:
        return None
    return None if g.auto_score is None else float(g.auto_score)


def apply_policy(gb, result, policy, root, submission=""):
    """Reconcile the gradebook with this verification through the ledger: under 'verified' each grade
    whose verified score differs from the in-kernel one gets it as manual score; every other override
    of this submission is undone (flag policy, unverified, or agreement now). Commits; returns lines."""
    wanted = {}
    if policy == "verified" and not result.unverified:
        per_grade = {}
        for c in result.checks:
            if c.in_kernel is not None:
                kernel, verified, why = per_grade.get(c.grade_id, (c.in_kernel, 0.0, []))
                per_grade[c.grade_id] = (kernel, verified + c.verified,
                                         why + [f"{c.check_id}: {', '.join(c.mistakes) or 'correct'}"])
        wanted = {g: (round(v, 6), f"verified {v:g} out of the kernel ({'; '.join(why)})")
                  for g, (kernel, v, why) in per_grade.items() if abs(kernel - v) > 1e-6}
    gone = ("verification could not run it" if result.unverified else
            "the verified score now agrees" if policy == "verified" else "the policy is 'flag'")
    ledger = Ledger(root, result.assignment, result.student)
    lines = ledger.reconcile(gb, wanted, result.run, submission, gone)
    try:
        ledger.save()
    except OSError as err:
        gb.db.rollback()
        raise CourseError(f"cannot write the ledger {ledger.path} ({err.strerror}): the gradebook was "
                          "left unchanged") from None
    gb.db.commit()
    result.overrides = lines
    return lines


def students(root, assignment):
    folder = Path(root) / "submitted"
    return sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir()) if folder.is_dir() else []


def verify_assignment(root, assignment, policy=None, only=None, progress=None, db_url=None):
    """Verify every submission (or `only` those); merges reports/verify/<assignment>.json; ([StudentResult], path)."""
    from nbgrader.api import Gradebook
    from .ledger import submission_hash
    root = Path(root)
    policy = policy or settings.VERIFY_POLICY
    if policy not in ("verified", "flag"):
        raise CourseError(f"unknown verify policy {policy!r}: use 'verified' or 'flag'")
    if not (root / "source" / assignment / f"{assignment}.ipynb").exists():
        raise CourseError(f"no source/{assignment}/{assignment}.ipynb in {root}")
    out = check_writable(root, assignment)
    names = [s for s in students(root, assignment) if only is None or s in only]
    results, run = [], new_run_id()
    with Gradebook(gradebook_url(root, db_url)) as gb:
        for student in names:
            r = verify_student(root, assignment, student, gb, run)
            apply_policy(gb, r, policy, root, submission_hash(root, assignment, student))
            results.append(r)
            if progress:
                progress(r)
    merge(root, assignment, [asdict(r) for r in results], policy)
    return results, out


def undo(root, assignment, only=None, db_url=None):
    """Take back every override of the ledger (or of `only` those students): the gradebook as nbgrader left
    it. A score a person changed since is left alone. Returns lines for the instructor."""
    from nbgrader.api import Gradebook
    from .ledger import every
    lines = []
    with Gradebook(gradebook_url(root, db_url)) as gb:
        for ledger in every(root, assignment):
            if only and ledger.student not in only:
                continue
            done = ledger.undo_all(gb, "verify --undo")
            ledger.save()
            gb.db.commit()
            lines += [f"{ledger.student}: {line}" for line in done]
    return lines
