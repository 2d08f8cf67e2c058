"""The course on a real JupyterHub (autograders/instructor/hub.py), driven in headless Chromium with separate logins.

The instructor releases matrix_mlp; a student fetches it in the Assignments tab, sees the diagram, fills
df_dW1 with the elementwise answer, reads the self-check, fixes it, validates and submits; a second
student submits the elementwise answer; the instructor collects, autogrades (backprop-grader), generates
and releases feedback; each student fetches their own feedback. Then: a student cannot read another's
submission, the instructor's source/ or the gradebook, through the exchange or through the hub.
Screenshots of every step go to tests/artifacts/hub_*.png. Needs root (it creates Unix users).
"""
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from autograders.instructor.hub import COURSE, HUB_DIR, Hub, free_port
from autograders.instructor.hub_users import remove_user

INSTRUCTOR, ANN, BEN = "bpt-teacher", "bpt-ann", "bpt-ben"
ASSIGNMENT = "matrix_mlp"

#: The student's answers, as typed into the solution cells.
DOC = '    """∂f/∂{w}."""\n'
ELEMENTWISE = ("def df_dW1(x, W1, W2, W3):\n" + DOC.format(w="W1") +
               "    h1, h2, f = forward(x, W1, W2, W3)\n"
               "    return W3 * (h2 * (1 - h2)) * (h1 * (1 - h1))\n")
WRITTEN = "The classmate forgot to transpose W2, and the result needs an outer product with x."
RIGHT = {
    "df_dW3": "def df_dW3(x, W1, W2, W3):\n" + DOC.format(w="W3") +
              "    h1, h2, f = forward(x, W1, W2, W3)\n    return h2.reshape(1, -1)\n",
    "df_dW2": "def df_dW2(x, W1, W2, W3):\n" + DOC.format(w="W2") +
              "    h1, h2, f = forward(x, W1, W2, W3)\n    delta2 = W3[0] * h2 * (1 - h2)\n"
              "    return np.outer(delta2, h1)\n",
    "df_dW1": "def df_dW1(x, W1, W2, W3):\n" + DOC.format(w="W1") +
              "    h1, h2, f = forward(x, W1, W2, W3)\n    delta2 = W3[0] * h2 * (1 - h2)\n"
              "    delta1 = (W2.T @ delta2) * h1 * (1 - h1)\n    return np.outer(delta1, x)\n",
}


def _cannot_run_here():
    """Why this machine cannot run a hub of local users (None when it can)."""
    if os.geteuid() != 0:
        return "not root: the hub test creates Unix users and spawns servers as them"
    for tool in ("useradd", "runuser", "unshare"):
        if shutil.which(tool) is None:
            return f"{tool} is missing: this machine cannot create users or namespaces"
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"mount namespaces are not available here (unshare -m: {probe.stderr.strip()})"
    probe = subprocess.run(["useradd", "--help"], capture_output=True)
    if probe.returncode not in (0, 2):
        return "useradd does not run here: this machine cannot create users"
    return None


pytestmark = pytest.mark.skipif(_cannot_run_here() is not None, reason=str(_cannot_run_here()))


@pytest.fixture(scope="module")
def hub(artifacts):
    """A fresh hub of three users (its own exchange and state under HUB_DIR/test-hub); at the end the hub stops,
    and its folder and the users are removed."""
    h = Hub(root=HUB_DIR / "test-hub", port=free_port(), instructor=INSTRUCTOR, students=(ANN, BEN))
    missing = [str(p) for p in (h.venv / "bin/jupyterhub", Path(h.proxy)) if not p.exists()]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: run `make hub-install` (make test does)")
    if h.root.exists():
        shutil.rmtree(h.root)
    h.prepare(fresh=True)
    started = time.monotonic()
    with open(artifacts / "hub.log", "w") as log:
        try:
            h.start(log=log)
            h.start_seconds = time.monotonic() - started
            yield h
        finally:
            h.stop()
            shutil.rmtree(h.root, ignore_errors=True)
            for user in h.users:                            # the test's users go with it
                remove_user(user)


