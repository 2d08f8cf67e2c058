"""The one-line public self-checks: source/selfcheck.py, the cells that call it, and what a student sees.

The module is tested in-process on every check id (fast); the released notebooks' own one-line
cells are then run by `jupyter nbconvert --execute` from another folder (the module is found from
the notebook's folder) and, once, in a real JupyterLab in headless Chromium.
"""
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograders.engine.course import ASSIGNMENTS

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "source"


def _load_module():
    """source/selfcheck.py as a module, without writing bytecode into source/ (nbgrader would not
    release it anyway, but it is not ours to litter)."""
    spec = importlib.util.spec_from_file_location("selfcheck_under_test", SOURCE / "selfcheck.py")
    module = importlib.util.module_from_spec(spec)
    before, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = before
    return module


selfcheck = _load_module()
CHECK_IDS = sorted(selfcheck.CHECKS)


def _cells(assignment, where=SOURCE):
    return nbformat.read(str(where / assignment / f"{assignment}.ipynb"), as_version=4).cells


def _grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id", "")


def notebook_namespace(assignment, with_solutions=True):
    """What a student's kernel holds after the given code (and the reference solutions, instructor side)."""
    namespace = {"self_check": selfcheck.self_check}
    for cell in _cells(assignment):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and (meta.get("grade_id") == "given_code" or
                                         (with_solutions and meta.get("solution"))):
            exec(cell.source, namespace)
    return namespace


def run_self_check(namespace, check_id, capsys):
    """Call self_check as the cell does (from the notebook's namespace) and return what it printed."""
    exec(f"self_check({check_id!r})", namespace)
    out = capsys.readouterr()
    assert out.err == "", f"{check_id}: the self-check wrote to stderr: {out.err}"
    return out.out


def is_matrix(check_id):
    return check_id.startswith("matrix_mlp.")


def _number_or_step(check_id):
    return selfcheck.CHECKS[check_id].__class__.__name__ == "Step" or selfcheck.CHECKS[check_id].shape is None


#: Student attempts, written as a student would (the reference is `_right`, defined in the notebook),
#: and what the self-check must say about each: (variant, code, [phrases], [phrases it must not print]).
def variants(check_id):
    name = check_id.split(".")[1]
    wrong_shape = ("return (1.0, 2.0)" if name == "sgd_step" else "return np.zeros(7)")
    shape_says = ("should return a tuple" if name == "sgd_step" else
                  "should return one number" if _number_or_step(check_id) else "Shape differs")
    out = [
        ("correct", f"{name} = _right", ["agrees"], ["differs", "raised", "Not implemented"]),
        ("wrong_shape", f"def {name}(*args):\n    {wrong_shape}", [shape_says], ["agrees", "Traceback"]),
        ("raising", f"def {name}(*args):\n    raise ValueError('shapes (3,) and (5,) not aligned')",
         [f"{name} raised ValueError: shapes (3,) and (5,) not aligned", "Fix this first"], ["agrees"]),
        ("not_implemented", f"def {name}(*args):\n    # YOUR CODE HERE\n    raise NotImplementedError()",
         ["Not implemented yet"], ["agrees", "raised"]),
        ("off_by_a_factor", f"def {name}(*args):\n    return _scaled(_right(*args))",
         ["differs", "finite difference"], ["raised"]),
    ]
    if is_matrix(check_id):
        out.append(("transposed", f"def {name}(*args):\n    return _right(*args).T",
                    ["Shape differs", "It looks transposed"], ["agrees"]))
    return out


SCALED = "def _scaled(v):\n    return tuple(x * 1.5 for x in v) if isinstance(v, tuple) else v * 1.5"


# -- the module, in-process -----------------------------------------------------------------------

CASES = [(c, v) for c in CHECK_IDS for v in variants(c)]


