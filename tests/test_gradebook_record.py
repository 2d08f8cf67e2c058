"""The gradebook is the instructor's record (issue 20): no grade silently lost, wrongly kept or wrongly
replaced. One class of scalar_chain is graded once by `backprop-grader autograde` (real nbgrader, real
verification); each test then works on it or on a copy of it."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from attacks import FAKE_CHECK, WRONG
from autograders.instructor import classroom, demo
from autograders.engine.course import nbgrader, tool_env

A = "scalar_chain"
CLI = [sys.executable, "-m", "autograders.instructor.cli"]
SECRET = {"BACKPROP_COURSE_SECRET": "record-test-secret"}
CORRECT = demo.FIXTURES / A / "correct_vectorised.py"
TESTS = ("test_dL_dw2", "test_dL_dw1", "test_dL_db", "test_sgd_step")
LONG = "_big = " + "+".join(["1.0"] * 500) + "\n"
FORGED = {"check_id": "scalar_chain.dL_db", "score": 3.0, "points": 3.0, "mistakes": [], "seed": 1,
          "message": "correct"}


def _notebook(root, functions=CORRECT, edit=None):
    nb = nbformat.read(str(root / "release" / A / f"{A}.ipynb"), as_version=4)
    graded = set(classroom.solution_cells(nb))
    classroom.fill(nb, classroom.function_sources(functions, graded) if not isinstance(functions, dict)
                   else functions)
    cells = classroom.solution_cells(nb)
    if edit:
        edit(nb, cells)
    return nb


def _submit(root, student, nb):
    path = root / "submitted" / student / A / f"{A}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.parent / "timestamp.txt").write_text("2026-11-24 09:00:00.000000 UTC\n")
    if isinstance(nb, str):
        path.write_text(nb)
    else:
        classroom.write(nb, path)


def _prepend(name, text):
    def edit(nb, cells):
        cells[name].source = text + cells[name].source
    return edit


def _helper_redefined_later(nb, cells):
    cells["dL_dw2"].source = cells["dL_dw2"].source.replace("def dL_dw2", "_s = sigmoid\n\n\ndef dL_dw2") \
        .replace("sigmoid(x * w1 + b)", "_s(x * w1 + b)")
    cells["dL_dw2"].source = ("def _h(x, w1, w2, b):\n    h = sigmoid(x * w1 + b)\n    return h, sigmoid(h * w2 + b)\n\n\n"
                              + cells["dL_dw2"].source.replace("forward(x, w1, w2, b)", "_h(x, w1, w2, b)"))
    cells["sgd_step"].source += "\n\ndef _h(*args):\n    return 0.0, 0.0\n"


def _odd_arrays(nb, cells):
    cells["dL_dw2"].source = cells["dL_dw2"].source.replace("return np.sum(", "return np.matrix(np.sum(") \
        .replace("dz2_dw2)", "dz2_dw2))")
    cells["dL_dw1"].source = cells["dL_dw1"].source.replace("return np.sum(", "return np.matrix([[np.sum(") \
        .replace("dz1_dw1)", "dz1_dw1)]])")


ASSERTING = '''def dL_dw2(x, y, w1, w2, b):
    h, y_hat = forward(x, w1, w2, b)
    g = np.sum((y_hat - y) * y_hat * (1 - y_hat) * h)
    eps = 1e-6                                  # check my derivation against a central difference
    numeric = (loss(x, y, w1, w2 + eps, b) - loss(x, y, w1, w2 - eps, b)) / (2 * eps)
    assert abs(numeric - g) <= 1e-5 * max(1.0, abs(g)), (numeric, g)
    return g
'''


def _self_checking(nb, cells):
    """An analytic dL_dw2 that asserts itself against a finite difference; a masked array from dL_dw1."""
    cells["dL_dw2"].source = ASSERTING
    cells["dL_dw1"].source = cells["dL_dw1"].source.replace("return np.sum(", "return np.ma.masked_array(np.sum(") \
        .replace("dz1_dw1)", "dz1_dw1))")


def _forged_record(nb, cells):
    cells["dL_db"].source = WRONG["dL_db"]
    cells["sgd_step"].source += ("\nfrom IPython.display import display\n"
                                 f"display({{'application/vnd.backprop.diagnosis+json': {FORGED!r}, "
                                 "'text/plain': ''}, raw=True)\n")


def _cheat(root):
    nb = _notebook(root, dict(WRONG))
    at = next(k for k, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "given_code")
    nb.cells.insert(at + 1, new_code_cell(FAKE_CHECK))
    return nb


def run(root, *args, env=None, check=None):
    proc = subprocess.run([*CLI, *args, "--course", str(root)], capture_output=True, text=True,
                          env=tool_env({**SECRET, **(env or {})}))
    if check is not None:
        assert proc.returncode == check, f"exit {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    return proc


def grades(root, student, db=None):
    """{grade_id: (auto, manual, needs_manual, max)} and the total, as the gradebook holds them."""
    from nbgrader.api import Gradebook
    with Gradebook(db or f"sqlite:///{root / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(A, A, student)
        rows = {g.name: (g.auto_score, g.manual_score, g.needs_manual_grade, g.max_score)
                for g in nb.grades if g.name in TESTS}
        return rows, gb.find_submission(A, student).score


def copy(root, tmp_path):
    target = tmp_path / "course"
    shutil.copytree(root, target)
    return target


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = demo.make_course(tmp_path_factory.mktemp("record") / "course")
    nbgrader(root, "generate_assignment", A, "--force")
    _submit(root, "honest", _notebook(root))
    _submit(root, "timer", _notebook(root, edit=_prepend("dL_db", "%%time\n")))
    _submit(root, "magics", _notebook(root, edit=lambda nb, cells: (
        _prepend("dL_dw2", "%precision 4\n!echo hello\n")(nb, cells),
        _prepend("dL_dw1", "%%capture\n")(nb, cells))))
    _submit(root, "helper", _notebook(root, edit=_helper_redefined_later))
    _submit(root, "odd", _notebook(root, edit=_odd_arrays))
    _submit(root, "selfchecking", _notebook(root, edit=_self_checking))
    _submit(root, "longexpr", _notebook(root, edit=_prepend("dL_dw2", LONG)))
    _submit(root, "forger", _notebook(root, edit=_forged_record))
    _submit(root, "cheat", _cheat(root))
    proc = run(root, "autograde", A, "--jobs", "2")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root, proc.stdout


# -- 1 and 2: verification runs the notebook as the kernel does; an override is undone once its cause is gone

@pytest.mark.parametrize("student", ["honest", "timer", "magics", "helper", "odd", "selfchecking", "longexpr"])
def test_correct_work_keeps_full_marks_and_no_override(course, student):
    root, _ = course
    rows, total = grades(root, student)
    assert total == 10 and all(manual is None for _, manual, _, _ in rows.values()), \
        f"{student}: {rows} (verification replaced a kernel score it could not reproduce)"
    evidence = json.loads((root / "reports" / "verify" / f"{A}.json").read_text())
    mine = {s["student"]: s for s in evidence["students"]}[student]
    assert not [f for f in mine["flags"] if f.startswith("score:")], mine["flags"]


def test_unscannable_code_is_flagged_never_zero(course):
    """A cell the static scanner cannot walk (RecursionError) is one 'unscannable' flag, not an abort
    (issue 21): the submission is still verified in the sandbox, keeps its marks (above), and the
    rest of the class is verified too."""
    root, _ = course
    evidence = {s["student"]: s for s in json.loads((root / "reports" / "verify" / f"{A}.json").read_text())
                ["students"]}
    flags = evidence["longexpr"]["flags"]
    assert any("cannot be scanned (RecursionError)" in f for f in flags), flags
    assert len(evidence) == 9, "verification went on for the rest of the class"


def test_cheat_overridden_then_fixed_ends_as_nbgrader_alone(course, tmp_path):
    root = copy(course[0], tmp_path)
    rows, total = grades(root, "cheat")
    assert total == 0 and all(manual == 0 for _, manual, _, _ in rows.values()), rows
    ledger = json.loads((root / "ledger" / A / "cheat.json").read_text())
    assert set(ledger["overrides"]) == set(TESTS) and all(e["run"] and e["reason"] for e in ledger["overrides"].values())
    run(root, "report", check=0)
    page = (root / "reports" / "class_report.html").read_text()
    assert "Gradebook changes by verification" in page and "cheat" in page.split("gradebook-changes")[1]
    run(root, "verify", A, check=0)                     # a second verify keeps the override, nothing doubles
    assert grades(root, "cheat")[0] == rows
    fixed = _notebook(root)
    _submit(root, "cheat", fixed)
    run(root, "autograde", A, "--jobs", "1", check=0)
    run(root, "verify", A, check=0)
    # the same fixed notebook, graded by nbgrader alone in a copy that never saw the cheat
    alone = tmp_path / "alone"
    shutil.copytree(course[0], alone)
    subprocess.run([sys.executable, "-c", f"from nbgrader.api import Gradebook\nwith Gradebook('sqlite:///"
                    f"{alone / 'gradebook.db'}') as gb: gb.remove_submission('{A}', 'cheat')"], check=True)
    _submit(alone, "cheat", fixed)
    nbgrader(alone, "autograde", A, "--student", "cheat", "--force", env=SECRET)
    assert grades(root, "cheat") == grades(alone, "cheat")
    assert not (root / "ledger" / A / "cheat.json").exists() or \
        not json.loads((root / "ledger" / A / "cheat.json").read_text())["overrides"]


def test_undo_restores_nbgrader_and_never_touches_a_persons_score(course, tmp_path):
    root = copy(course[0], tmp_path)
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        gb.find_grade("test_dL_db", A, A, "cheat").manual_score = 1.5    # a person, in formgrader
        gb.db.commit()
    run(root, "verify", A, "--student", "cheat", check=0)
    assert grades(root, "cheat")[0]["test_dL_db"][1] == 1.5
    run(root, "verify", A, "--undo", check=0)
    rows, _ = grades(root, "cheat")
    assert rows["test_dL_db"][1] == 1.5, "a person's score stays"
    assert all(rows[t][1] is None and rows[t][2] is False for t in ("test_dL_dw2", "test_dL_dw1", "test_sgd_step")), rows


# -- 3: a failed regrade never leaves the old grade standing

def test_failed_resubmission_clears_scores_and_exports_show_it(course, tmp_path):
    root = copy(course[0], tmp_path)
    assert grades(root, "honest")[1] == 10
    _submit(root, "honest", "")
    proc = run(root, "autograde", A, "--jobs", "1")
    assert proc.returncode == 1 and "failed" in proc.stdout
    rows, total = grades(root, "honest")
    assert total == 0 and all(auto == 0 and needs for auto, _, needs, _ in rows.values()), rows
    run(root, "report", check=0)
    canvas = (root / "reports" / "canvas_grades.csv").read_text().splitlines()
    line = next(x for x in canvas if x.startswith("honest,"))
    assert line.split(",")[-1] == "", f"Canvas must show no grade, not the old one: {line}"
    result = json.loads((root / "reports" / "gradescope" / A / "honest" / "results.json").read_text())
    assert result["score"] == 0 and all(t["status"] == "failed" for t in result["tests"])
    assert "not_graded" in (root / "reports" / "class_report.csv").read_text()


# -- 4: the gradebook decides what is done

def test_rebuilt_gradebook_and_deleted_notebook_are_regraded(course, tmp_path):
    root = copy(course[0], tmp_path)
    run(root, "report", check=0)
    shutil.rmtree(root / "autograded" / "timer")
    (root / "autograded" / "honest" / A / ".backprop-autograded").write_text("\x00garbage{")
    proc = run(root, "autograde", A, "--jobs", "2", check=0)
    assert "2 graded" in proc.stdout and "7 skipped" in proc.stdout, proc.stdout
    (root / "gradebook.db").unlink()
    nbgrader(root, "generate_assignment", A, "--force")
    proc = run(root, "report")
    assert proc.returncode == 2 and "--allow-empty" in proc.stderr and "Traceback" not in proc.stderr
    assert "honest" in (root / "reports" / "canvas_grades.csv").read_text(), "the exports were kept"
    proc = run(root, "autograde", A, "--jobs", "2", check=0)
    assert "9 graded" in proc.stdout and "0 skipped" in proc.stdout, proc.stdout
    assert grades(root, "honest")[1] == 10


def test_two_runs_at_once_are_refused(course, tmp_path):
    root = copy(course[0], tmp_path)
    from autograders.engine.course import CourseLock
    with CourseLock(root):
        proc = run(root, "verify", A)
    assert proc.returncode == 2 and "another backprop-grader run" in proc.stderr and proc.stderr.count("\n") == 1


# -- 5: settings validated once, at start-up

@pytest.mark.parametrize("env, args", [
    ({"BACKPROP_VERIFY_POLICY": "nonsense"}, ["autograde", A]),
    ({"BACKPROP_TOLERANCE": "abc"}, ["autograde", A]),
    ({"BACKPROP_TOLERANCE": "abc"}, ["verify", A]),
    ({"BACKPROP_TOLERANCE": "abc"}, ["report"]),
    ({"BACKPROP_CALL_TIME_LIMIT": "-1"}, ["autograde", A]),
    ({}, ["autograde", A, "--jobs", "0"]),
])
def test_bad_settings_stop_with_one_line(course, env, args):
    root, _ = course
    before = grades(root, "honest")
    proc = run(root, *args, env=env)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "--jobs" in args or proc.stderr.strip().count("\n") == 0, proc.stderr
    assert grades(root, "honest") == before


def test_demo_with_zero_jobs_builds_nothing(tmp_path):
    proc = subprocess.run([*CLI, "demo", "--jobs", "0", "--dir", str(tmp_path / "d")], capture_output=True, text=True)
    assert proc.returncode == 2 and not (tmp_path / "d").exists()


def test_settings_from_config_are_printed_and_passed_with_the_secret(course, tmp_path):
    root = copy(course[0], tmp_path)
    with open(root / "nbgrader_config.py", "a") as f:
        f.write("\nc.Backprop.course_secret = 'from-the-config'\nc.Backprop.tolerance = 2e-5\n")
    from autograders.engine import settings
    from autograders.engine.course import course_config
    values = settings.resolve({}, course_config(root))
    env = settings.as_env(values)
    assert env["BACKPROP_COURSE_SECRET"] == "from-the-config" and float(env["BACKPROP_TOLERANCE"]) == 2e-5
    proc = subprocess.run([*CLI, "verify", A, "--student", "honest", "--course", str(root)], capture_output=True,
                          text=True, env={k: v for k, v in tool_env().items() if not k.startswith("BACKPROP_")})
    assert proc.returncode == 0 and "tolerance=2e-05" in proc.stdout and "from-the-config" not in proc.stdout
    proc = subprocess.run([*CLI, "report", "--course", str(course[0]), "--out", str(tmp_path / "r")],
                          capture_output=True, text=True,
                          env={k: v for k, v in tool_env().items() if not k.startswith("BACKPROP_")})
    assert "PUBLIC default secret" in " ".join(proc.stdout.split())


# -- 6: evidence kept; records read only from their own hidden cell; db_url everywhere

def test_autograde_and_verify_merge_evidence_per_student(course, tmp_path):
    root = copy(course[0], tmp_path)
    path = root / "reports" / "verify" / f"{A}.json"
    assert len(json.loads(path.read_text())["students"]) == 9, "autograde writes the evidence"
    run(root, "verify", A, "--student", "honest", check=0)
    assert len(json.loads(path.read_text())["students"]) == 9, "verify --student X keeps the others"


def test_unwritable_reports_stop_verify_before_any_score_is_written(course, tmp_path):
    root = copy(course[0], tmp_path)
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        gb.find_grade("test_dL_dw2", A, A, "cheat").manual_score = None
        gb.db.commit()
    shutil.rmtree(root / "reports")
    (root / "reports").write_text("not a folder")
    proc = run(root, "verify", A)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert grades(root, "cheat")[0]["test_dL_dw2"][1] is None


def test_forged_and_damaged_records_never_count(course, tmp_path):
    root = copy(course[0], tmp_path)
    from autograders.instructor.records import collect
    rows = {(r.student, r.check_id): r for r in collect(root, A)}
    assert rows[("forger", "scalar_chain.dL_db")].mistakes != (), "a student's own cell forged a record"
    path = root / "autograded" / "honest" / A / f"{A}.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            record = out.get("data", {}).get("application/vnd.backprop.diagnosis+json")
            if record:
                record["score"] = "full"
    nbformat.write(nb, str(path))
    run(root, "report", check=0)


def test_every_command_honours_db_url_from_the_config(course, tmp_path):
    root = copy(course[0], tmp_path)
    moved = tmp_path / "elsewhere.db"
    shutil.move(root / "gradebook.db", moved)
    with open(root / "nbgrader_config.py", "a") as f:
        f.write(f"\nc.CourseDirectory.db_url = 'sqlite:///{moved}'\n")
    run(root, "verify", A, "--student", "cheat", check=0)
    run(root, "report", "--out", str(tmp_path / "out"), check=0)
    assert "cheat" in (tmp_path / "out" / "canvas_grades.csv").read_text()
    assert grades(root, "cheat", f"sqlite:///{moved}")[1] == 0


# -- 7: interrupts

def _ours(tag, root):
    """Processes of this run still alive: the command's environment tag, or the course path in argv."""
    found = []
    for proc in os.listdir("/proc"):
        if not proc.isdigit() or int(proc) == os.getpid():
            continue
        try:
            env = open(f"/proc/{proc}/environ", "rb").read()
            argv = open(f"/proc/{proc}/cmdline", "rb").read()
            state = open(f"/proc/{proc}/stat").read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and (tag.encode() in env or str(root).encode() in argv):
            found.append(int(proc))
    return found


