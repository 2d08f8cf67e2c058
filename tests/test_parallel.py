"""Parallel autograde gives sequential nbgrader's gradebook: on a local pool (with a worker killed
mid-run) and on a Dask LocalCluster with the gradebook on a real PostgreSQL server."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograders.instructor import demo
from autograders.engine.course import nbgrader, tool_env
from autograders.instructor.markers import MARKER
from autograders.instructor.parallel import autograded_outputs, gradebook_snapshot

ASSIGNMENT = "scalar_chain"
SECRET = {"BACKPROP_COURSE_SECRET": "parallel-test-secret"}
CLI = [sys.executable, "-m", "autograders.instructor.cli"]
N_STUDENTS = 8


def _class(root):
    demo.make_course(root)
    nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    plans = [p for p in demo.roster(30) if p.assignment == ASSIGNMENT][:N_STUDENTS]
    plans[-1].special = "broken"                       # one notebook that is not JSON at all
    for plan in plans:
        demo.submit(root, plan)
    return root


@pytest.fixture(scope="module")
def sequential(tmp_path_factory):
    """The reference: one class graded by plain sequential `nbgrader autograde` into sqlite."""
    root = _class(tmp_path_factory.mktemp("seq") / "course")
    nbgrader(root, "autograde", ASSIGNMENT, "--force", env=SECRET, check=False)
    return root, gradebook_snapshot(f"sqlite:///{root / 'gradebook.db'}", ASSIGNMENT)


@pytest.fixture
def fresh_copy(sequential, tmp_path):
    """The same class, not yet graded."""
    root, _ = sequential
    copy = tmp_path / "course"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("autograded", "feedback", "reports"))
    subprocess.run([sys.executable, "-c", f"""
from nbgrader.api import Gradebook
with Gradebook('sqlite:///{copy / 'gradebook.db'}') as gb:
    for s in list(gb.find_assignment('{ASSIGNMENT}').submissions):
        gb.remove_submission('{ASSIGNMENT}', s.student_id)
