"""`backprop-grader demo`: a course directory, a simulated class, graded end to end by real nbgrader.

The class is built from the student-style fixture files in tests/students/:
each student starts from a correct style and, for most exercises, carries one
catalogued mistake, a pair, or something outside the catalogue; a few hand in
a broken notebook, a deleted function, a syntax error or untouched stubs.
"""
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..engine import catalogue
from . import classroom
from ..engine.course import ASSIGNMENTS, CourseError, nbgrader

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "students"
MARKER = ".backprop-demo"
NAMES = ["ada", "alan", "barbara", "claude", "donald", "edsger", "emmy", "frances", "grace", "hedy",
         "ivan", "john", "katherine", "ken", "leslie", "linus", "margaret", "marvin", "niklaus", "radia",
         "richard", "shafi", "sophie", "tim", "tony", "vint", "whitfield", "yann", "yoshua", "zoe"]


@dataclass
class Plan:
    """What one student hands in for one assignment."""
    student: str
    assignment: str
    base: Path                   # a correct style: every graded function
    overlay: Path = None         # functions replaced by a mistaken version
    special: str = ""            # "", "broken", "empty", "missing:<fn>", "syntax:<fn>"

    def expected(self):
        """{check id: mistake ids} this submission should get (special cases: see tests)."""
        exercise = catalogue.load(f"{self.assignment}.{_first_check(self.assignment)}")[0]
        out = {f"{self.assignment}.{c}": () for c in exercise.checks}
        if self.overlay is not None:
            out.update({k: tuple(v) for k, v in classroom_expected(self.overlay).items()
                        if k.startswith(self.assignment + ".")})
        return out


def _first_check(assignment):
    return next(c.split(".")[1] for c in catalogue.all_check_ids() if c.startswith(assignment + "."))


def classroom_expected(path):
    namespace = {}
    exec(compile(Path(path).read_text(), str(path), "exec"), namespace)
    return namespace["EXPECTED"]


def fixtures(assignment, kind):
    files = sorted((FIXTURES / assignment).glob("*.py"))
    if kind == "correct":
        return [f for f in files if f.name.startswith("correct_")]
    if kind == "pair":
        return [f for f in files if f.name.startswith("pair_")]
    if kind == "unrecognised":
        return [f for f in files if f.name.startswith("unrecognised_")]
    return [f for f in files if not f.name.startswith(("correct_", "pair_", "unrecognised_"))]


def roster(n_students=30):
    """The simulated class: a Plan per student and assignment, deterministic."""
    plans = []
    names = [NAMES[k] if k < len(NAMES) else f"student{k + 1:03d}" for k in range(n_students)]
    for a_index, assignment in enumerate(ASSIGNMENTS):
        correct = fixtures(assignment, "correct")
        pools = {kind: fixtures(assignment, kind) for kind in ("single", "pair", "unrecognised")}
        if not correct:
            raise CourseError(f"no correct_*.py fixtures for {assignment} in {FIXTURES}")
        for k, name in enumerate(names):
            slot = (k + a_index) % 10
            kind = {0: None, 1: None, 2: None, 7: "pair", 8: "unrecognised"}.get(slot, "single")
            pool = pools.get(kind) or []
            overlay = pool[(k * 7 + a_index) % len(pool)] if kind and pool else None
            plans.append(Plan(name, assignment, correct[k % len(correct)], overlay))
    _uncatalogued_group(plans, names)
    specials = {("zoe", "matrix_mlp"): "broken", ("yoshua", "multi_path"): "missing:dL_dh1",
                ("yann", "scalar_chain"): "syntax:dL_dw1", ("whitfield", "multi_path"): "empty"}
    for plan in plans:
        plan.special = specials.get((plan.student, plan.assignment), "")
    return plans


def submit(root, plan):
    """Write one student's notebook into submitted/<student>/<assignment>/."""
    release = Path(root) / "release" / plan.assignment / f"{plan.assignment}.ipynb"
    target = Path(root) / "submitted" / plan.student / plan.assignment / f"{plan.assignment}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    (target.parent / "timestamp.txt").write_text("2026-11-24 09:00:00.000000 UTC\n")
    if plan.special == "broken":
        target.write_text('{"cells": [ this is not JSON')
        return target
    nb = nbformat.read(str(release), as_version=4)
    if plan.special != "empty":
        graded = set(classroom.solution_cells(nb))
        classroom.fill(nb, classroom.function_sources(plan.base, graded))
        if plan.overlay is not None:
            classroom.fill(nb, classroom.function_sources(plan.overlay, graded))
    kind, _, fn = plan.special.partition(":")
    if kind == "missing":
        classroom.delete_solution_cell(nb, fn)
    if kind == "syntax":
        cell = classroom.solution_cells(nb)[fn]
        cell.source = cell.source.replace("return", "return (", 1)
    classroom.write(nb, target)
    return target


#: Students of the demo who share one mistake the catalogue does not name (W3 left out of δ2), written in
#: three styles: the report's "Not yet in the catalogue" shows them as one group (discovery/).
UNCATALOGUED = (3, 4, 13, 14, 23)
STYLES = ("vectorised", "loops", "einsum")


def _uncatalogued_group(plans, names):
    chosen = [names[k] for k in UNCATALOGUED if k < len(names)]
    for plan in plans:
        if plan.assignment == "matrix_mlp" and plan.student in chosen:
            style = STYLES[chosen.index(plan.student) % len(STYLES)]
            plan.overlay = FIXTURES / "discovery" / f"forgot_output_weights_{style}.py"


def make_course(root, force=False):
    """A fresh course directory at root: nbgrader_config.py and source/ copied from this repository."""
    root = Path(root).resolve()
    if root.exists() and any(root.iterdir()):
        if not (root / MARKER).exists():
            raise CourseError(f"{root} exists and is not a demo course: choose another --dir")
        if not force:
            raise CourseError(f"{root} already holds a demo course: pass --force to rebuild it")
        shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / MARKER).write_text("made by backprop-grader demo; safe to delete\n")
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(REPO / "source", root / "source", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return root


def release(root):
    for assignment in ASSIGNMENTS:
        nbgrader(root, "generate_assignment", assignment, "--force")
