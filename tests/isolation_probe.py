"""Attacks from inside a jailed kernel (issue 21, findings 1, 4 and 5), run by test_isolation_kernel.py
as root and as an unprivileged user: `python isolation_probe.py <course> <nbgrader|fork>` prints one JSON
object saying what each attack achieved. Needs the course made by test_isolation_kernel.make_course.

Standard library and the grader's packages only (no pytest): the unprivileged user runs it with an
interpreter it can read, which need not have pytest.
"""
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GRANDCHILD = "1234.5678"          # `sleep 1234.5678`: the setsid grandchild, found by its argument

ATTACK = r'''
import ctypes, json, os, signal, socket, subprocess, sys
root, outside, port, repo_file, grader_home, host_marker = ARGS
out = {}
def attempt(name, fn):
    try:
        fn()
        out[name] = True
    except BaseException as err:
        out[name] = False
        out[name + "_error"] = type(err).__name__
def read_other():
    with open("../../bob/a1/a1.ipynb") as f:
        assert f.read()
attempt("read_other_student", read_other)
libc = ctypes.CDLL(None, use_errno=True)
out["umount_cover"] = libc.umount2((root + "/gradebook.db").encode(), 2) == 0
def write_gradebook():
    with open(root + "/gradebook.db", "r+b") as f:
        f.write(b"\0" * 16)
attempt("write_gradebook", write_gradebook)
attempt("kill_outside", lambda: os.kill(outside, signal.SIGKILL))
attempt("network", lambda: socket.create_connection(("127.0.0.1", port), timeout=2).close())
attempt("write_repository", lambda: open(repo_file, "a").close())
attempt("write_interpreter", lambda: open(os.path.join(sys.prefix, "pyvenv.cfg") if os.path.exists(
    os.path.join(sys.prefix, "pyvenv.cfg")) else os.path.join(sys.prefix, "bin", "python3"), "a").close())
attempt("write_grader_home", lambda: open(os.path.join(grader_home, ".backprop-probe"), "w").close())
attempt("see_host_tmp", lambda: open(host_marker).close())
attempt("write_dev_shm", lambda: open("/dev/shm/backprop-probe", "w").close())
out["dumpable"] = libc.prctl(3, 0, 0, 0, 0)     # PR_GET_DUMPABLE
out["sysv_shm"] = libc.shmget(0xBAC4, 4096, 0o1000 | 0o666) >= 0
out["inherited_gradebook_fd"] = any("gradebook" in os.readlink("/proc/self/fd/" + fd)
                                    for fd in os.listdir("/proc/self/fd") if os.path.islink("/proc/self/fd/" + fd))
def write_own():
    open("probe-own.txt", "w").close()
    os.unlink("probe-own.txt")
attempt("write_own_folder", write_own)
attempt("grader_secret_in_env", lambda: os.environ["BACKPROP_VERIFY_SECRET"])
subprocess.Popen(["sleep", "GRANDCHILD"], start_new_session=True, stdin=subprocess.DEVNULL,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(json.dumps(out))
'''