class Session:
    """One person's browser context, logged in to the hub."""

    def __init__(self, sessions, hub, browser, artifacts, user, password):
        self.hub, self.user, self.artifacts = hub, user, artifacts
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
        self.context.set_default_timeout(60_000)
        self.page = self.context.new_page()
        self.page.goto(f"{hub.url}/hub/login")
        self.page.fill("#username_input", user)
        self.page.fill("#password_input", password)
        self.page.click("#login_submit")
        self.page.wait_for_url(f"**/user/{user}/lab**", timeout=120_000)
        self.page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").first.wait_for(timeout=120_000)
        sessions.append(self)

    def shot(self, name, **kw):
        self.page.screenshot(path=str(self.artifacts / f"hub_{name}.png"), **kw)

    def assignments(self):
        """Nbgrader → Assignment List: the Assignments tab, refreshed."""
        page = self.page
        tab = page.locator(".lm-TabBar-tab", has_text="Assignments")
        if tab.count():
            tab.first.click()
        else:
            page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
            page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
        page.get_by_text("Released assignments", exact=True).wait_for()
        page.locator("#refresh_assignments_list").click()                  # the list as the exchange has it now
        page.wait_for_timeout(1500)
        return page

    def row(self, assignment):
        return self.page.locator(".list_item", has_text=assignment)

    def fetch(self, assignment=ASSIGNMENT):
        """Fetch in the Assignments tab: the assignment moves to the downloaded list, with a Submit button."""
        self.assignments()
        self.row(assignment).get_by_role("button", name="Fetch", exact=True).click()
        self.row(assignment).get_by_role("button", name="Submit").wait_for()

    def open_notebook(self, assignment=ASSIGNMENT):
        """Open the fetched notebook from the Assignments tab, and wait for its kernel."""
        page = self.assignments()
        page.locator("a", has_text=assignment).first.click()          # expands the downloaded assignment
        page.locator(f"a:text-is('{assignment}')").last.click()        # the notebook
        page.locator(".lm-TabBar-tab.lm-mod-current", has_text=f"{assignment}.ipynb").first.wait_for()
        page.locator("#jp-main-statusbar").get_by_text(re.compile(r"\| Idle")).first.wait_for(timeout=60_000)

    def type_cell(self, name, code):
        """Replace a solution cell's code, as typing it would."""
        cell = self.page.locator(".jp-CodeCell", has_text=f"def {name}(x, W1, W2, W3)").first
        cell.scroll_into_view_if_needed()
        cell.locator(".cm-content").click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.insert_text(code)
        self.page.keyboard.press("Escape")

    def write_answer(self, text):
        """The manually graded written answer (a markdown cell): edit, type, render."""
        cell = self.page.locator(".jp-MarkdownCell", has_text="YOUR ANSWER HERE").first
        cell.scroll_into_view_if_needed()
        cell.dblclick()
        cell.locator(".cm-content").click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.insert_text(text)
        self.page.keyboard.press("Shift+Enter")

    def run_all(self):
        self.page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        self.page.locator('li.lm-Menu-item[data-command="runmenu:run-all"]').click()

    def self_check(self, name):
        return self.page.locator(".jp-CodeCell", has_text=f'self_check("{ASSIGNMENT}.{name}")').first

    def run_cell(self, cell):
        cell.locator(".jp-InputArea-editor").click()
        self.page.keyboard.press("Control+Enter")

    def save(self):
        self.page.keyboard.press("Control+s")
        self.page.wait_for_timeout(1500)

    def submit(self, assignment=ASSIGNMENT):
        self.assignments()
        self.row(assignment).get_by_role("button", name="Submit").click()
        self.page.locator(".list_item", has_text=" UTC").first.wait_for()          # the submission's timestamp
        self.page.get_by_role("button", name="Fetch Feedback").first.wait_for()

    def feedback(self):
        """Fetch feedback in the Assignments tab, then open the feedback page of the newest submission."""
        page = self.assignments()
        page.get_by_role("button", name="Fetch Feedback").first.click()
        page.get_by_text("(view feedback)").first.wait_for()
        found = self.hub.run(self.user, "find", ASSIGNMENT + "/feedback", "-name", f"{ASSIGNMENT}.html").stdout.splitlines()
        assert found, f"{self.user}: no feedback file after Fetch Feedback"
        feedback = self.context.new_page()
        feedback.goto(f"{self.hub.url}/user/{self.user}/files/{quote(sorted(found)[-1])}")
        return feedback


