"""One submission can never stop the rest of the class from being graded.

A class of honest students plus culprits (tests/culprits.py: code that kills the grader's
processes, exits its kernel, forks a storm, or metadata nbgrader rejects) is graded by plain
`nbgrader autograde`, by `backprop-grader autograde --jobs 2` and on a Dask LocalCluster. Every
honest student must get exactly the gradebook rows they get in a class without the culprits;
each culprit is reported failed or loses the marks of what it attacked. Then a worker is killed
from outside each time it grades one submission: that submission alone is reported, with a reason.
"""
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import nbformat
import pytest

import culprits
from autograders.instructor import demo
from autograders.engine.course import nbgrader, tool_env
from autograders.integrity import bubblewrap
from autograders.instructor.parallel import gradebook_snapshot

ASSIGNMENT = "scalar_chain"
SECRET = {"BACKPROP_COURSE_SECRET": "faults-test-secret"}
CLI = [sys.executable, "-m", "autograders.instructor.cli"]
HONEST = 4
CULPRITS = {f"a{k}-{name}": name for k, name in enumerate(culprits.ALL)}     # sorted before the honest ones

pytestmark = pytest.mark.skipif(not bubblewrap.available(), reason=f"needs {bubblewrap.problem()}")


def _honest_class(root):
    demo.make_course(root)
    nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    plans = [p for p in demo.roster(30) if p.assignment == ASSIGNMENT][:HONEST]
    for plan in plans:
        demo.submit(root, plan)
    return root, [p.student for p in plans], plans[0]


def _add(root, student, base_plan, edit=None, extra_cell=None):
    path = demo.submit(root, demo.Plan(student, ASSIGNMENT, base_plan.base))
    nb = nbformat.read(str(path), as_version=4)
    if edit:
        culprits.apply(nb, edit)
    if extra_cell:
        nb.cells.insert(3, nbformat.v4.new_code_cell(extra_cell))
    nbformat.write(nb, str(path))


def _rows(db_url, students):
    return {k: v for k, v in gradebook_snapshot(db_url, ASSIGNMENT).items() if k[0] in students}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """The honest students alone, graded by plain sequential nbgrader."""
    root, honest, first = _honest_class(tmp_path_factory.mktemp("baseline") / "course")
    nbgrader(root, "autograde", ASSIGNMENT, "--force", env=SECRET)
    return root, honest, first, _rows(f"sqlite:///{root / 'gradebook.db'}", honest)


def _ungraded_copy(baseline, tmp_path):
    """The honest class of `baseline`, submitted but not graded, with a fresh gradebook."""
    src, honest, first, _ = baseline
    root = tmp_path / "course"
    shutil.copytree(src, root, ignore=shutil.ignore_patterns("autograded", "feedback", "reports", "logs", "ledger"))
    (root / "gradebook.db").unlink()
    nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    return root, honest, first


@pytest.fixture
def attacked(baseline, tmp_path):
    """The same honest students plus every culprit, not yet graded."""
    root, honest, first = _ungraded_copy(baseline, tmp_path)
    for student, name in CULPRITS.items():
        _add(root, student, first, edit=name)
    return root, honest


