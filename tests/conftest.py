import os
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).parent))        # `import students` from the tests

# nbgrader shells out to alembic: this interpreter's bin/ must be on PATH, activated venv or not.
os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# -- a class graded once per session by real nbgrader (shared by the pipeline, browser and report tests) --
from autograders.instructor import demo                                 # noqa: E402  (after PATH is set)
from autograders.engine.course import ASSIGNMENTS, nbgrader           # noqa: E402
from autograders.instructor.records import collect                        # noqa: E402

STUDENTS = Path(__file__).parent / "students"
SECRET = {"BACKPROP_COURSE_SECRET": "pipeline-test-secret"}


def fixture(assignment, name):
    path = STUDENTS / assignment / f"{name}.py"
    assert path.exists(), f"missing student fixture {path}"
    return path


def correct(assignment):
    return sorted((STUDENTS / assignment).glob("correct_*.py"))[0]


# student -> assignment -> (overlay fixture name or None, special)
CLASS = {
    "solver": {a: (None, "") for a in ASSIGNMENTS},
    "elementwise": {"matrix_mlp": ("elementwise_chain", "")},
    "onepath": {"multi_path": ("single_output_path", ""), "scalar_chain": ("bias_single_path", "")},
    "flipped": {"scalar_chain": ("sign_flipped", "")},
    "noisy": {"matrix_mlp": ("noisy", "")},
    "typo": {"scalar_chain": (None, "syntax:dL_dw1")},
    "deleter": {"multi_path": (None, "missing:dL_dh1")},
    "blank": {"matrix_mlp": (None, "empty")},
    "garbled": {"multi_path": (None, "broken")},
    "cellcutter": {"scalar_chain": (None, "delete_test:dL_db")},
}


def _submit(root, student, assignment, overlay, special):
    if overlay == "noisy":
        base, overlay_path = STUDENTS / "contract" / "correct_noisy.py", None
    else:
        base, overlay_path = correct(assignment), (fixture(assignment, overlay) if overlay else None)
    if special == "delete_test:dL_db":
        plan = demo.Plan(student, assignment, base, overlay_path)
        path = demo.submit(root, plan)
        nb = nbformat.read(str(path), as_version=4)
        nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_dL_db"]
        nbformat.write(nb, str(path))
        return
    demo.submit(root, demo.Plan(student, assignment, base, overlay_path, special))


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    root = demo.make_course(tmp_path_factory.mktemp("course") / "backprop")
    demo.release(root)
    return root


@pytest.fixture(scope="session")
def graded(course):
    root = course
    for student, work in CLASS.items():
        for assignment in ASSIGNMENTS:
            overlay, special = work.get(assignment, (None, ""))
            if student == "solver":
                target = root / "submitted" / student / assignment / f"{assignment}.ipynb"
                target.parent.mkdir(parents=True, exist_ok=True)
                (target.parent / "timestamp.txt").write_text("2026-11-24 09:00:00.000000 UTC\n")
                target.write_bytes((root / "source" / assignment / f"{assignment}.ipynb").read_bytes())
            else:
                _submit(root, student, assignment, overlay, special)
    for assignment in ASSIGNMENTS:
        nbgrader(root, "autograde", assignment, "--force", env=SECRET, check=False)   # exit 1: "garbled"
        nbgrader(root, "generate_feedback", assignment, "--force")
    nbgrader(root, "export")
    rows = {}
    for assignment in ASSIGNMENTS:
        for r in collect(root, assignment):
            rows[(r.student, r.check_id)] = r
    return root, rows


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium, one per test module."""
    from browsers import CHROMIUM, FLAGS, MISSING
    if CHROMIUM is None:
        pytest.fail(MISSING)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()