def _elapsed(t0):
    return f"{time.monotonic() - t0:.1f} s"


@pytest.fixture
def sessions(artifacts):
    """Every Session the test opens; on a failure, a screenshot of each (hub_failure_<user>.png)."""
    opened = []
    yield opened
    for s in opened:
        try:
            s.page.screenshot(path=str(artifacts / f"hub_last_{s.user}.png"))
        except Exception:                                   # noqa: BLE001 (best effort, after the test)
            pass
        s.context.close()


SAYS = "The factors are multiplied elementwise"           # the service's message for elementwise_chain


def test_a_class_on_the_hub_release_fetch_selfcheck_validate_submit_grade_feedback(hub, browser, artifacts,
                                                                                   sessions):
    t0 = time.monotonic()
    timings = {"hub start": f"{hub.start_seconds:.1f} s"}

    # -- the instructor releases matrix_mlp (Formgrader shows it) -----------------------------------------
    teacher = Session(sessions, hub, browser, artifacts, INSTRUCTOR, hub.admin_password)
    hub.run(INSTRUCTOR, "nbgrader", "generate_assignment", ASSIGNMENT)
    hub.run(INSTRUCTOR, "nbgrader", "release_assignment", ASSIGNMENT)
    teacher.page.goto(f"{hub.url}/user/{INSTRUCTOR}/formgrader/manage_assignments")
    teacher.page.get_by_text(ASSIGNMENT).first.wait_for()
    teacher.shot("01_instructor_released")
    timings["released"] = _elapsed(t0)

    # -- the first student: fetch, open, diagram, elementwise answer, self-check, fix, validate, submit -------
    ann = Session(sessions, hub, browser, artifacts, ANN, hub.user_password)
    ann.assignments()
    ann.shot("02_student_assignments_released")
    ann.fetch()
    ann.shot("03_student_fetched")
    ann.open_notebook()
    image = ann.page.locator(".jp-MarkdownCell img[alt^='Network diagram']").first
    image.wait_for()
    size = image.evaluate("img => [img.naturalWidth, img.naturalHeight, img.clientWidth, img.clientHeight]")
    assert min(size) > 0, f"the diagram is not drawn: natural and shown size {size}"
    image.scroll_into_view_if_needed()
    ann.shot("04_student_diagram")
    for name in ("df_dW3", "df_dW2"):
        ann.type_cell(name, RIGHT[name])
    ann.type_cell("df_dW1", ELEMENTWISE)
    ann.write_answer(WRITTEN)
    ann.run_all()
    check = ann.self_check("df_dW1")                  # asks the hub's feedback service with the kernel's hub token
    check.get_by_text(SAYS).first.wait_for()
    left = int(re.search(r"(\d+) more check", check.inner_text()).group(1))
    start = time.perf_counter()
    ann.run_cell(check)                               # the student runs the self-check again: how long it takes
    check.get_by_text(f"{left - 1} more check").wait_for(timeout=10_000)
    seconds = time.perf_counter() - start
    text = check.inner_text()
    assert SAYS in text and "matrix_mlp.df_dW1: not correct yet" in text and "Try this" in text, text
    assert "Instant feedback is off" not in text and "unavailable" not in text and "Traceback" not in text, text
    assert seconds < 1.0, f"the service's answer took {seconds:.2f} s in the browser"
    timings["self-check answered in the browser"] = f"{seconds:.2f} s"
    check.scroll_into_view_if_needed()
    ann.shot("05_student_selfcheck_elementwise")
    ann.type_cell("df_dW1", RIGHT["df_dW1"])
    ann.run_cell(ann.page.locator(".jp-CodeCell", has_text="def df_dW1(x, W1, W2, W3)").first)
    ann.run_cell(check)
    check.get_by_text("matrix_mlp.df_dW1: correct").wait_for(timeout=10_000)
    assert SAYS not in check.inner_text(), check.inner_text()
    ann.shot("06_student_selfcheck_fixed")
    ann.save()
    ann.page.get_by_role("button", name="Validate").first.click()
    dialog = ann.page.locator(".jp-Dialog")
    dialog.get_by_text("Success").first.wait_for(timeout=120_000)
    ann.shot("07_student_validated")
    dialog.get_by_role("button").last.click()
    ann.submit()
    ann.shot("08_student_submitted")
    timings["first student submitted"] = _elapsed(t0)

    # -- the second student submits the elementwise answer --------------------------------------------------
    ben = Session(sessions, hub, browser, artifacts, BEN, hub.user_password)
    ben.fetch()
    ben.open_notebook()
    for name in ("df_dW3", "df_dW2"):
        ben.type_cell(name, RIGHT[name])
    ben.type_cell("df_dW1", ELEMENTWISE)
    ben.save()
    ben.submit()
    ben.shot("09_second_student_submitted")
    timings["second student submitted"] = _elapsed(t0)

    # -- the instructor collects, autogrades, generates and releases feedback --------------------------------
    hub.run(INSTRUCTOR, "nbgrader", "collect", ASSIGNMENT)
    graded = hub.run(INSTRUCTOR, "backprop-grader", "autograde", ASSIGNMENT, "--jobs", "2", check=False)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    assert "2 graded, 0 failed" in graded.stdout, graded.stdout
    hub.run(INSTRUCTOR, "nbgrader", "generate_feedback", ASSIGNMENT)
    hub.run(INSTRUCTOR, "nbgrader", "release_feedback", ASSIGNMENT)
    teacher.page.goto(f"{hub.url}/user/{INSTRUCTOR}/formgrader/gradebook/{ASSIGNMENT}/{ASSIGNMENT}")
    teacher.page.locator("a", has_text=ANN).first.wait_for(state="attached")    # formgrader hides names
    teacher.page.wait_for_timeout(1000)
    teacher.shot("10_instructor_graded")
    timings["graded and feedback released"] = _elapsed(t0)

    # -- each student fetches their own feedback -----------------------------------------------------------
    page = ann.feedback()
    text = page.locator("body").inner_text()
    page.screenshot(path=str(artifacts / "hub_11_student_feedback_full_marks.png"), full_page=True)
    (artifacts / "hub_11_feedback.txt").write_text(text)
    scores = re.findall(r"Test cell \(Score: ([\d.]+) / ([\d.]+)\)", text)
    assert len(scores) == 3 and all(got == full for got, full in scores), f"not full marks: {scores}"
    assert "matrix_mlp.df_dW1: correct" in text, text[-2000:]
    assert "multiplied elementwise" not in text, "the first student's feedback names a mistake she fixed"
    page = ben.feedback()
    text = page.locator("body").inner_text()
    page.screenshot(path=str(artifacts / "hub_12_student_feedback_elementwise.png"), full_page=True)
    (artifacts / "hub_12_feedback.txt").write_text(text)
    scores = re.findall(r"Test cell \(Score: ([\d.]+) / ([\d.]+)\)", text)
    assert len(scores) == 3 and [got == full for got, full in scores] == [True, True, False], scores
    assert "multiplied elementwise" in text and "matrix_mlp.df_dW1: correct" not in text, text[-3000:]
    timings["feedback read"] = _elapsed(t0)

    # -- the self-check attempts reach the class report (backprop-grader report, as the instructor) ---------
    report = hub.run(INSTRUCTOR, "backprop-grader", "report", ASSIGNMENT, check=False)
    assert report.returncode == 0, report.stdout + report.stderr
    page_html = (hub.course / "reports/class_report.html").read_text()
    row = re.search(r"<tr><td>matrix_mlp.df_dW1</td>(.*?)</tr>", page_html)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1)) if row else []
    # students, attempts, per student, reached correct, first mistake, fixed before submitting (by Ann)
    assert len(cells) == 6 and cells[0] == "1" and int(cells[1]) >= 3 and cells[3] == "1" \
        and cells[4] == cells[5] == "<code>elementwise_chain</code> ×1", row and row.group(0)
    teacher.page.goto(f"{hub.url}/user/{INSTRUCTOR}/files/{COURSE}/reports/class_report.html")
    teacher.page.locator("table.formative").scroll_into_view_if_needed()
    teacher.shot("13_instructor_report_attempts")
    (artifacts / "hub_timings.txt").write_text("\n".join(f"{k}: {v}" for k, v in timings.items()) + "\n")


