"""End to end through real nbgrader: release, autograde, feedback and export in a temporary course.

One class is graded once per session (real kernels: this is the slow part of the suite);
each test then reads what nbgrader produced.
"""
import csv
import html
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograders.instructor import classroom
from autograders.engine.course import ASSIGNMENTS

def feedback_html(root, student, assignment):
    return (root / "feedback" / student / assignment / f"{assignment}.html").read_text()


# -- the release ------------------------------------------------------------------------------

@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_solutions_and_no_hidden_tests(course, assignment):
    text = (course / "release" / assignment / f"{assignment}.ipynb").read_text()
    for leak in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "from autograders", "solutions"):
        assert leak not in text, f"release of {assignment} contains {leak!r}"
    assert not re.search(r"(?<![\w.])check\(", text), f"release of {assignment} calls the grader's check("
    nb = nbformat.reads(text, as_version=4)
    for name, cell in classroom.solution_cells(nb).items():
        assert "raise NotImplementedError" in cell.source, f"{assignment}: stub of {name} does not raise"


#: Grader code, as it could only appear if it had leaked into a released file.
GRADER_WORDS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "import autograders", "from autograders",
                "import solutions", "from solutions", "catalogue", "mutant", "derive_seed", "course_secret",
                "BACKPROP_COURSE_SECRET", "diagnos", "PerturbationTracer", "sandbox", "gradebook", "from .")
REPO = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"(?<![\w.])-?(\d+\.\d*|\.\d+|\d+)(?:[eE]([-+]?\d+))?")


def _released_module(course, assignment):
    """release/<assignment>/selfcheck.py, imported (without bytecode) to read its public examples."""
    import importlib.util
    import sys
    spec = importlib.util.spec_from_file_location(f"released_selfcheck_{assignment}",
                                                  course / "release" / assignment / "selfcheck.py")
    module = importlib.util.module_from_spec(spec)
    before, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = before
    return module


def _reference_values(module):
    """Every entry of every reference answer (solutions/) on the self-checks' own fixed examples."""
    import importlib
    import numpy as np
    values = []
    for check_id in module.CHECKS:
        exercise, name = check_id.split(".")
        args = list(module.EXERCISES[exercise].example().values()) + ([0.5] if name == "sgd_step" else [])
        answer = getattr(importlib.import_module(f"solutions.{exercise}"), name)(*args)
        values += [float(v) for v in np.ravel(np.asarray(answer, dtype=float))]
    return values


def _written_as(literal, value):
    """Is `value` the number `literal` (digits as written) rounded to the literal's own precision?"""
    digits = re.sub(r"[eE].*", "", literal).lstrip("-")
    significant = len(re.sub(r"^[0.]+", "", digits.replace(".", "", 1)).rstrip("0") or "0")
    if significant < 3:
        return False                                # 0.8, 1.3, 500: the examples' own inputs, or layout
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    exponent = int(literal.lower().split("e")[1]) if "e" in literal.lower() else 0
    return abs(float(literal) - value) <= 0.5 * 10.0 ** (exponent - decimals) + 1e-15


def _grader_lines(course, assignment):
    """Lines of code only the reference has: the solution cells of the source notebook and solutions/
    (not the given forward pass, which the notebook shows anyway). The grader's own code is caught by
    GRADER_WORDS: its generic lines (`except (TypeError, ValueError):`) are no secret."""
    source = nbformat.read(str(course / "source" / assignment / f"{assignment}.ipynb"), as_version=4)
    given = {l.strip() for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "given_code"
             for l in c.source.splitlines()}
    lines = set()
    for cell in source.cells:
        m = re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", cell.source, flags=re.S)
        lines |= {l.strip() for block in m for l in block.splitlines()}
    for path in (REPO / "solutions").glob("*.py"):
        lines |= {l.strip() for l in path.read_text().splitlines()
                  if not l.strip().startswith(("#", "import ", "from ", '"""', "def ", "return None", "raise "))}
    return {l for l in lines if len(l) >= 16 and l not in given}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_released_files_hold_no_reference_value_and_no_grader_code(course, assignment):
    folder = course / "release" / assignment
    released = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert [p.name for p in released] == sorted([f"{assignment}.ipynb", "selfcheck.py"]), released
    assert (folder / "selfcheck.py").read_text() == (REPO / "source" / "selfcheck.py").read_text()
    references = [v for v in _reference_values(_released_module(course, assignment)) if abs(v) > 1e-12]
    grader_lines = _grader_lines(course, assignment)
    for path in released:
        text = path.read_text()
        if path.suffix == ".ipynb":                 # what the student reads: the cells, not the JSON escapes
            text = "\n".join(c.source for c in nbformat.reads(text, as_version=4).cells)
        for word in GRADER_WORDS:
            assert word not in text, f"{path.name} of {assignment} contains {word!r}"
        shared = grader_lines & {l.strip() for l in text.splitlines()}
        assert not shared, f"{path.name} of {assignment} contains grader code: {sorted(shared)[:3]}"
        for match in NUMBER.finditer(text):
            literal = match.group(0)
            hit = next((v for v in references if _written_as(literal, v)), None)
            assert hit is None, f"{path.name} of {assignment} holds {literal}, a reference value ({hit!r})"