@pytest.mark.parametrize("presses, to", [(1, "group"), (1, "command"), (2, "group")])
def test_ctrl_c_stops_handing_out_work_and_leaves_nothing_behind(course, tmp_path, presses, to):
    """`to`: the whole foreground group, as a terminal sends Ctrl-C, or the command alone (kill -INT, a
    supervisor), where a ProcessPoolExecutor's shutdown used to wait for the whole queue."""
    root = copy(course[0], tmp_path)
    for done in root.glob(f"autograded/*/{A}/.backprop-autograded"):
        done.unlink()
    tag = f"BACKPROP_TEST_TAG={uuid.uuid4().hex}"
    env = tool_env({**SECRET, tag.split("=")[0]: tag.split("=")[1]})
    proc = subprocess.Popen([*CLI, "autograde", A, "--jobs", "1", "--force", "--course", str(root)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not list(root.glob(f"autograded/*/{A}/.backprop-autograded")):
        time.sleep(0.1)
    for _ in range(presses):
        if to == "group":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            os.kill(proc.pid, signal.SIGINT)
        time.sleep(0.3)
    try:
        out, _ = proc.communicate(timeout=40 if presses == 1 else 10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("the command did not end after Ctrl-C")
    assert proc.returncode == 130, out
    graded = list(root.glob(f"autograded/*/{A}/.backprop-autograded"))
    assert len(graded) < 9, f"the queue kept grading after Ctrl-C: {out}"
    time.sleep(0.5)
    assert _ours(tag, root) == [], "processes left behind"
