"""`backprop-grader check-course` and the notebook generator that must not overwrite an instructor's edits.

The three real notebooks pass (the real CLI, with `nbgrader validate`); then each mistake an instructor
could make while editing a notebook in JupyterLab is made in a copy of the course, and the check must
say where (cell id / grade_id) and what, and exit 1. Only the real notebooks and the broken solution
run `nbgrader validate` (a few seconds per notebook); the other mistakes are caught without it.
"""
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograders.instructor import cli

REPO = Path(__file__).resolve().parent.parent
TOOL = REPO / "tools" / "make_notebooks.py"


@pytest.fixture
def course(tmp_path):
    """A copy of this course: nbgrader_config.py and source/."""
    shutil.copy(REPO / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    shutil.copytree(REPO / "source", tmp_path / "source",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return tmp_path


def notebook_path(course, assignment):
    return course / "source" / assignment / f"{assignment}.ipynb"


def edit(course, assignment, change):
    path = notebook_path(course, assignment)
    nb = nbformat.read(str(path), as_version=4)
    change(nb)
    nbformat.write(nb, str(path))


def cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def check_course(course, assignment, capsys, *flags):
    code = cli.main(["check-course", assignment, "--course", str(course), *flags])
    return code, capsys.readouterr().out


def problems(out):
    return [line.strip() for line in out.splitlines() if line.strip().startswith("PROBLEM")]


def test_the_three_notebooks_pass():
    proc = subprocess.run([sys.executable, "-m", "autograders.instructor.cli", "check-course", "all"], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PROBLEM" not in proc.stdout and proc.stdout.count("all good") == 3, proc.stdout
    for points in ("10 of 10", "7 of 7", "14 of 14"):
        assert f"nbgrader validate: full marks with the solutions ({points} autograded points)" in proc.stdout
    assert "every notebook is ready" in proc.stdout


# -- an instructor's mistakes, one at a time, in a copy of the course --------------------------------

def delete_selfcheck(nb):
    nb.cells.remove(cell(nb, "selfcheck_dL_db"))


def typo_in_check_id(nb):
    test = cell(nb, "test_dL_db")
    test.source = test.source.replace('"scalar_chain.dL_db"', '"scalar_chain.dl_db"')


def change_points(nb):
    cell(nb, "test_dL_db").metadata["nbgrader"]["points"] = 2


def code_outside_markers(nb):
    test = cell(nb, "test_dL_db")
    lines = test.source.splitlines()
    call = next(line for line in lines if line.startswith("check("))
    lines.remove(call)
    test.source = "\n".join(lines + [call])


def unlock_given(nb):
    cell(nb, "given_code").metadata["nbgrader"]["locked"] = False


def add_unmarked_given_cell(nb):
    new = nbformat.v4.new_code_cell("LEARNING_RATE = 0.5")
    new.id = "my-new-cell"
    nb.cells.insert(3, new)


def inline_svg_diagram(nb):
    story = nb.cells[0]
    story.source = re.sub(r"!\[[^\]]*\]\(attachment:network\.png[^)]*\)",
                          '<svg width="100" height="50"><circle cx="25" cy="25" r="20"/></svg>', story.source)
    del story["attachments"]


def svg_attachment(nb):             # an SVG attachment: JupyterLab 4 does not draw it
    nb.cells[0].attachments = {"network.png": {"image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg"/>'}}


def assign_the_check(nb):
    test = cell(nb, "test_dL_db")
    test.source = test.source.replace("check(", "score = check(")


def def_inside_solution(nb):
    solution = cell(nb, "dL_db")
    solution.source = "### BEGIN SOLUTION\n" + solution.source.replace("    ### BEGIN SOLUTION\n", "")


def copy_a_test_cell(nb):            # a copy and paste in JupyterLab keeps the grade_id
    test = cell(nb, "test_dL_db")
    twin = nbformat.from_dict(dict(test, id="test-dL-db-copy"))
    nb.cells.insert(nb.cells.index(test) + 1, twin)


MISTAKES = [  # (what the instructor did, where it must be reported, what must be said)
    (delete_selfcheck, "after cell 16 (id dL-db, grade_id dL_db)", "no self-check cell for `dL_db`"),
    (typo_in_check_id, "(id test-dL-db, grade_id test_dL_db)", "check id 'scalar_chain.dl_db' does not exist"),
    (change_points, "(id test-dL-db, grade_id test_dL_db)",
     "check() is given points=3 but the cell's nbgrader points are 2"),
    (code_outside_markers, "(id test-dL-db, grade_id test_dL_db)", "code outside the HIDDEN TESTS markers"),
    (unlock_given, "(id given-code, grade_id given_code)", "is not read-only"),
    (add_unmarked_given_cell, "cell 4 (id my-new-cell)", "'LEARNING_RATE = 0.5') is not read-only"),
    (inline_svg_diagram, "cell 1 (id text-00)", "a picture drawn with inline HTML (<svg...>)"),
    (svg_attachment, "cell 1 (id text-00)", "does not render: JupyterLab shows attachments of type image/png"),
    (assign_the_check, "(id test-dL-db, grade_id test_dL_db)", "check(...) is not the last line of the cell"),
    (copy_a_test_cell, "cell 18 (id test-dL-db, grade_id test_dL_db) and cell 19 (id test-dL-db-copy",
     "nbgrader rejects the cell metadata: Duplicate grade id: test_dL_db"),
    (def_inside_solution, "(id dL-db, grade_id dL_db)", "students would get a stub without `def dL_db(...)`"),
]


@pytest.mark.parametrize("mistake, where, says", MISTAKES, ids=[m[0].__name__ for m in MISTAKES])
def test_a_mistake_is_reported_with_where_and_what(course, capsys, mistake, where, says):
    edit(course, "scalar_chain", mistake)
    code, out = check_course(course, "scalar_chain", capsys, "--static")
    assert code == 1, out
    assert any(where in p and says in p for p in problems(out)), out
    assert "what to do:" in out and "in JupyterLab and run check-course again" in out


def test_an_old_copy_of_selfcheck_beside_the_notebook_is_reported(course, capsys):
    copy = course / "source" / "matrix_mlp" / "selfcheck.py"
    copy.write_text(copy.read_text().replace("EPS = 1e-6", "EPS = 1e-4"))
    code, out = check_course(course, "matrix_mlp", capsys, "--static")
    assert code == 1 and any(f"{copy} differs from {course / 'source' / 'selfcheck.py'}" in p
                             for p in problems(out)), out


def test_the_untouched_copy_passes_statically(course, capsys):
    code, out = check_course(course, "scalar_chain", capsys, "--static")
    assert code == 0 and not problems(out), out


def test_a_solution_that_no_longer_validates(course, capsys):
    def one_path_only(nb):          # the classmate's mistake, in the instructor's own solution
        solution = cell(nb, "dL_db")
        body = solution.source
        assert "return float(np.sum(delta1 + delta2))" in body, body
        solution.source = body.replace("return float(np.sum(delta1 + delta2))", "return float(np.sum(delta2))")
    edit(course, "scalar_chain", one_path_only)
    code, out = check_course(course, "scalar_chain", capsys)
    assert code == 1, out
    found = problems(out)            # dL_db's test, and sgd_step's (sgd_step calls dL_db)
    assert [p.split(": nbgrader validate: ")[0] for p in found] == [
        "PROBLEM  cell 18 (id test-dL-db, grade_id test_dL_db)",
        "PROBLEM  cell 22 (id test-sgd-step, grade_id test_sgd_step)"], out
    assert "0 of 3 points with the solutions in the notebook: scalar_chain.dL_db: not correct" in found[0], out
    assert "only one of the two layers" in found[0], out     # the grader's own diagnosis, for the instructor


# -- the generator ---------------------------------------------------------------------------------

def load_tool():
    spec = importlib.util.spec_from_file_location("make_notebooks_under_test", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generator_refuses_to_overwrite_an_edited_notebook_unless_forced(course):
    path = notebook_path(course, "scalar_chain")
    tool = load_tool()
    assert tool.refusal(path) is None                     # as committed: what the tool last wrote
    nb = nbformat.read(str(path), as_version=4)
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="ran\n")]
    nbformat.write(nb, str(path))
    assert tool.refusal(path) is None                     # running the cells is not an edit
    edit(course, "scalar_chain", lambda nb: setattr(nb.cells[1], "source", nb.cells[1].source + "\n\nNew text."))
    edited = path.read_bytes()
    run = [sys.executable, str(TOOL), "--source", str(course / "source"), "scalar_chain"]
    proc = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"refused: {path} has been edited since this tool wrote it" in proc.stderr, proc.stderr
    assert "--force" in proc.stderr and path.read_bytes() == edited

    proc = subprocess.run(run + ["--force"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rewritten = nbformat.read(str(path), as_version=4)
    assert "New text." not in rewritten.cells[1].source and tool.refusal(path) is None
    committed = nbformat.read(str(REPO / "source" / "scalar_chain" / "scalar_chain.ipynb"), as_version=4)
    assert [c.source for c in rewritten.cells] == [c.source for c in committed.cells]   # (the PNG is Chromium's)

    nb = nbformat.read(str(path), as_version=4)
    del nb.metadata[tool.STAMP]
    nbformat.write(nb, str(path))
    assert "was not written by this tool" in tool.refusal(path)