async def run_in_kernel(manager_class, cwd, code, timeout=60):
    km = manager_class()
    await km.start_kernel(cwd=str(cwd), env={**os.environ, "BACKPROP_VERIFY_SECRET": "grader-only"})
    info = {"connection_file": km.connection_file, "home": km._home}
    st_file, st_home = os.stat(km.connection_file), os.stat(km._home)
    info.update(file_mode=oct(st_file.st_mode & 0o777), home_mode=oct(st_home.st_mode & 0o777),
                file_uid=st_file.st_uid, home_uid=st_home.st_uid)
    if os.geteuid() == 0:                       # another local user tries to read the HMAC key
        other = subprocess.run(["setpriv", "--reuid=12345", "--regid=12345", "--clear-groups", "cat",
                                km.connection_file], capture_output=True)
        info["other_user_reads_connection_file"] = other.returncode == 0
    kc = km.client()
    kc.start_channels()
    texts = []
    try:
        await kc.wait_for_ready(timeout=timeout)
        await kc.execute_interactive(code, timeout=timeout, output_hook=lambda msg: texts.append(
            msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None)
        info["kernel_uid"] = int(await _ask(kc, "import os; print(os.getuid())", timeout))
    finally:
        kc.stop_channels()
        await km.shutdown_kernel(now=True)
    info["output"] = "".join(texts)
    return info


async def _ask(kc, code, timeout):
    texts = []
    await kc.execute_interactive(code, timeout=timeout, output_hook=lambda msg: texts.append(
        msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None)
    return "".join(texts).strip()


def sysv_key_outside(key):
    """True if a System V shared memory segment with `key` exists in the grader's IPC namespace (removed)."""
    try:
        with open("/proc/sysvipc/shm") as f:
            rows = [line.split() for line in f][1:]
    except OSError:
        return False
    found = [row[1] for row in rows if row and int(row[0]) == key]
    for shmid in found:
        subprocess.run(["ipcrm", "-m", shmid], capture_output=True)
    return bool(found)


def grandchildren_left():
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if GRANDCHILD.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


def _raised(box):
    """What the sandbox's single cell raised, as 'Type: message' ('' if it started and raised nothing)."""
    assert box.start(), box.fault
    return box.load_errors[0][1] if box.load_errors else ""


def sandbox_attacks():
    """Verification's sandbox, attacked from inside: another sandbox's memory, the host's scratch folders."""
    from autograders.integrity.sandbox import Sandbox
    out = {}
    with Sandbox([(0, "secret = 'x' * 10")]) as first:
        assert first.start(), first.fault
        spy = (f"try:\n    open('/proc/{first.proc.pid}/mem', 'rb').read(1)\n    got = 'read'\n"
               f"except OSError as e:\n    got = type(e).__name__\nraise RuntimeError(got)")
        with Sandbox([(0, spy)]) as second:
            out["other_sandbox_memory"] = "read" in _raised(second).split(": ", 1)[-1]
    table = Path("/dev/shm") / f"backprop-probe-table-{os.getpid()}"
    table.write_text("precomputed answers")
    try:
        with tempfile.NamedTemporaryFile(prefix="backprop-host-") as marker:
            look = f"import os\nraise RuntimeError(os.path.exists({str(table)!r}) or os.path.exists({marker.name!r}))"
            with Sandbox([(0, look)]) as box:
                out["sees_host_scratch"] = _raised(box).endswith("True")
    finally:
        table.unlink()
    return out


def main(root, how):
    from autograders.integrity import kernel, kernel_fork
    root = Path(root)
    manager = kernel_fork.ForkKernelManager if how == "fork" else kernel.JailedKernelManager
    outside = subprocess.Popen(["sleep", "600"], start_new_session=True)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    before = (root / "gradebook.db").read_bytes()
    gradebook_fd = os.open(root / "gradebook.db", os.O_RDWR)     # the grader's open gradebook, inheritable
    os.set_inheritable(gradebook_fd, True)
    marker = tempfile.NamedTemporaryFile(prefix="backprop-host-")
    import autograders
    args = [str(root), outside.pid, listener.getsockname()[1], autograders.__file__, str(Path.home()), marker.name]
    code = ATTACK.replace("ARGS", repr(args)).replace("GRANDCHILD", GRANDCHILD)
    info = asyncio.run(run_in_kernel(manager, root / "autograded" / "alice" / "a1", code))
    try:
        info["attacks"] = json.loads(info["output"].strip().splitlines()[-1])
    except (ValueError, IndexError):
        info["attacks"] = {}
    time.sleep(0.5)
    info["gradebook_changed"] = (root / "gradebook.db").read_bytes() != before
    info["grader_home_written"] = (Path.home() / ".backprop-probe").exists()
    info["dev_shm_written"] = Path("/dev/shm/backprop-probe").exists()
    info["sysv_shm_outside"] = sysv_key_outside(0xBAC4)
    for leftover in (Path.home() / ".backprop-probe", Path("/dev/shm/backprop-probe")):
        leftover.unlink(missing_ok=True)
    info["outside_killed"] = outside.poll() is not None
    info["grandchildren_left"] = grandchildren_left()
    info["grader_uid"] = os.geteuid()
    info["sandbox"] = sandbox_attacks()
    for pid in info["grandchildren_left"]:
        os.kill(pid, signal.SIGKILL)
    outside.kill()
    print(json.dumps(info))


if __name__ == "__main__":
    if how := sys.argv[2] if len(sys.argv) > 2 else "":
        if how == "fork":
            os.environ["BACKPROP_FORK_KERNELS"] = "1"
    main(sys.argv[1], sys.argv[2])