"""], check=True)
    return copy


def _same_as_sequential(db_url, expected):
    got = gradebook_snapshot(db_url, ASSIGNMENT)
    return sorted(k for k in set(got) | set(expected) if got.get(k) != expected.get(k))


def _children(pid):
    out = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            out.append(int(status.parent.name))
    return out


def test_parallel_autograde_with_a_killed_worker_gives_nbgraders_gradebook(sequential, fresh_copy):
    _, expected = sequential
    root = fresh_copy
    proc = subprocess.Popen([*CLI, "autograde", ASSIGNMENT, "--jobs", "2", "--course", str(root)],
                            env=tool_env(SECRET), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 240
    while time.time() < deadline and len(list(root.glob(f"autograded/*/{ASSIGNMENT}/{MARKER}"))) < 2:
        time.sleep(0.2)
    workers = _children(proc.pid)
    assert workers, "no worker processes to kill"
    os.kill(workers[0], signal.SIGKILL)                # a worker dies mid-run
    out, _ = proc.communicate(timeout=400)
    assert proc.returncode in (0, 1), out
    assert "graded" in out and "failed" in out
    differ = _same_as_sequential(f"sqlite:///{root / 'gradebook.db'}", expected)
    assert not differ, f"parallel gradebook differs from sequential nbgrader: {differ[:5]}"
    seq_outputs, par_outputs = autograded_outputs(sequential[0], ASSIGNMENT), autograded_outputs(root, ASSIGNMENT)
    assert par_outputs == seq_outputs, "autograded notebooks differ from sequential nbgrader's"
    again = subprocess.run([*CLI, "autograde", ASSIGNMENT, "--jobs", "2", "--course", str(root)],
                           env=tool_env(SECRET), capture_output=True, text=True)
    graded = len(list(root.glob(f"autograded/*/{ASSIGNMENT}/{MARKER}")))
    assert f"{graded} skipped" in again.stdout.replace("\n", " "), again.stdout


def test_kernels_started_together_never_race_for_a_port(sequential, fresh_copy):
    """Four workers starting kernels at once, on a machine with only 16 free ports: every notebook
    is graded as sequential nbgrader grades it (with TCP ports, kernels died 'Address already in use')."""
    _, expected = sequential
    root = fresh_copy
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0 or not shutil.which("ip"):
        pytest.skip("needs a network namespace (unshare -n, as root) and iproute2")
    command = " ".join([*CLI, "autograde", ASSIGNMENT, "--jobs", "4", "--course", str(root)])
    proc = subprocess.run(["unshare", "-n", "sh", "-c", "ip link set lo up && sysctl -q -w "
                           f"net.ipv4.ip_local_port_range='40000 40015' && exec {command}"],
                          env=tool_env(SECRET), capture_output=True, text=True, timeout=400)
    assert f"{N_STUDENTS - 1} graded, 1 failed" in " ".join(proc.stdout.split()), proc.stdout + proc.stderr
    differ = _same_as_sequential(f"sqlite:///{root / 'gradebook.db'}", expected)
    assert not differ, f"gradebook differs from sequential nbgrader: {differ[:5]}"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A real PostgreSQL server on a temp data dir and a loopback port, run by a non-root user."""

    def __init__(self, bindir, data, port, run_as):
        self.bindir, self.data, self.port, self.run_as = bindir, data, port, run_as

    def _ctl(self, *args, check=True):
        return subprocess.run([*self.run_as, str(self.bindir / "pg_ctl"), "-D", str(self.data / "db"), *args],
                              check=check, capture_output=True, cwd="/")

    def start(self):
        self._ctl("-l", str(self.data / "log"), "-w", "-o",
                  f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1", "start")

    def stop(self, mode="fast", check=True):
        self._ctl("-m", mode, "-w", "stop", check=check)

    def createdb(self, name):
        subprocess.run([str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "grader",
                        name], check=True, capture_output=True)
        return f"postgresql://grader@127.0.0.1:{self.port}/{name}"


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not bindir:
        pytest.fail("PostgreSQL is not installed: run `make test` (it installs it) or apt-get install postgresql")
    data = Path(tempfile.mkdtemp(prefix="backprop-pg-"))  # in /tmp itself: the server's user must reach it
    run_as = []
    if os.geteuid() == 0:                              # the server refuses to run as root
        import pwd
        user = pwd.getpwnam("postgres") if "postgres" in [p.pw_name for p in pwd.getpwall()] else pwd.getpwnam("nobody")
        os.chown(data, user.pw_uid, user.pw_gid)
        run_as = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups"]
    server = Postgres(bindir[-1], data, _free_port(), run_as)
    subprocess.run([*run_as, str(server.bindir / "initdb"), "-D", str(data / "db"), "-U", "grader", "--auth=trust"],
                   check=True, capture_output=True, cwd="/")
    server.start()
    try:
        yield server
    finally:
        server.stop("immediate", check=False)
        shutil.rmtree(data, ignore_errors=True)


def test_dask_cluster_with_postgres_gives_the_same_grades(sequential, postgres, tmp_path):
    from distributed import LocalCluster
    _, expected = sequential
    root, url = _class(tmp_path / "course"), postgres.createdb("dask")
    nbgrader(root, "generate_assignment", ASSIGNMENT, "--force", "--CourseDirectory.db_url=" + url)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        proc = subprocess.run([*CLI, "autograde", ASSIGNMENT, "--course", str(root), "--scheduler",
                               cluster.scheduler_address, "--db-url", url], env=tool_env(SECRET),
                              capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    assert f"{N_STUDENTS - 1} graded" in proc.stdout.replace("\n", " "), proc.stdout
    differ = _same_as_sequential(url, expected)
    assert not differ, f"Dask + PostgreSQL gradebook differs from sequential nbgrader + sqlite: {differ[:5]}"


def test_a_database_restart_mid_run_is_retried_and_loses_no_grade(sequential, postgres, tmp_path):
    _, expected = sequential
    root, url = _class(tmp_path / "course"), postgres.createdb("restart")
    nbgrader(root, "generate_assignment", ASSIGNMENT, "--force", "--CourseDirectory.db_url=" + url)
    proc = subprocess.Popen([*CLI, "autograde", ASSIGNMENT, "--jobs", "2", "--course", str(root), "--db-url", url],
                            env=tool_env(SECRET), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 240
    while time.time() < deadline and not list(root.glob(f"autograded/*/{ASSIGNMENT}/{MARKER}")):
        time.sleep(0.05)
    postgres.stop()                                    # the server goes away mid-run (connections cut) ...
    down_while = len(list(root.glob(f"autograded/*/{ASSIGNMENT}/{MARKER}")))
    time.sleep(2)
    postgres.start()                                   # ... and is back two seconds later
    out, _ = proc.communicate(timeout=400)
    assert down_while < N_STUDENTS - 1, "the class was graded before the server stopped: nothing was tested"
    assert proc.returncode == 1, out                   # the broken notebook fails, nothing else
    assert f"{N_STUDENTS - 1} graded, 1 failed" in " ".join(out.split()), out
    differ = _same_as_sequential(url, expected)
    assert not differ, f"gradebook after a database restart differs from sequential nbgrader's: {differ[:5]}"


def test_a_notebook_that_hangs_is_stopped_and_reported_and_the_rest_graded(tmp_path):
    root = _class(tmp_path / "course")
    with open(root / "nbgrader_config.py", "a") as config:
        config.write("\nc.Execute.timeout = 5\n")
    hung = root / "submitted" / "ada" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(str(hung), as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell(   # a loop that even ignores the interrupt
        "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.1)"))
    nbformat.write(nb, str(hung))
    proc = subprocess.run([*CLI, "autograde", ASSIGNMENT, "--jobs", "2", "--course", str(root)],
                          env=tool_env(SECRET), capture_output=True, text=True, timeout=300)
    out = " ".join(proc.stdout.split())
    assert proc.returncode == 1, out
    assert f"{N_STUDENTS - 2} graded, 2 failed" in out, out
    assert "failed ada: CellTimeoutError: A cell timed out" in out, out
    log = root / "logs" / "autograde" / ASSIGNMENT / "ada.log"
    assert "signal.SIG_IGN" in log.read_text(), "nbgrader's log of the failure was not kept"
    assert not (root / "autograded" / "ada" / ASSIGNMENT / MARKER).exists()


def _holding(folder):
    """Processes whose working directory is in `folder` (a kernel works in autograded/<student>/...)."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and os.readlink(f"/proc/{entry}/cwd").startswith(str(folder)):
                found.append(int(entry))
        except OSError:
            continue
    return found


def _state(pid):
    """'R', 'S', ... from /proc; 'Z' for a zombie; None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def _lineage(pid, stop):
    """pid and its ancestors up to (not including) the first one in `stop`, or [] if none of them is there."""
    chain = []
    while pid > 1 and pid not in stop:
        chain.append(pid)
        try:
            with open(f"/proc/{pid}/stat") as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            return []
    return chain if pid in stop else []


def test_a_dask_submission_past_its_wall_clock_is_stopped_and_charged_to_it_alone(sequential, tmp_path):
    """On Dask too, a submission holds its worker for at most BACKPROP_SUBMISSION_SECONDS: one that hangs
    (nbgrader's cell timeout set out of reach) is stopped with every process it had (its grading process
    below the Dask worker, the kernel template, the kernel), reported failed and charged to it alone, and
    the cluster's one worker thread goes on to grade the rest of the class."""
    from distributed import Client, LocalCluster
    _, expected = sequential
    root = _class(tmp_path / "course")
    with open(root / "nbgrader_config.py", "a") as config:
        config.write("\nc.Execute.timeout = 3600\n")
    hung = root / "submitted" / "ada" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(str(hung), as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell("import time\ntime.sleep(10**6)"))
    nbformat.write(nb, str(hung))
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        dask_workers = set(client.run(os.getpid).values())
        start = time.monotonic()
        proc = subprocess.Popen([*CLI, "autograde", ASSIGNMENT, "--course", str(root), "--scheduler",
                                 cluster.scheduler_address], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                env=tool_env({**SECRET, "BACKPROP_SUBMISSION_SECONDS": "20"}), text=True)
        ada = set()                                    # ada's kernel and its ancestors below the Dask worker
        while proc.poll() is None and time.monotonic() - start < 300:
            for pid in _holding(root / "autograded" / "ada"):
                ada.update(_lineage(pid, dask_workers))
            time.sleep(0.2)
        if proc.poll() is None:
            proc.kill()
            pytest.fail(f"the class was not graded in 300 s: ada's submission held the worker "
                        f"({sorted(p for p in ada if _state(p))} still running)\n{proc.communicate()[0]}")
        took = time.monotonic() - start
        out = " ".join(proc.communicate()[0].split())
        deadline = time.monotonic() + 10
        while any(_state(p) not in (None, "Z") for p in ada) and time.monotonic() < deadline:
            time.sleep(0.1)
        survivors = {p: _state(p) for p in ada if _state(p) not in (None, "Z")}
        assert client.submit(sum, [1, 2], pure=False).result(timeout=30) == 3, "the worker's thread is not free"
    assert proc.returncode == 1, out
    assert f"{N_STUDENTS - 2} graded, 2 failed" in out, out
    assert "failed ada: grading it took longer than 20 s: stopped; not graded" in out, out
    assert took < 20 + 150, f"the class took {took:.0f} s"
    assert len(ada) >= 3, f"ada's kernel and the processes above it were not seen: {ada}"
    assert not survivors, f"processes of ada's submission outlived its wall clock: {survivors}"
    differ = [k for k in _same_as_sequential(f"sqlite:///{root / 'gradebook.db'}", expected) if k[0] != "ada"]
    assert not differ, f"the rest of the class was not graded as sequential nbgrader grades it: {differ[:5]}"
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        assert gb.find_submission(ASSIGNMENT, "ada").needs_manual_grade, "ada's failure was not charged"
    assert not (root / "autograded" / "ada" / ASSIGNMENT / MARKER).exists()


def test_nbgrader_metadata_validation_gives_the_same_verdicts_with_the_schema_checked_once():
    import jsonschema
    from nbgrader.nbgraderformat.v3 import MetadataValidatorV3
    from autograders.instructor.worker import _SchemaCheckedOnce
    schema, shim = MetadataValidatorV3().schema, _SchemaCheckedOnce(jsonschema)
    good = {"grade": True, "grade_id": "a", "locked": False, "points": 1.0, "schema_version": 3,
            "solution": False, "task": False}
    for bad in (dict(good, points="x"), dict(good, grade_id=3), {k: v for k, v in good.items() if k != "grade"}):
        with pytest.raises(jsonschema.ValidationError) as theirs:
            jsonschema.validate(bad, schema)
        with pytest.raises(jsonschema.ValidationError) as ours:
            shim.validate(bad, schema)
        assert ours.value.message == theirs.value.message
    shim.validate(good, schema)


def test_gradebooks_in_a_worker_share_one_engine_and_still_reconnect(tmp_path, monkeypatch):
    from nbgrader import api
    from autograders.instructor.worker import _OneEnginePerDatabase
    monkeypatch.setattr(api, "create_engine", _OneEnginePerDatabase(api.create_engine))
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with api.Gradebook(url) as gb:
        gb.add_student("ada")
        first = gb.engine
    with api.Gradebook(url) as gb:                     # after close() disposed of the connections
        assert gb.engine is first, "a second Gradebook made a new engine"
        assert [s.id for s in gb.students] == ["ada"]
    with api.Gradebook(f"sqlite:///{tmp_path / 'other.db'}") as gb:
        assert gb.engine is not first and gb.students == []