@pytest.mark.parametrize("check_id, variant", CASES, ids=[f"{c}:{v[0]}" for c, v in CASES])
def test_self_check_says_what_it_found(check_id, variant, capsys):
    kind, code, says, never = variant
    namespace = notebook_namespace(check_id.split(".")[0])
    name = check_id.split(".")[1]
    namespace["_right"] = namespace[name]
    exec(SCALED, namespace)
    exec(code, namespace)
    printed = run_self_check(namespace, check_id, capsys)
    for phrase in says:
        assert phrase in printed, f"{check_id}, {kind}: {phrase!r} missing from:\n{printed}"
    for phrase in never:
        assert phrase not in printed, f"{check_id}, {kind}: {phrase!r} in:\n{printed}"


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_a_correct_function_agrees_on_every_spot_and_the_shape_is_named(check_id, capsys):
    namespace = notebook_namespace(check_id.split(".")[0])
    printed = run_self_check(namespace, check_id, capsys)
    spots = getattr(selfcheck.CHECKS[check_id], "spots", (("w1",), ("w2",), ("b",)))
    assert printed.count("agrees") == len(spots), printed
    assert printed.startswith(("Type OK", "Shape OK")), printed
    if not _number_or_step(check_id):
        name = check_id.split(".")[1]
        want = notebook_namespace(check_id.split(".")[0])[name](*selfcheck.EXERCISES[
            check_id.split(".")[0]].example().values()).shape
        assert f"Shape OK: {want}" in printed, printed


@pytest.mark.parametrize("check_id", ["scalar_chain.dL_db", "matrix_mlp.df_dW1", "multi_path.dL_dh1"])
def test_before_the_given_code_or_the_function_ran_a_plain_message(check_id, capsys):
    empty = {"self_check": selfcheck.self_check}
    assert "Run the given code cell at the top first" in run_self_check(empty, check_id, capsys)
    given_only = notebook_namespace(check_id.split(".")[0], with_solutions=False)
    assert "is not defined yet" in run_self_check(given_only, check_id, capsys)


def test_returns_that_are_not_answers_get_a_sentence(capsys):
    namespace = notebook_namespace("scalar_chain")
    for code, phrase in [("def dL_dw2(*a):\n    pass", "returned None: is a `return` missing?"),
                         ("def dL_dw2(x, y, w1, w2, b):\n    return x * w2", "add up the per-sample terms"),
                         ("def dL_dw2(*a):\n    return float('nan')", "division by zero or an overflow"),
                         ("def dL_dw2(*a):\n    return 'a string'", "should return one number")]:
        exec(code, namespace)
        assert phrase in run_self_check(namespace, "scalar_chain.dL_dw2", capsys), code
    namespace = notebook_namespace("matrix_mlp")
    exec("def df_dW3(*a):\n    return [[1.0, 2.0]]", namespace)
    assert "should return a NumPy array of shape (1, 5)" in run_self_check(namespace, "matrix_mlp.df_dW3", capsys)


def test_the_function_gets_copies_and_the_line_of_an_error_is_shown(capsys):
    namespace = notebook_namespace("matrix_mlp")
    namespace["_right"] = namespace["df_dW1"]
    exec("def df_dW1(x, W1, W2, W3):\n    W1[:] = 0\n    return _right(x, W1, W2, W3)\n", namespace)
    printed = run_self_check(namespace, "matrix_mlp.df_dW1", capsys)
    assert "differs" in printed, "a function that zeroes W1 is compared at the example's own W1:\n" + printed
    code = "def df_dW2(x, W1, W2, W3):\n    h1, h2, f = forward(x, W1, W2, W3)\n    return h2 @ h1\n"
    exec(compile(code, "<cell 9>", "exec"), namespace)
    import linecache
    linecache.cache["<cell 9>"] = (len(code), None, code.splitlines(True), "<cell 9>")
    printed = run_self_check(namespace, "matrix_mlp.df_dW2", capsys)
    assert "df_dW2 raised ValueError" in printed and "line 3: return h2 @ h1" in printed, printed


def test_unknown_check_id_and_a_broken_forward_pass_are_sentences_not_tracebacks(capsys):
    namespace = notebook_namespace("multi_path")
    assert "There is no self-check called 'multi_path.dL_dw9'" in run_self_check(namespace, "multi_path.dL_dw9",
                                                                                  capsys)
    exec("def loss(*a):\n    raise KeyError('broken')", namespace)
    assert "The self-check could not finish (KeyError" in run_self_check(namespace, "multi_path.dL_dw5", capsys)


# -- the seam for the formative feedback service (issue 16) --------------------------------------

class FakeService:
    def __init__(self, answer):
        self.answer, self.asked = answer, []

    def check(self, check_id, fn):
        self.asked.append(check_id)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.mark.parametrize("answer, shows", [
    ("elementwise_chain: the factors are multiplied elementwise", "elementwise_chain"),
    (None, "Finite-difference spot check on W1[2, 1]: agrees"),
    (ConnectionError("service down"), "Finite-difference spot check on W1[2, 1]: agrees"),
])
def test_a_configured_service_answers_through_the_same_call_and_finite_differences_are_the_fallback(
        monkeypatch, capsys, answer, shows):
    service = FakeService(answer)
    monkeypatch.setattr(selfcheck, "formative_service", lambda: service)
    printed = run_self_check(notebook_namespace("matrix_mlp"), "matrix_mlp.df_dW1", capsys)
    assert service.asked == ["matrix_mlp.df_dW1"] and shows in printed, printed
    assert "Traceback" not in printed and "service down" not in printed


