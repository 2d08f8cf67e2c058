"""A jailed kernel, attacked from inside (issue 21, findings 1, 4, 5), under nbgrader's own kernel manager
(`nbgrader autograde`) and the fork server (`backprop-grader autograde`), run as root and as an
unprivileged user (created if missing: CI runs as root). What each attack tries: isolation_probe.py."""
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from autograders.integrity import bubblewrap

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
USER = "backprop-ci"
#: An interpreter any user can run, with nbgrader and ipykernel (the hub's venv, made by `make hub-install`).
SHARED_PYTHON = Path(os.environ.get("BACKPROP_SHARED_PYTHON", "/srv/backprop-hub/venv/bin/python"))

pytestmark = pytest.mark.skipif(not bubblewrap.available(), reason=f"needs {bubblewrap.problem()}")


def make_course(root):
    (root / "autograded" / "alice" / "a1").mkdir(parents=True)
    (root / "autograded" / "bob" / "a1").mkdir(parents=True)
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    (root / "gradebook.db").write_bytes(os.urandom(4096))
    (root / "autograded" / "bob" / "a1" / "a1.ipynb").write_text('{"bob": "his answers"}\n')
    return root


def _unprivileged(tmp):
    """(command prefix, course) to run the probe as USER with a copy of the package it can read."""
    if os.geteuid() != 0:
        pytest.skip("already unprivileged: the root run is the other half")
    if not SHARED_PYTHON.exists() or shutil.which("runuser") is None:
        pytest.skip(f"no interpreter every user can run at {SHARED_PYTHON} (make hub-install), or no runuser")
    try:
        pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "-m", "-s", "/bin/sh", USER], check=True)
    home = pwd.getpwnam(USER).pw_dir
    tmp.chmod(0o755)
    for package in ("autograders", "solutions"):
        shutil.copytree(REPO / package, tmp / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(HERE / "isolation_probe.py", tmp / "isolation_probe.py")
    course = make_course(tmp / "course")
    subprocess.run(["chown", "-R", USER, str(course)], check=True)
    env = ["env", "-i", f"PATH={SHARED_PYTHON.parent}:/usr/bin:/bin", f"HOME={home}", f"PYTHONPATH={tmp}"]
    return ["runuser", "-u", USER, "--", *env, str(SHARED_PYTHON), str(tmp / "isolation_probe.py")], course


@pytest.fixture(scope="module", params=["root", "unprivileged"])
def who(request, tmp_path_factory):
    if request.param == "unprivileged":                 # (pytest's own tmp folder is root's alone)
        tmp = Path(tempfile.mkdtemp(prefix="backprop-unprivileged-", dir="/tmp"))
        yield _unprivileged(tmp)
        shutil.rmtree(tmp, ignore_errors=True)
        return
    tmp = tmp_path_factory.mktemp(request.param)
    yield [sys.executable, str(HERE / "isolation_probe.py")], make_course(tmp / "course")


@pytest.fixture(scope="module", params=["nbgrader", "fork"])
def probe(request, who):
    command, course = who
    proc = subprocess.run([*command, str(course), request.param], capture_output=True, text=True, timeout=300,
                          env=None if command[0] == "runuser" else {**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_the_kernel_cannot_unmount_a_cover_or_write_the_gradebook(probe):
    assert probe["attacks"]["umount_cover"] is False, probe
    assert not probe["gradebook_changed"], probe


def test_the_kernel_cannot_read_another_students_autograded_notebook(probe):
    assert probe["attacks"]["read_other_student"] is False, probe["attacks"]


def test_the_kernel_cannot_kill_a_process_outside(probe):
    assert probe["attacks"]["kill_outside"] is False and not probe["outside_killed"], probe["attacks"]


def test_a_setsid_grandchild_dies_with_the_kernel(probe):
    assert probe["grandchildren_left"] == [], probe


def test_the_kernel_has_no_network(probe):
    assert probe["attacks"]["network"] is False, probe["attacks"]


def test_the_connection_file_is_the_kernels_alone(probe):
    assert probe["file_mode"] == "0o600" and probe["home_mode"] == "0o700", probe
    assert probe["file_uid"] == probe["home_uid"] == probe["grader_uid"], probe
    assert probe.get("other_user_reads_connection_file") in (None, False), probe


def test_the_kernel_cannot_write_the_graders_files(probe):
    attacks = probe["attacks"]
    assert not attacks["write_repository"] and not attacks["write_interpreter"], attacks
    assert not probe["grader_home_written"] and not attacks["grader_secret_in_env"], probe
    assert attacks["write_own_folder"], "the kernel can still write its own autograded folder"


def test_the_kernel_is_not_dumpable(probe):
    """No process of the same uid may read its memory (/proc/<pid>/mem) or ptrace it, forked or spawned."""
    assert probe["attacks"]["dumpable"] == 0, probe["attacks"]


def test_the_kernel_sees_nothing_of_the_hosts_tmp_shared_memory_or_open_files(probe):
    """An allowlisted root: fresh /tmp and /dev/shm, its own IPC namespace, none of the grader's descriptors."""
    attacks = probe["attacks"]
    assert not attacks["see_host_tmp"] and not probe["dev_shm_written"], probe
    assert not probe["sysv_shm_outside"], "a System V segment made in the kernel reached the grader's IPC namespace"
    assert not attacks["inherited_gradebook_fd"], "the grader's open gradebook reached the kernel"


def test_verification_sandboxes_see_neither_each_other_nor_the_hosts_scratch(probe):
    """The same sandbox for verification, as root and as the unprivileged user."""
    assert probe["sandbox"] == {"other_sandbox_memory": False, "sees_host_scratch": False}, probe["sandbox"]


def test_a_sandbox_cannot_read_another_sandboxs_memory():
    from autograders.integrity.sandbox import Sandbox
    with Sandbox([(0, "secret = 'x' * 10")]) as first:
        assert first.start(), first.fault
        pid = first.proc.pid
        spy = (f"try:\n    open('/proc/{pid}/mem', 'rb').read(1)\n    got = 'read'\nexcept OSError as e:\n"
               f"    got = type(e).__name__\nraise RuntimeError(got)")
        with Sandbox([(0, spy)]) as second:
            assert second.start(), second.fault
            assert second.load_errors and "read" not in second.load_errors[0][1].split(": ")[1], second.load_errors