def test_the_reference_value_check_would_see_a_leak():
    assert _written_as("0.0574281", 0.05742813) and _written_as("-1.23e-3", -0.0012304)
    assert not _written_as("0.8", 0.8) and not _written_as("0.0574", 0.0575)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_released_notebook_runs_top_to_bottom(course, assignment):
    folder = course / "release" / assignment           # run where a student runs it: selfcheck.py beside it
    nb = nbformat.read(str(folder / f"{assignment}.ipynb"), as_version=4)
    NotebookClient(nb, timeout=120, allow_errors=True, resources={"metadata": {"path": str(folder)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert all(e.ename == "NotImplementedError" for e in errors), \
        f"{assignment}: errors other than the stubs' NotImplementedError: {[(e.ename, e.evalue) for e in errors]}"
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id", "").startswith("selfcheck_"):
            said = "".join(o.get("text", "") for o in cell.outputs)
            assert said.startswith("Not implemented yet"), f"{assignment}: {cell.source!r} said {said!r}"


# -- the graded class -------------------------------------------------------------------------

def test_solution_notebooks_get_full_marks(graded):
    root, rows = graded
    mine = [r for (s, _), r in rows.items() if s == "solver"]
    assert len(mine) == 12
    for r in mine:
        assert r.score == r.points and r.mistakes == (), f"solver {r.check_id}: {r.score}/{r.points} {r.mistakes}"


@pytest.mark.parametrize("student, check_id, mistake", [
    ("elementwise", "matrix_mlp.df_dW1", "elementwise_chain"),
    ("onepath", "multi_path.dL_dh1", "single_output_path"),
    ("onepath", "scalar_chain.dL_db", "bias_single_path"),
    ("flipped", "scalar_chain.dL_dw2", "sign_flipped"),
])
def test_a_mistake_costs_its_check_and_its_message_reaches_the_feedback(graded, student, check_id, mistake):
    root, rows = graded
    assignment = check_id.split(".")[0]
    r = rows[(student, check_id)]
    assert r.score == 0 and mistake in r.mistakes, f"{student} {check_id}: {r}"
    others = [x for (s, c), x in rows.items() if s == student and c.startswith(assignment) and not x.mistakes]
    assert all(x.score == x.points for x in others), "the other checks keep their marks"
    page = html.unescape(feedback_html(root, student, assignment))
    from autograders.engine.catalogue import load
    exercise, _ = load(check_id)
    what = next(m.what for m in exercise.mistakes if m.id == mistake)
    assert what in page, f"feedback of {student} lacks the message for {mistake}"


def test_feedback_shows_no_hidden_code_no_traceback_no_reference(graded):
    root, _ = graded
    for page_path in (root / "feedback").rglob("*.html"):
        page = html.unescape(re.sub(r"<style.*?</style>", "", page_path.read_text(), flags=re.S))
        for leak in ("from autograders import check", "BEGIN HIDDEN TESTS", "Traceback", "site-packages",
                     "autograders/engine/grading.py"):
            assert leak not in page, f"{page_path} shows {leak!r}"


def test_stderr_and_warnings_from_a_correct_function_cost_nothing(graded):
    _, rows = graded
    for (s, c), r in rows.items():
        if s == "noisy":
            assert r.score == r.points, f"noisy {c}: {r}"


@pytest.mark.parametrize("student, assignment, broken, message", [
    ("typo", "scalar_chain", "scalar_chain.dL_dw1", "not defined"),
    ("deleter", "multi_path", "multi_path.dL_dh1", "not defined"),
])
def test_broken_code_zeroes_what_it_affects_and_grading_goes_on(graded, student, assignment, broken, message):
    root, rows = graded
    mine = {c: r for (s, c), r in rows.items() if s == student and c.startswith(assignment)}
    assert mine[broken].score == 0
    assert any(r.score == r.points for c, r in mine.items() if c != broken), "other checks still graded"
    assert message in html.unescape(feedback_html(root, student, assignment))


def test_an_empty_submission_gets_zero_with_not_implemented(graded):
    root, rows = graded
    mine = [r for (s, c), r in rows.items() if s == "blank" and c.startswith("matrix_mlp")]
    assert mine and all(r.score == 0 and r.mistakes == ("raised",) for r in mine)
    assert "not implemented yet" in html.unescape(feedback_html(root, "blank", "matrix_mlp"))


def test_a_malformed_notebook_does_not_stop_the_class(graded):
    root, rows = graded
    assert not any(s == "garbled" and c.startswith("multi_path") and r.score > 0 for (s, c), r in rows.items())
    assert rows[("solver", "multi_path.dL_dw")].score > 0, "the rest of the class is graded"
    assert (root / "submitted" / "garbled" / "multi_path" / "multi_path.ipynb").exists(), "nothing is lost"


def test_a_deleted_test_cell_gives_no_points_for_it(graded):
    _, rows = graded
    r = rows.get(("cellcutter", "scalar_chain.dL_db"))
    assert r is not None and r.score == 0, f"deleting the hidden test must not earn its points: {r}"


def test_exported_grades_match_the_gradebook(graded):
    root, _ = graded
    from nbgrader.api import Gradebook
    with open(root / "grades.csv") as f:
        exported = list(csv.DictReader(f))
    assert exported
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for line in exported:
            try:
                sub = gb.find_submission(line["assignment"], line["student_id"])
            except Exception:
                assert float(line["score"]) == 0
                continue
            assert float(line["score"]) == pytest.approx(sub.score), f"{line}"
