"""`backprop-grader check-course`: is an edited instructor notebook still a working course notebook?

The instructor notebook source/<a>/<a>.ipynb is the one source of truth: an instructor edits it in
JupyterLab (Create Assignment toolbar) and runs this check afterwards. Per notebook it says in plain
words what is fine and, for each problem, where it is (cell number, cell id, grade_id) and what to do:

- every graded function of the exercise (the catalogue's checks) has its solution cell, its one-line
  self-check and its hidden test; the released stub still defines the function;
- every hidden test calls check() with a check id that exists, on the function of that name, as the
  cell's last line, with the points of the cell's nbgrader metadata;
- hidden test code sits between the HIDDEN TESTS markers (nbgrader's own ClearHiddenTests decides), and
  given code cells are read-only (nbgrader's is_locked), so autograding restores them
  (course_check_render.py);
- the story's diagram is an attachment JupyterLab draws (PNG, not SVG) with alt text, not inline SVG
  or HTML (course_check_render.py);
- `nbgrader validate` of a temporary copy of the notebook gives full marks (course_check_render.py).
"""
import nbformat

from ..engine.course import source_notebook
from . import course_check_render as render
from .course_check_cells import check_graded_functions, check_hidden_tests, check_metadata, ok, problem


def check_notebook(root, assignment, validate=True):
    """The findings for source/<assignment>/<assignment>.ipynb of the course at `root`."""
    path = source_notebook(root, assignment)
    if not path.is_file():
        return [problem("", f"{path} does not exist", "restore it, e.g. from git")]
    try:
        nb = nbformat.read(str(path), as_version=4)
        nbformat.validate(nb)
    except Exception as err:                        # noqa: BLE001 - any unreadable notebook: say why, in one line
        return [problem("", f"not a valid notebook: {type(err).__name__}: {str(err).splitlines()[0][:200]}",
                        "undo the last edit (git diff shows it)")]
    findings = check_metadata(nb)
    findings += check_graded_functions(nb, assignment, path.parent / "selfcheck.py")
    findings += check_hidden_tests(nb, assignment) + render.check_markers(nb) + render.check_locked(nb)
    findings += render.check_diagram(nb)
    if validate:
        findings += render.check_validate(root, path)
    else:
        findings.append(ok("nbgrader validate: not run (--static)"))
    return findings


def report(assignment, path, findings, out=print):
    out(f"{assignment}: {path}")
    for f in findings:
        if f.ok:
            out(f"  OK       {f.text}")
        else:
            out(f"  PROBLEM  {f.where + ': ' if f.where else ''}{f.text}")
            out(f"           what to do: {f.todo}")
    bad = sum(not f.ok for f in findings)
    out(f"  {'all good' if not bad else f'{bad} problem' + ('s' if bad > 1 else '')}\n")
    return bad


def check_course(root, assignments, validate=True, out=print):
    """Check and report each notebook; 0 when all are good, 1 when any has a problem."""
    bad = 0
    for assignment in assignments:
        path = source_notebook(root, assignment)
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        bad += report(assignment, shown, check_notebook(root, assignment, validate), out)
    out("check-course: " + ("every notebook is ready" if not bad else
                            f"{bad} problem{'s' if bad > 1 else ''}: fix {'them' if bad > 1 else 'it'} in JupyterLab "
                            "and run check-course again"))
    return 1 if bad else 0
