"""Red team: real notebook edits through real `nbgrader autograde` plus `backprop-grader verify`.

Each attack starts from wrong functions and must end with no points, or with a flag
that names it (ATTACKS in attacks.py documents each in one line). Honest controls in
the same run keep their marks, and an honest class gets no flags.
"""
import json
import os
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from attacks import ATTACKS, WRONG
from autograders.instructor import classroom, demo
from autograders.engine.course import nbgrader
from autograders.integrity.static_flags import scan

STUDENTS_DIR = demo.FIXTURES
CONTROLS = {"honest_correct": "correct_vectorised", "honest_wrong": "sign_flipped"}
TESTS = ("test_dL_dw2", "test_dL_dw1", "test_dL_db", "test_sgd_step")


def _attack_notebook(release, name):
    _, cell, functions, edit = ATTACKS[name]
    nb = nbformat.read(str(release), as_version=4)
    classroom.fill(nb, WRONG)
    if functions:
        classroom.fill(nb, functions)
    if cell:
        at = next(k for k, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "given_code")
        nb.cells.insert(at + 1, new_code_cell(cell))
    return edit(nb) if edit else nb


@pytest.fixture(scope="module")
def redteam(tmp_path_factory):
    root = demo.make_course(tmp_path_factory.mktemp("redteam") / "course")
    nbgrader(root, "generate_assignment", "scalar_chain", "--force")
    release = root / "release" / "scalar_chain" / "scalar_chain.ipynb"
    for name in ATTACKS:
        classroom.write(_attack_notebook(release, name), root / "submitted" / name / "scalar_chain" / "scalar_chain.ipynb")
    for student, fixture in CONTROLS.items():
        demo.submit(root, demo.Plan(student, "scalar_chain", STUDENTS_DIR / "scalar_chain" / "correct_loops.py",
                                    STUDENTS_DIR / "scalar_chain" / f"{fixture}.py"))
    env = {"BACKPROP_COURSE_SECRET": "redteam-secret"}
    shutil.copytree(root, root.parent / "course-backprop")     # the same class, for backprop-grader autograde
    auto = nbgrader(root, "autograde", "scalar_chain", "--force", "--Execute.timeout=20", env=env, check=False)
    proc = subprocess.run([sys.executable, "-m", "autograders.instructor.cli", "verify", "scalar_chain", "--course", str(root)],
                          capture_output=True, text=True, env={**__import__("os").environ, **env})
    assert proc.returncode == 0, proc.stderr + proc.stdout
    report = json.loads((root / "reports" / "verify" / "scalar_chain.json").read_text())
    verified = {s["student"]: s for s in report["students"]}
    return root, _final(root), verified, auto.stdout


def _final(root):
    from nbgrader.api import Gradebook, MissingEntry
    final = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student in [*ATTACKS, *CONTROLS]:
            try:
                nb = gb.find_submission_notebook("scalar_chain", "scalar_chain", student)
            except MissingEntry:
                final[student] = None                  # nbgrader could not grade it at all: no points
                continue
            final[student] = {g.name: float(g.score or 0) for g in nb.grades if g.name in TESTS}
    return final


@pytest.fixture(scope="module")
def redteam_backprop(redteam):
    """The same class through `backprop-grader autograde` (forked kernels, two workers, verification)."""
    root = redteam[0].parent / "course-backprop"
    proc = subprocess.run([sys.executable, "-m", "autograders.instructor.cli", "autograde", "scalar_chain", "--jobs", "2",
                           "--course", str(root)], capture_output=True, text=True, timeout=900,
                          env={**os.environ, "BACKPROP_COURSE_SECRET": "redteam-secret"})
    assert proc.returncode in (0, 1), proc.stderr + proc.stdout
    return _final(root), proc.stdout


@pytest.mark.parametrize("attack", sorted(ATTACKS), ids=sorted(ATTACKS))
def test_attack_gets_no_points_through_backprop_grader(redteam_backprop, attack):
    final, out = redteam_backprop
    scores = final[attack]
    assert scores is None or sum(scores.values()) == 0, f"{attack} ({ATTACKS[attack][0]}) kept points: {scores}"


def test_honest_control_keeps_its_marks_through_backprop_grader(redteam_backprop):
    final, out = redteam_backprop
    assert final["honest_correct"] == {"test_dL_dw2": 2, "test_dL_dw1": 2, "test_dL_db": 3, "test_sgd_step": 3}, out


@pytest.mark.parametrize("attack", sorted(ATTACKS), ids=sorted(ATTACKS))
def test_attack_gets_no_points(redteam, attack):
    _, final, verified, _ = redteam
    scores = final[attack]
    assert scores is None or sum(scores.values()) == 0, \
        f"{attack} ({ATTACKS[attack][0]}) kept points: {scores}; flags: {verified[attack]['flags']}"


@pytest.mark.parametrize("attack", sorted(ATTACKS), ids=sorted(ATTACKS))
def test_attack_that_fooled_the_kernel_is_flagged(redteam, attack):
    _, _, verified, _ = redteam
    result = verified[attack]
    in_kernel = sum(c["in_kernel"] or 0 for c in result["checks"])
    if in_kernel > 0:
        assert any(f.startswith("score:") for f in result["flags"]), f"{attack}: in-kernel {in_kernel}, no flag"


def test_honest_controls_keep_their_marks_and_get_their_message(redteam):
    _, final, verified, _ = redteam
    assert final["honest_correct"] == {"test_dL_dw2": 2, "test_dL_dw1": 2, "test_dL_db": 3, "test_sgd_step": 3}
    assert verified["honest_correct"]["flags"] == []
    wrong = verified["honest_wrong"]
    assert wrong["flags"] == [], "an honest wrong answer is not an attack"
    assert all(c["verified"] == 0 and "sign_flipped" in c["mistakes"] for c in wrong["checks"])
    assert all(v == 0 for v in final["honest_wrong"].values())


def test_the_gradebook_survives_the_class(redteam):
    root, final, _, _ = redteam
    graded = [s for s, v in final.items() if v is not None]
    assert len(graded) >= len(final) - 2, f"nbgrader lost submissions: {[s for s, v in final.items() if v is None]}"
    assert final["honest_correct"] is not None


def test_an_honest_class_gets_no_flags(graded):
    """The class of the pipeline tests, plus every student-style fixture file: no static or score flags."""
    root, _ = graded
    proc = subprocess.run([sys.executable, "-m", "autograders.instructor.cli", "verify", "--course", str(root),
                           "--policy", "flag"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    submissions = 0
    for assignment in ("scalar_chain", "matrix_mlp", "multi_path"):
        report = json.loads((root / "reports" / "verify" / f"{assignment}.json").read_text())
        for s in report["students"]:
            if s["student"] == "garbled" and assignment == "multi_path":
                continue                               # not a notebook at all: a fault, flagged as such
            submissions += 1
            bad = [f for f in s["flags"] if f.startswith(("static:", "score:"))]
            assert not bad, f"{s['student']} {assignment}: {bad}"
    assert submissions >= 20
    fixtures = sorted(STUDENTS_DIR.glob("*/*.py"))
    flagged = {p.name: scan([(0, p.read_text())]) for p in fixtures}
    assert not any(flagged.values()), {k: [str(f) for f in v] for k, v in flagged.items() if v}
