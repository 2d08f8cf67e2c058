"""Issue 16 in a real JupyterLab (headless Chromium): the one-line self-check asks the feedback service.

A student's released matrix_mlp with the elementwise df_dW1 of the original question; the Jupyter server
(and so the kernel) has BACKPROP_FEEDBACK_URL and a token from `backprop-grader feedback-token`, and
`backprop-grader serve` runs beside it. The student runs the notebook, sees elementwise_chain explained
within a second of running the self-check, fixes df_dW1, sees "correct"; the attempts reach the class report.
Until the course's JupyterHub lands (issue 15), a JupyterLab server with a token stands in for it.
"""
import os
import re
import shutil
import subprocess
import sys
import time

import nbformat
import pytest

from test_selfcheck import STUDENT, TOKEN, _free_port, _grade_id, chromium  # noqa: F401 (a fixture)

ELEMENTWISE = ("    h1, h2, f = forward(x, W1, W2, W3)\n"
               "    return W3 * (h2 * (1 - h2)) * (h1 * (1 - h1))  # W3 * σ'(W2 h1) * σ'(W1 x)\n")
FIXED = ("def df_dW1(x, W1, W2, W3):\n"
         "    h1, h2, f = forward(x, W1, W2, W3)\n"
         "    delta2 = W3[0] * h2 * (1 - h2)\n"
         "    delta1 = (W2.T @ delta2) * h1 * (1 - h1)\n"
         "    return np.outer(delta1, x)\n")
SAYS = "The factors are multiplied elementwise"


def _wait_http(url, proc, what):
    import urllib.request
    for _ in range(120):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            assert proc.poll() is None, f"{what} did not start"
            time.sleep(0.5)
    pytest.fail(f"{what} did not answer at {url}")


@pytest.fixture(scope="module")
def served(course, tmp_path_factory):
    """`backprop-grader serve` for a copy of the course's configuration, and a token for student 'ada'."""
    root = tmp_path_factory.mktemp("feedback-course")
    shutil.copy(course / "nbgrader_config.py", root / "nbgrader_config.py")
    run = [sys.executable, "-m", "autograders.instructor.cli"]
    token = subprocess.run([*run, "feedback-token", "ada"], cwd=root, capture_output=True, text=True,
                           check=True).stdout.split()[0]
    port = _free_port()
    server = subprocess.Popen([*run, "serve", "--port", str(port)], cwd=root, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    _wait_http(f"http://127.0.0.1:{port}/api/health", server, "the feedback service")
    yield root, f"http://127.0.0.1:{port}/", token
    server.terminate()
    server.wait(20)


@pytest.fixture(scope="module")
def lab(course, served, tmp_path_factory):
    """JupyterLab on ada's folder: the released matrix_mlp, df_dW3 and df_dW2 right, df_dW1 elementwise."""
    _, url, token = served
    home = tmp_path_factory.mktemp("ada-home")
    folder = home / "matrix_mlp"
    shutil.copytree(course / "release" / "matrix_mlp", folder)
    path = folder / "matrix_mlp.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    answers = {**STUDENT, "df_dW1": ELEMENTWISE}
    for cell in nb.cells:
        if _grade_id(cell) in answers:
            cell.source = re.sub(r"    # YOUR CODE HERE\n    raise NotImplementedError\(\)\n?", answers[_grade_id(cell)],
                                 cell.source)
    nbformat.write(nb, str(path))
    port = _free_port()
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
           "JUPYTER_RUNTIME_DIR": str(home / ".runtime"), "JUPYTERLAB_WORKSPACES_DIR": str(home / ".workspaces"),
           "BACKPROP_FEEDBACK_URL": url, "BACKPROP_FEEDBACK_TOKEN": token}
    server = subprocess.Popen([sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
                               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
                               f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={home}",
                               "--LabApp.news_url=", "--ServerApp.port_retries=0"],
                              cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_http(f"http://127.0.0.1:{port}/api/status?token={TOKEN}", server, "the Jupyter server")
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()


def _run_cell(page, cell):
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Control+Enter")


def test_the_self_check_names_the_elementwise_chain_then_says_correct_and_the_report_has_it(
        lab, served, chromium, artifacts, tmp_path):
    root, _, _ = served
    page = chromium.new_page(viewport={"width": 1100, "height": 1400}, device_scale_factor=1)
    page.goto(f"{lab}/lab/tree/matrix_mlp/matrix_mlp.ipynb?token={TOKEN}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)                                       # the kernel connects
    page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").click()
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator('li.lm-Menu-item[data-command="runmenu:run-all"]').click()
    page.get_by_text(SAYS).first.wait_for(timeout=60_000)            # run all: the notebook warmed up

    check = page.locator(".jp-CodeCell", has_text='self_check("matrix_mlp.df_dW1")')
    left = int(re.search(r"(\d+) more check", check.inner_text()).group(1))
    start = time.perf_counter()
    _run_cell(page, check)                                            # the student runs the self-check again
    check.get_by_text(f"{left - 1} more check").wait_for(timeout=10_000)
    seconds = time.perf_counter() - start
    text = check.inner_text()
    assert SAYS in text and "matrix_mlp.df_dW1: not correct yet" in text and "Try this" in text, text
    assert seconds < 1.0, f"the answer took {seconds:.2f} s"
    assert "Finite-difference" not in text and "Traceback" not in text
    solution = page.locator(".jp-CodeCell", has_text="def df_dW1")
    page.evaluate("el => el.scrollIntoView({block: 'start'})", solution.element_handle())
    page.wait_for_timeout(500)
    top = solution.bounding_box()
    bottom = check.bounding_box()
    panel = page.locator(".jp-Notebook").bounding_box()
    page.screenshot(path=str(artifacts / "instant_feedback_df_dW1.png"),
                    clip={"x": panel["x"], "y": max(top["y"] - 8, 0), "width": panel["width"],
                          "height": bottom["y"] + bottom["height"] + 8 - top["y"]})

    solution.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Control+a")                                  # the student fixes df_dW1
    page.keyboard.insert_text(FIXED)
    page.keyboard.press("Control+Enter")
    start = time.perf_counter()
    _run_cell(page, check)
    check.get_by_text("matrix_mlp.df_dW1: correct").wait_for(timeout=10_000)
    assert time.perf_counter() - start < 2.0
    page.close()

    from autograders.instructor import report
    from autograders.instructor.cli_course import formative_attempts
    attempts = formative_attempts(root, ("matrix_mlp",))
    mine = [(a.correct, a.mistakes) for a in attempts if a.student == "ada" and a.check_id == "matrix_mlp.df_dW1"]
    assert mine[-3:] == [(False, ("elementwise_chain",))] * 2 + [(True, ())], mine
    page_html = report.write_html({}, tmp_path / "class_report.html", attempts=attempts).read_text()
    row = re.search(r"<tr><td>matrix_mlp.df_dW1</td>.*?</tr>", page_html).group(0)
    assert "<code>elementwise_chain</code> ×1" in row and "reached correct" in page_html, row