def test_no_service_is_configured_by_default():
    assert selfcheck.formative_service() is None


# -- the cells and the copies ----------------------------------------------------------------------

@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_self_check_cell_is_one_locked_line_with_a_not_graded_comment(assignment):
    cells = [c for c in _cells(assignment) if _grade_id(c).startswith("selfcheck_")]
    graded = [_grade_id(c) for c in _cells(assignment) if c.metadata.get("nbgrader", {}).get("solution")
              and c.cell_type == "code"]
    assert [_grade_id(c) for c in cells] == [f"selfcheck_{g}" for g in graded]
    for cell in cells:
        name = _grade_id(cell)[len("selfcheck_"):]
        comment, code = cell.source.splitlines()
        assert comment.startswith("#") and "not graded" in comment, cell.source
        assert code == f'from selfcheck import self_check; self_check("{assignment}.{name}")', code
        assert f"{assignment}.{name}" in selfcheck.CHECKS
        meta = cell.metadata["nbgrader"]
        assert meta["locked"] and not meta["grade"] and not meta["solution"], meta


def test_the_module_beside_each_notebook_is_the_one_in_source():
    """The notebooks themselves are the source of truth (edited in JupyterLab, checked by check-course,
    tests/test_course_check.py); the copies of selfcheck.py beside them must be the course's own."""
    master = (SOURCE / "selfcheck.py").read_text()
    for assignment in ASSIGNMENTS:
        assert (SOURCE / assignment / "selfcheck.py").read_text() == master, \
            f"source/{assignment}/selfcheck.py differs from source/selfcheck.py: copy it there"


# -- the released notebooks, run as a student runs them -------------------------------------------

def trial_notebook(assignment, release_dir):
    """The released notebook's own self-check cells, run first before the given code, then after each
    attempt of every variant; the attempts are written into cells as a student would write them."""
    released = _cells(assignment, release_dir)
    by_id = {_grade_id(c): c for c in released}
    source = {_grade_id(c): c for c in _cells(assignment)}
    cells, expect = [], []

    def add(cell_source, says=(), never=()):
        cells.append(nbformat.v4.new_code_cell(cell_source))
        expect.append((says, never))

    first = next(c for c in released if _grade_id(c).startswith("selfcheck_"))
    add(first.source, ["Run the given code cell at the top first"], ["Traceback"])
    add(by_id["given_code"].source)
    add(SCALED)
    for check_id in [c for c in CHECK_IDS if c.startswith(assignment + ".")]:
        name = check_id.split(".")[1]
        add(source[name].source + f"\n_right = {name}")
        for kind, code, says, never in variants(check_id):
            add(code)
            add(by_id[f"selfcheck_{name}"].source, says, never)
        add(f"{name} = _right")                                  # later checks (sgd_step) call it
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return nb, expect


def test_released_self_check_cells_in_jupyter_nbconvert_execute(course, tmp_path):
    """Plain `jupyter nbconvert --execute`, started from another folder: the module is found from the
    notebook's folder, every variant prints its sentence and no cell ends in an error."""
    expectations, paths = {}, []
    for assignment in ASSIGNMENTS:
        release_dir = course / "release"
        folder = tmp_path / assignment
        shutil.copytree(release_dir / assignment, folder)        # what a student fetched: notebook + module
        nb, expect = trial_notebook(assignment, release_dir)
        path = folder / "trial.ipynb"
        nbformat.write(nb, str(path))
        expectations[path] = expect
        paths.append(str(path))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                           "--inplace", *paths], cwd=elsewhere, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for path, expect in expectations.items():
        nb = nbformat.read(str(path), as_version=4)
        for cell, (says, never) in zip(nb.cells, expect):
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert not errors, f"{path.parent.name}: {cell.source!r} raised {errors[0].ename}: {errors[0].evalue}"
            text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            for phrase in says:
                assert phrase in text, f"{path.parent.name}: {cell.source!r} lacks {phrase!r}:\n{text}"
            for phrase in never:
                assert phrase not in text, f"{path.parent.name}: {cell.source!r} shows {phrase!r}:\n{text}"