def _as(hub, user, *argv):
    """A command as `user`; (return code, what it printed)."""
    done = hub.run(user, *argv, check=False)
    return done.returncode, done.stdout + done.stderr


def test_a_student_cannot_read_another_students_work_the_source_or_the_gradebook(hub, browser, artifacts,
                                                                                sessions):
    """After the class above: what a student must not read exists (root sees it), and the student cannot read
    it as their Unix user (every command in their server and kernel runs as that user), through the exchange
    or through the hub's URLs."""
    inbound = hub.exchange / COURSE / "inbound"
    bens = sorted(inbound.glob(f"{BEN}+{ASSIGNMENT}+*"))
    assert bens, f"no submission of {BEN} in {inbound}: run the whole module (the class test first)"
    # nbgrader's exchange keeps a submission from other students by a folder they cannot list (inbound is
    # 0733) and a name they cannot guess (a timestamp and a random string); the files in it are readable by
    # anyone who knows the name, so that the instructor's collect can copy them. The name is in the student's
    # own cache, under their private home, and nowhere else a student can read.
    assert re.search(r"\+[A-Za-z0-9_-]{12}$", bens[-1].name), f"the submission's name has no random part: {bens[-1]}"
    cache = sorted((hub.home(BEN) / ".local/share/jupyter/nbgrader_cache" / COURSE).glob(f"{BEN}+{ASSIGNMENT}+*"))
    secret = {
        "the other student's nbgrader cache (the names of their submissions)": cache[-1] / f"{ASSIGNMENT}.ipynb"
        if cache else hub.home(BEN) / "<no cache>",
        "the other student's collected submission": hub.course / "submitted" / BEN / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
        "the other student's own copy": hub.home(BEN) / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
        "the other student's feedback": next((hub.home(BEN) / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html"),
                                             hub.home(BEN) / "<no feedback>"),
        "the instructor's source": hub.course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
        "the gradebook": hub.course / "gradebook.db",
        "the instant-feedback attempts": hub.course / "feedback.db",
    }
    for what, path in secret.items():
        assert path.is_file(), f"{what} should exist after the class ({path}): run the whole module"
        code, said = _as(hub, ANN, "cat", str(path))
        assert code != 0 and "Permission denied" in said, f"{ANN} read {what} ({path}): {said[:200]}"
    for folder in (inbound, hub.exchange / COURSE / "feedback"):              # nbgrader: not listable
        code, said = _as(hub, ANN, "ls", str(folder))
        assert code != 0 and "Permission denied" in said, f"{ANN} listed {folder}: {said[:300]}"
    code, said = _as(hub, ANN, "nbgrader", "list", "--inbound")
    assert BEN not in said, f"nbgrader list --inbound as {ANN} shows {BEN}'s submission:\n{said}"
    code, said = _as(hub, ANN, "nbgrader", "collect", ASSIGNMENT)
    assert code != 0 and not (hub.home(ANN) / "submitted").exists(), f"{ANN} collected submissions:\n{said}"

    # through the hub: the other student's server and the instructor's, with the student's own login
    ann = Session(sessions, hub, browser, artifacts, ANN, hub.user_password)
    urls = {
        f"{BEN}'s notebook": f"/user/{BEN}/api/contents/{ASSIGNMENT}/{ASSIGNMENT}.ipynb",
        f"{BEN}'s files": f"/user/{BEN}/files/{ASSIGNMENT}/{ASSIGNMENT}.ipynb",
        "the instructor's source": f"/user/{INSTRUCTOR}/api/contents/{COURSE}/source/{ASSIGNMENT}/{ASSIGNMENT}.ipynb",
        "the gradebook": f"/user/{INSTRUCTOR}/files/{COURSE}/gradebook.db",
    }
    for what, url in urls.items():
        response = ann.context.request.get(hub.url + url)
        body = response.text()
        assert response.status == 403, f"{ANN} asked the hub for {what} ({url}): {response.status} {body[:300]}"
        assert "df_dW1" not in body and "SQLite" not in body, f"{ANN} got {what} through the hub"
    response = ann.context.request.get(f"{hub.url}/user/{ANN}/formgrader")         # not for students
    assert response.status == 404, f"{ANN}'s server serves formgrader: {response.status}"
    ann.page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    items = ann.page.locator(".lm-Menu-itemLabel").all_inner_texts()
    ann.page.keyboard.press("Escape")
    assert "Assignment List" in items and not {"Formgrader", "Course List"} & set(items), items
    ann.page.goto(f"{hub.url}/user/{BEN}/lab")
    ann.page.get_by_text("403").first.wait_for()
    ann.shot("14_student_refused_another_server")


LABELS = re.compile(r"\b(w1\s+w2\s+w3|i1\s+i2\s+h1|h1\s+h2\s+o1|b1\s+b1|t1\s+t2)\b")


def test_every_released_notebook_shows_its_diagram_as_an_image_in_jupyterlab(hub, browser, artifacts, sessions):
    """Each released notebook, fetched by a student and opened in JupyterLab: the diagram is an <img> drawn at a
    non-zero size, and no raw HTML or stray label text stands where the picture belongs."""
    for assignment in ("scalar_chain", "multi_path"):
        hub.run(INSTRUCTOR, "nbgrader", "generate_assignment", assignment)
        hub.run(INSTRUCTOR, "nbgrader", "release_assignment", assignment)
    ann = Session(sessions, hub, browser, artifacts, ANN, hub.user_password)
    ann.fetch("scalar_chain")
    ann.fetch("multi_path")
    ann.shot("15_student_assignments_all_fetched", clip={"x": 0, "y": 0, "width": 1280, "height": 440})
    for assignment in ("scalar_chain", "multi_path", ASSIGNMENT):
        ann.open_notebook(assignment)
        cell = ann.page.locator(".jp-MarkdownCell:visible").filter(has=ann.page.locator("img[alt^='Network diagram']"))
        cell.first.wait_for()
        assert cell.count() == 1, f"{assignment}: {cell.count()} diagrams shown"
        image = cell.locator("img[alt^='Network diagram']")
        size = image.evaluate("img => [img.naturalWidth, img.naturalHeight, img.clientWidth, img.clientHeight]")
        assert min(size) > 0, f"{assignment}: the diagram is not drawn (natural and shown size {size})"
        text = cell.inner_text()
        shown = ann.page.locator(".jp-NotebookPanel:visible").first
        everything = shown.inner_text()
        for raw in ("<svg", "<img", "</", "&lt;"):
            assert raw not in everything, f"{assignment}: raw HTML {raw!r} in the notebook as shown"
        assert shown.locator(".jp-RenderedMarkdown svg").count() == 0, f"{assignment}: inline <svg> left"
        assert not LABELS.search(text), f"{assignment}: stray diagram labels in the text: {LABELS.search(text)[0]}"
        cell.scroll_into_view_if_needed()
        top, bottom = cell.bounding_box(), image.bounding_box()          # the cell down to below the diagram
        ann.page.screenshot(path=str(artifacts / f"hub_16_diagram_{assignment}.png"), clip={
            "x": top["x"], "y": top["y"], "width": top["width"],
            "height": min(bottom["y"] + bottom["height"] + 40 - top["y"], top["height"])})