def _culprits_charged(root, db_url, out=""):
    """Each culprit failed, or lost the marks of the check it attacked (its dL_dw2 returns 0.0)."""
    rows = gradebook_snapshot(db_url, ASSIGNMENT)
    for student, name in CULPRITS.items():
        graded = (root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()
        if name in culprits.CODE and graded:
            assert rows.get((student, ASSIGNMENT, "grade", "test_dL_dw2"), (0,))[0] in (0, None), \
                f"{name}: earned the marks of the check it attacked"
        if name == "schema_from_the_future":
            assert not graded, f"{name}: graded although its metadata is from another nbgrader version"


def _failures_are_culprits_with_reasons(out, honest):
    import re
    failed = re.findall(r"failed (\S+): (\S+)", out)
    assert failed, out
    assert all(student in CULPRITS and reason for student, reason in failed), out
    assert f"{HONEST + len(CULPRITS) - len(failed)} graded, {len(failed)} failed" in out, out


def test_plain_nbgrader_autograde_loses_only_the_culprits(baseline, attacked):
    _, _, _, expected = baseline
    root, honest = attacked
    proc = nbgrader(root, "autograde", ASSIGNMENT, "--force", env=SECRET, check=False)
    assert proc.returncode == 1, "nbgrader should report the rejected submission: " + proc.stdout[-2000:]
    assert "schema_from_the_future" in proc.stdout and "metadata is version 99" in proc.stdout
    url = f"sqlite:///{root / 'gradebook.db'}"
    got = _rows(url, honest)
    assert got == expected, f"honest students' rows differ: {sorted(k for k in expected if got.get(k) != expected[k])[:5]}"
    _culprits_charged(root, url)


def test_backprop_grader_autograde_loses_only_the_culprits(baseline, attacked):
    _, _, _, expected = baseline
    root, honest = attacked
    proc = subprocess.run([*CLI, "autograde", ASSIGNMENT, "--jobs", "2", "--course", str(root)],
                          env=tool_env(SECRET), capture_output=True, text=True, timeout=600)
    out = " ".join(proc.stdout.split())
    assert proc.returncode == 1, out + proc.stderr[-2000:]
    assert "own user, mount, PID, IPC and network namespaces" in out, out
    _failures_are_culprits_with_reasons(out, honest)
    assert "SubmissionMetadataError: this submission's nbgrader metadata is version 99" in out, out
    url = f"sqlite:///{root / 'gradebook.db'}"
    got = _rows(url, honest)
    assert got == expected, f"honest students' rows differ: {sorted(k for k in expected if got.get(k) != expected[k])[:5]}"
    _culprits_charged(root, url, out)


def test_dask_autograde_loses_only_the_culprits(baseline, attacked):
    from distributed import LocalCluster
    _, _, _, expected = baseline
    root, honest = attacked
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        proc = subprocess.run([*CLI, "autograde", ASSIGNMENT, "--course", str(root), "--scheduler",
                               cluster.scheduler_address], env=tool_env(SECRET), capture_output=True, text=True,
                              timeout=600)
    out = " ".join(proc.stdout.split())
    assert proc.returncode == 1, out + proc.stderr[-2000:]
    _failures_are_culprits_with_reasons(out, honest)
    url = f"sqlite:///{root / 'gradebook.db'}"
    got = _rows(url, honest)
    assert got == expected, f"honest students' rows differ: {sorted(k for k in expected if got.get(k) != expected[k])[:5]}"
    _culprits_charged(root, url, out)


# -- a worker that dies while it grades one submission ---------------------------------------------

def _ppid(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


def _ancestors(pid):
    while pid > 1:
        pid = _ppid(pid)
        yield pid


def _command(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ")[:120].decode(errors="replace")
    except OSError:
        return "?"


def _grading_process(pid):
    """The grader's worker above a kernel: the first ancestor that is not the kernel, its waiter, its
    fork template (whose command line runs ipykernel) or the unshare/setpriv in between; only a
    process started by this test (never one reparented to init)."""
    for pid in _ancestors(pid):
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read()
        if b"ipykernel" not in cmd and not cmd.startswith((b"unshare", b"setpriv", b"sh\0")):
            return pid if os.getpid() in _ancestors(pid) else None
    return None


class Killer(threading.Thread):
    """Kills the grading worker whenever one holds `student`'s kernel (found by its working directory), or
    with `up` 1 that worker's parent (on Dask: the Dask worker process whose thread started it)."""

    def __init__(self, root, student, up=0):
        super().__init__(daemon=True)
        self.target, self.stop, self.killed = str(root / "autograded" / student), threading.Event(), []
        self.up = up
        self.log = []                                    # (holder of the folder, what was killed), for failures

    def run(self):
        while not self.stop.is_set():
            for entry in os.listdir("/proc"):
                try:
                    if entry.isdigit() and os.readlink(f"/proc/{entry}/cwd").startswith(self.target):
                        worker = _grading_process(int(entry))
                        for _ in range(self.up if worker else 0):
                            worker = _ppid(worker)
                        if worker and worker != os.getpid() and worker not in self.killed:
                            self.log.append((_command(int(entry)), _command(worker)))
                            os.kill(worker, signal.SIGKILL)
                            self.killed.append(worker)
                except (OSError, ValueError):
                    continue
            time.sleep(0.02)


@pytest.fixture
def slow_victim(baseline, tmp_path):
    root, honest, first = _ungraded_copy(baseline, tmp_path)
    _add(root, "mallory", first, extra_cell="import time\ntime.sleep(2)\n")
    return root, honest


def test_a_worker_killed_while_grading_one_submission_costs_that_submission_alone(baseline, slow_victim):
    _, _, _, expected = baseline
    root, honest = slow_victim
    killer = Killer(root, "mallory")
    killer.start()
    try:
        proc = subprocess.run([*CLI, "autograde", ASSIGNMENT, "--jobs", "2", "--course", str(root)],
                              env=tool_env(SECRET), capture_output=True, text=True, timeout=600)
    finally:
        killer.stop.set()
    out = " ".join(proc.stdout.split())
    # At least twice: in the class, then alone. The killer may also meet a verification sandbox that
    # mallory's kernel had started (its monitor is the first ancestor that is not a kernel), so the
    # count can be higher; the outcome below is what matters.
    assert len(killer.killed) >= 2, f"expected the worker to be killed twice (in the class, then alone): {out}"
    assert proc.returncode == 1, f"{out}\nkilled: {killer.log}"
    assert f"{HONEST} graded, 1 failed" in out, out
    assert "failed mallory: the process grading it was killed (SIGKILL)" in out and "alone" in out, out
    url = f"sqlite:///{root / 'gradebook.db'}"
    assert _rows(url, honest) == expected, "an honest student's grade changed because a worker died"
    again = subprocess.run([*CLI, "autograde", ASSIGNMENT, "--jobs", "2", "--course", str(root)],
                           env=tool_env(SECRET), capture_output=True, text=True, timeout=600)
    out = " ".join(again.stdout.split())
    assert again.returncode == 0 and f"1 graded, 0 failed, {HONEST} skipped" in out, \
        "a rerun grades what is missing (mallory, no longer killed) and skips the rest: " + out


@pytest.mark.parametrize("up, reason", [
    (0, "the process grading it was killed (SIGKILL) while it ran this submission; tried again alone"),
    (1, "the Dask worker grading it died")], ids=["its grading process", "the Dask worker"])
def test_a_dask_worker_killed_while_grading_one_submission_costs_that_submission_alone(baseline, slow_victim,
                                                                                      up, reason):
    """On Dask, each worker thread grades in a process of its own (pool.Solo): that process or the Dask
    worker itself killed each time it grades mallory costs mallory alone."""
    import dask
    from distributed import LocalCluster
    _, _, _, expected = baseline
    root, honest = slow_victim
    killer = Killer(root, "mallory", up)
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        killer.start()
        try:
            proc = subprocess.run([*CLI, "autograde", ASSIGNMENT, "--course", str(root), "--scheduler",
                                   cluster.scheduler_address], env=tool_env(SECRET), capture_output=True,
                                  text=True, timeout=600)
        finally:
            killer.stop.set()
    out = " ".join(proc.stdout.split())
    assert proc.returncode == 1, out + proc.stderr[-2000:]
    assert f"{HONEST} graded, 1 failed" in out, out
    assert f"failed mallory: {reason}" in out, out
    assert _rows(f"sqlite:///{root / 'gradebook.db'}", honest) == expected