# -- in a real JupyterLab and Notebook 7, in headless Chromium -------------------------------------

from browsers import CHROMIUM, FLAGS  # noqa: E402
TOKEN = "selfcheck-test-token"
#: A student's matrix_mlp: df_dW3 and df_dW2 right, df_dW1 transposed (the outer product the wrong way round).
STUDENT = {
    "df_dW3": "    h1, h2, f = forward(x, W1, W2, W3)\n    return h2.reshape(1, -1)\n",
    "df_dW2": "    h1, h2, f = forward(x, W1, W2, W3)\n    delta2 = W3[0] * h2 * (1 - h2)\n"
              "    return np.outer(delta2, h1)\n",
    "df_dW1": "    h1, h2, f = forward(x, W1, W2, W3)\n    delta2 = W3[0] * h2 * (1 - h2)\n"
              "    delta1 = (W2.T @ delta2) * h1 * (1 - h1)\n    return np.outer(x, delta1)\n",
}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyter(course, tmp_path_factory):
    """A Jupyter server (JupyterLab and Notebook 7) on a student's folder: the released matrix_mlp with
    the STUDENT's functions filled in, outputs cleared, selfcheck.py beside it as released."""
    home = tmp_path_factory.mktemp("student-home")
    folder = home / "matrix_mlp"
    shutil.copytree(course / "release" / "matrix_mlp", folder)
    path = folder / "matrix_mlp.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        name = _grade_id(cell)
        if name in STUDENT:
            cell.source = re.sub(r"    # YOUR CODE HERE\n    raise NotImplementedError\(\)\n?", STUDENT[name],
                                 cell.source)
    nbformat.write(nb, str(path))
    port = _free_port()
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
           "JUPYTER_RUNTIME_DIR": str(home / ".runtime"), "JUPYTERLAB_WORKSPACES_DIR": str(home / ".workspaces")}
    server = subprocess.Popen([sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
                               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
                               f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={home}",
                               "--LabApp.news_url=", "--ServerApp.port_retries=0"],
                              cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import urllib.request
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=1)
            break
        except OSError:
            assert server.poll() is None, "the Jupyter server did not start"
            time.sleep(0.5)
    yield url
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="module")
def chromium():
    if CHROMIUM is None:
        pytest.fail("Debian's chromium is not installed: run `make test` (it installs it) or apt-get install chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


def _run_all(page):
    """Run → Run All Cells, as a student does, and wait until the last self-check has printed."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator('li.lm-Menu-item[data-command="runmenu:run-all"]').click()
    page.get_by_text("It looks transposed").first.wait_for(timeout=60_000)


@pytest.mark.parametrize("front_end, route", [("jupyterlab", "lab/tree"), ("notebook7", "notebooks")])
def test_the_one_line_self_check_in_a_real_front_end(jupyter, chromium, artifacts, front_end, route):
    page = chromium.new_page(viewport={"width": 1100, "height": 1400}, device_scale_factor=1)
    page.goto(f"{jupyter}/{route}/matrix_mlp/matrix_mlp.ipynb?token={TOKEN}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle'], .jp-Notebook-ExecutionIndicator")\
        .first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)                                      # the kernel connects
    if front_end == "jupyterlab":                                     # the file browser folded away
        page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").click()
    _run_all(page)
    text = page.locator(".jp-Notebook").inner_text()
    assert "Shape OK: (5, 3), the shape of W2." in text and "Finite-difference spot check on W2[4, 2]: agrees." in text
    assert "Shape differs: df_dW1 returned shape (4, 3), but it should be (3, 4), the shape of W1." in text
    assert "Traceback" not in text and "ModuleNotFoundError" not in text
    header = page.locator(".jp-MarkdownCell", has_text="Step 2. Return an array").first   # df_dW2, then df_dW1
    test_cell = page.locator(".jp-CodeCell", has_text="Autograded test for df_dW1")
    page.evaluate("el => el.scrollIntoView({block: 'start'})", header.element_handle())
    page.wait_for_timeout(500)
    top, bottom = header.bounding_box(), test_cell.bounding_box()
    panel = page.locator(".jp-Notebook").bounding_box()
    clip = {"x": panel["x"], "y": max(top["y"] - 8, 0), "width": panel["width"],
            "height": bottom["y"] + bottom["height"] + 8 - top["y"]}
    page.screenshot(path=str(artifacts / f"selfcheck_{front_end}.png"), clip=clip)
    page.close()
