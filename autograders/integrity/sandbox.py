"""Run a student's notebook code in a separate, locked-down process and call its functions from here.

The child (sandbox_runner.py) sees NumPy and the standard library only: it runs in new
mount and network namespaces where the course directory, the grader's packages and the
entries of /tmp are covered by empty file systems, as user `nobody` (started as root) or in a user
namespace with the interpreter read-only (started as a user); no network; CPU, memory
and file-size limits; a clean environment (no NBGRADER_* or BACKPROP_*
variables), and its stdout/stderr going nowhere. Values cross as JSON, never pickle.

`Sandbox.function(name)` returns a plain callable, so the trusted grading engine in
this process (grading.grade) diagnoses it exactly as it diagnoses a function in the
kernel: every comparison with the reference happens here, out of the student's reach.
"""
import builtins
import json
import os
import re
import resource
import select
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from ..engine import settings
from ..engine.guard import CallTimeout

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent                     # autograders/
RUNNER = HERE / "sandbox_runner.py"
JAIL = HERE / "jail.py"                   # sent ahead of the runner: the child cannot import our packages
TRACER = PACKAGE / "engine" / "numerical.py"
#: A shell function that hides one path in a private mount namespace: a folder behind an empty read-only
#: tmpfs, a file behind /dev/null; a path gone since it was listed (a journal file) has nothing to hide.
COVER = r"""
cover() {
  if [ -d "$1" ]; then mount -t tmpfs -o size=4k,mode=0555 none "$1" || [ ! -e "$1" ] || exit 32
  elif [ -e "$1" ]; then mount --bind /dev/null "$1" || [ ! -e "$1" ] || exit 32; fi
}
"""
#: Read-only views for the two ways the student's process may hold uid 0 (see MOUNT_SCRIPT).
READ_ONLY = r"""
read_only_mounts() {  # every mount but "$1" read-only: uid 0 without capabilities can still write root's files
  awk '{print $5}' /proc/self/mountinfo | while read -r mp; do
    [ "$mp" = "$1" ] || mount -o remount,bind,ro "$mp" 2>/dev/null || true
  done
}
read_only_dir() { mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || true; }
"""
MOUNT_SCRIPT = COVER + READ_ONLY + r"""
set -e
python="$1"; code="$2"; fd="$3"; paths="$4"; tracer="$5"; cell="$6"; readonly_dir="$7"; tmp="$8"; keep="$9"
drop="${10}"; scratch="${11}"
shift 11
for p in "$@"; do cover "$p"; done
# /dev/shm, /var/tmp, /run: fresh and empty, so nothing a kernel wrote there reaches verification
for d in $scratch; do mount -t tmpfs -o size=16m,mode=1777 none "$d"; done
# /tmp: an empty private tmpfs, except the interpreter's folder if it lives there (a clone in /tmp),
# bound back from the working directory, which still points at the original
[ -z "$keep" ] || cd "$keep"
mount -t tmpfs -o size=64m,mode=1777 none "$tmp"
if [ -n "$keep" ]; then mkdir -p "$keep" && mount --no-canonicalize --bind /proc/self/cwd "$keep"; fi
mkdir -m 1777 "$tmp/work"
cd "$tmp/work"
if [ "$(id -u)" = 0 ] && [ -z "$readonly_dir" ]; then
  if [ "$drop" = nobody ]; then
    # really root: drop to nobody, who cannot write the course, the virtualenv or anything of root's
    exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$python" -I -S -c "$code" "$fd" "$paths" "$tracer" "$cell"
  fi
  # nobody cannot run this interpreter (a pyenv under /root): stay uid 0 but read-only everywhere but the
  # scratch tmpfs, without any capability (so no remount, no way back to the host's namespaces)
  read_only_mounts "$tmp"
  exec setpriv --bounding-set=-all --inh-caps=-all --no-new-privs "$python" -I -S -c "$code" "$fd" "$paths" "$tracer" "$cell"
fi
# an ordinary user (mapped to root in a user namespace): make the interpreter's prefix read-only
read_only_dir "$readonly_dir"
exec "$python" -I -S -c "$code" "$fd" "$paths" "$tracer" "$cell"
"""


#: The same covers for a template (SandboxServer) that forks one student process per Sandbox. It keeps its
#: privileges (it never runs student code): each forked process makes its own /tmp, then drops them.
ZYGOTE_SCRIPT = COVER + READ_ONLY + r"""
set -e
python="$1"; code="$2"; fd="$3"; site="$4"; tracer="$5"; readonly_dir="$6"; drop="$7"
shift 7
for p in "$@"; do cover "$p"; done
if [ "$(id -u)" = 0 ] && [ -z "$readonly_dir" ]; then
  # the student's process will be uid 0 without capabilities: read-only everywhere but its own /tmp
  [ "$drop" = nobody ] || read_only_mounts ""
else
  read_only_dir "$readonly_dir"
fi
exec "$python" -I -S -c "$code" "$fd" "$site" "$tracer" zygote
"""


class SandboxError(Exception):
    """The sandbox itself could not be started (a problem of the grading machine, not of the student)."""


class ChildGone(RuntimeError):
    """The process running the student's code exited or was killed."""


#: The longest answer the child may write (an array of 100 000 numbers, its input back, and JSON's words).
MAX_REPLY = 32 << 20
#: How much longer than the per-call limit the grader waits for an answer (the child enforces the limit).
CALL_GRACE = 1.0


class Replies:
    """The child's answers, read with os.read into a buffer: one line at a time, each within a deadline
    and at most MAX_REPLY bytes, so a child that writes half a line and sleeps, or an endless line,
    can neither hang the grader nor fill its memory."""

    def __init__(self, fd):
        self.fd, self.buffer = fd, bytearray()

    def fileno(self):
        return self.fd

    def line(self, timeout):
        """The next line (bytes, without its newline); None at end of file; TimeoutError, ChildGone."""
        deadline = time.monotonic() + timeout
        while True:
            end = self.buffer.find(b"\n")
            if end >= 0:
                line = bytes(self.buffer[:end])
                del self.buffer[:end + 1]
                return line
            if len(self.buffer) > MAX_REPLY:
                raise ChildGone(f"the process running your code wrote an answer longer than {MAX_REPLY >> 20} MB")
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError()
            if select.select([self.fd], [], [], left)[0]:
                chunk = os.read(self.fd, 1 << 16)
                if not chunk:
                    return None
                self.buffer += chunk

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _send(fd, data, timeout):
    """Write all of `data` to the child's request pipe (non-blocking) within `timeout` seconds."""
    os.set_blocking(fd, False)
    deadline, view = time.monotonic() + timeout, memoryview(data)
    while view:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError()
        if select.select([], [fd], [], left)[1]:
            try:
                view = view[os.write(fd, view):]
            except BlockingIOError:
                continue


def _site_paths():
    """Where NumPy lives, without .pth processing (so editable installs of our packages stay invisible)."""
    numpy_site = str(Path(np.__file__).resolve().parent.parent)
    return [numpy_site]


def _kept():
    return [Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), Path(np.__file__).resolve(),
            Path(sys.executable).resolve()]


def kept_in_tmp():
    """The folder under /tmp that must stay visible because the interpreter lives there ("" if none)."""
    tmp = Path(tempfile.gettempdir()).resolve()
    inside = [str(k) for k in _kept() if tmp in k.parents]
    if not inside:
        return ""
    common = Path(os.path.commonpath(inside))
    return "" if common == tmp else str(common)


def entries_to_cover(root, keep):
    """The entries of folder `root` to hide: all but symlinks and those that are or hold a `keep` path."""
    keep = [Path(k).resolve() for k in keep]
    return [entry for entry in (e.resolve() for e in sorted(Path(root).iterdir()) if not e.is_symlink())
            if not any(k == entry or entry in k.parents for k in keep)]


def hidden_paths(course_root=None):
    """Everything the child must not see: our packages, the course directory, the repository.

    Entries of the course root and the repository are covered one by one, except the ones
    that hold the Python interpreter or NumPy (a virtualenv inside the repository). /tmp is
    covered as a whole by the mount script.
    """
    import solutions
    hide = {PACKAGE, Path(solutions.__file__).resolve().parent}
    for root in {Path(course_root).resolve() if course_root else None, PACKAGE.parent}:
        if root is not None and root.is_dir():
            hide.update(entries_to_cover(root, _kept()))
    hide = {p for p in hide if p.exists()}
    outermost = {p for p in hide if not any(q in p.parents for q in hide)}   # a covered folder hides its inside
    return sorted(str(p) for p in outermost)


def _limits(cpu_seconds, memory_bytes):
    def apply():
        os.setsid()
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (16 << 20, 16 << 20))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


_ISOLATION = None


def isolation_available():
    """True when the namespaces (and, as root, setpriv) work here (tested once per process)."""
    global _ISOLATION
    if _ISOLATION is None:
        probe = f"mount -t tmpfs none {tempfile.gettempdir()}" + (" && setpriv --bounding-set=-all true"
                                                                  if os.geteuid() == 0 else "")
        try:
            _ISOLATION = bool(shutil.which("unshare")) and subprocess.run(
                [*_unshare(), "sh", "-c", probe], timeout=10,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
        except (OSError, subprocess.SubprocessError):
            _ISOLATION = False
    return _ISOLATION


def scratch_dirs():
    """The shared scratch folders besides /tmp that each sandbox gets fresh and empty (those that exist and
    hold nothing the child needs)."""
    kept, tmp = _kept(), _tmp()
    return [d for d in ("/dev/shm", "/var/tmp", "/run") if os.path.isdir(d) and not os.path.islink(d)
            and d != tmp and not any(Path(d) in k.parents for k in kept)]


def _tmp():
    return str(Path(tempfile.gettempdir()).resolve())


def _readonly_dir():
    """The folder an ordinary user's child sees read-only (the interpreter's prefix); '' for root."""
    return "" if os.geteuid() == 0 else str(Path(sys.prefix).resolve())


def _drop():
    """How a root-started child gives up root: 'nobody' when nobody can run this interpreter, else 'caps'."""
    from .kernel import can_drop_privileges
    return "nobody" if can_drop_privileges() else "caps"


def _unshare(pid=False):
    """Root gets mount and network namespaces (then drops to nobody); a user also a user namespace.
    With `pid`, also a PID namespace whose pid 1 is the child, with its own /proc."""
    flags = ["-mn" if os.geteuid() == 0 else "-Urmn"]
    if pid:
        flags += ["--pid", "--fork", "--kill-child", "--mount-proc"]
    return [shutil.which("unshare") or "unshare", *flags, "--"]


def _child_code():
    return JAIL.read_text() + "\n" + RUNNER.read_text()


class Sandbox:
    """One student's code in one child process; restarted (state reset) after a crash or a timeout."""

    def __init__(self, cells, course_root=None, isolate=True, cpu_seconds=None, memory_mb=None):
        self.cells = [[int(i), str(s)] for i, s in cells]
        self.course_root = course_root
        self.isolated = isolate and isolation_available()
        if isolate and not self.isolated:
            from .mode import require
            require(kernels=False)            # fail closed, unless --allow-unisolated
        self.cpu_seconds = cpu_seconds or settings.VERIFY_CPU_SECONDS
        self.memory = (memory_mb or settings.VERIFY_MEMORY_MB) << 20
        self.proc = None
        self.load_errors, self.functions, self.fault = [], [], ""
        self.restarts = 0

    # -- process ---------------------------------------------------------------------------
    def _command(self, fd):
        code = _child_code()
        args = [str(fd), json.dumps(_site_paths()), TRACER.read_text(),
                f"{settings.VERIFY_CELL_SECONDS},{settings.CALL_TIME_LIMIT}"]
        if self.isolated:
            return [*_unshare(pid=True), "sh", "-c", MOUNT_SCRIPT, "sh", sys.executable, code, *args, _readonly_dir(),
                    _tmp(), kept_in_tmp(), _drop(), " ".join(scratch_dirs()),
                    *hidden_paths(self.course_root)]
        return [sys.executable, "-I", "-S", "-c", code, *args]

    def start(self):
        """Start the child and run the notebook cells in it; False if it died or hung while loading."""
        self.close()
        server = SandboxServer.get(self.course_root) if self.isolated else None
        try:
            self._fork(server) if server else self._spawn()
            self._hello()
        except (ChildGone, TimeoutError) as err:
            self.close()
            if server:
                server.broken = True          # the next sandboxes start the slow, separate way
                print("verification: the sandbox template did not start; sandboxes now start one by one "
                      "(same isolation, slower)", file=sys.stderr)
            raise SandboxError(f"the verification process did not start ({err or 'no answer'})") from None
        try:
            reply = self._request({"op": "load", "cells": self.cells}, settings.VERIFY_LOAD_SECONDS)
        except ChildGone as gone:
            self.fault = str(gone)
            self.close()
            return False
        except TimeoutError:
            self.fault = (f"running the notebook's cells took longer than {settings.VERIFY_LOAD_SECONDS:g} s "
                          "(a loop that never ends outside a function?)")
            self.close()
            return False
        self.load_errors, self.functions = reply.get("errors", []), reply.get("functions", [])
        return True

    def _spawn(self):
        """A new process: unshare, the mount script, python, NumPy (about 0.25 s of CPU)."""
        read_fd, write_fd = os.pipe()
        try:
            self.proc = subprocess.Popen(self._command(write_fd), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, pass_fds=(write_fd,), env=_ENV, text=True,
                                         cwd="/", preexec_fn=_limits(self.cpu_seconds, self.memory))
        except OSError as err:
            os.close(read_fd)
            raise SandboxError(f"cannot start the verification process: {err}") from err
        finally:
            os.close(write_fd)
        self.replies, self.requests = Replies(read_fd), self.proc.stdin.fileno()
        self.restarts += 1

    def _fork(self, server):
        """A process forked from the course's SandboxServer (about 10 ms), as locked down as _spawn's."""
        requests_r, requests_w = os.pipe()
        read_fd, write_fd = os.pipe()
        try:
            server.fork({"tmp": _tmp(), "keep": kept_in_tmp(), "drop": _drop(), "scratch": scratch_dirs(),
                         "cpu_seconds": self.cpu_seconds, "memory": self.memory, "env": _ENV,
                         "cell_seconds": settings.VERIFY_CELL_SECONDS, "call_seconds": settings.CALL_TIME_LIMIT},
                        requests_r, write_fd)
        except OSError as err:
            for fd in (requests_w, read_fd):
                os.close(fd)
            raise ChildGone(f"the sandbox server is gone ({err})") from None
        finally:
            os.close(requests_r)
            os.close(write_fd)
        self.replies, self.requests = Replies(read_fd), requests_w
        self.proc = ForkedChild(requests_w, self.replies)
        self.restarts += 1

    def _hello(self):
        """The runner's first line, written before any student code runs: proof the sandbox itself works."""
        line = self.replies.line(30)
        if not line:
            raise ChildGone(self._death() if self.proc else "no answer")
        try:
            hello = json.loads(line)
        except ValueError:
            hello = {}
        if not isinstance(hello, dict) or hello.get("hello") is not True:
            raise ChildGone(hello.get("setup_failed") or "unexpected first answer")
        if isinstance(self.proc, ForkedChild):
            self.proc.pid = int(hello["pid"])

    def close(self):
        if self.proc is not None:
            try:
                self.proc.pid and os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            isinstance(self.proc, ForkedChild) or self.proc.wait()
            for stream in (self.proc.stdin, getattr(self, "replies", None)):
                try:
                    stream and stream.close()
                except OSError:
                    pass
            if isinstance(self.proc, ForkedChild):
                try:
                    os.close(self.requests)
                except OSError:
                    pass
            self.proc = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _request(self, request, timeout):
        if self.proc is None:
            raise ChildGone("the process running your code is not running")
        deadline = time.monotonic() + timeout
        try:
            _send(self.requests, (json.dumps(request) + "\n").encode(), timeout)
        except TimeoutError:
            self.close()
            raise
        except OSError:
            raise ChildGone(self._death()) from None
        try:
            line = self.replies.line(deadline - time.monotonic())
        except (TimeoutError, ChildGone):
            self.close()
            raise
        if line is None:
            raise ChildGone(self._death())
        try:
            reply = json.loads(line)
        except ValueError:
            reply = None
        if not isinstance(reply, dict):
            self.close()
            raise ChildGone("the process running your code wrote something that is not an answer")
        if isinstance(self.proc, ForkedChild) and "died" in reply:
            raise ChildGone(self._death(reply["died"]))
        return reply

    def _death(self, code=None):
        """Why the child is gone, from its exit code; the child's pipes are closed."""
        if code is None and self.proc is not None:
            code = self.proc.wait(timeout=5)
        self.close()
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            why = {"SIGXCPU": "it used more CPU time than allowed", "SIGKILL": "it was killed (it ran out of memory, or killed itself)",
                   "SIGSEGV": "it crashed"}.get(name, f"it got {name}")
            return f"the process running your code stopped: {why}"
        return f"the process running your code exited (exit code {code})"

    # -- calling ------------------------------------------------------------------------------
    def function(self, name):
        """A callable that runs the student's `name` in the child; None if the notebook does not define it."""
        if self.proc is None and not self.start():
            return None
        return RemoteFunction(self, name) if name in self.functions else None

    def call(self, name, args, trace):
        if self.proc is None and not self.start():
            raise ChildGone(self.fault)
        try:
            reply = self._request({"op": "call", "fn": name, "args": [_encode(a) for a in args], "trace": trace},
                                  settings.CALL_TIME_LIMIT + CALL_GRACE)
        except ChildGone:
            raise
        except TimeoutError:
            self.close()                   # no answer in time: as the kernel's per-call limit says
            raise CallTimeout() from None
        except BaseException:
            self.close()                   # a timeout in the caller: the child may still be looping
            raise
        if reply.get("timeout"):           # the child's own per-call limit (it holds in any thread here)
            self.close()
            raise CallTimeout()
        return reply


_ENV = {"PATH": "/usr/bin:/bin", "HOME": str(Path(tempfile.gettempdir()) / "work"), "LANG": "C.UTF-8",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}


class ForkedChild:
    """Enough of subprocess.Popen for a Sandbox whose process was forked by a SandboxServer: the
    monitor the server forks with it reports its exit code as a last line on the protocol pipe."""

    stdin = None

    def __init__(self, requests_fd, replies):
        self.requests, self.replies, self.pid = requests_fd, replies, None

    def wait(self, timeout=5):
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.replies.line(left)
            except (TimeoutError, ChildGone, OSError, TypeError):
                return None
            if line is None:
                return None
            try:
                reply = json.loads(line)
            except ValueError:
                continue
            if isinstance(reply, dict) and "died" in reply:
                return reply["died"]
        return None


class SandboxServer:
    """A template process per grading process and course, started like a sandbox (the course covered,
    no network, NumPy imported) but never running student code: each Sandbox forks its student's process
    from it, which takes its own /tmp, limits and dropped privileges. Saves ~0.2 s of CPU per student."""

    _instances, _lock = {}, threading.Lock()

    def __init__(self, course_root):
        self.broken = False
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        command = [*_unshare(), "sh", "-c", ZYGOTE_SCRIPT, "sh", sys.executable, _child_code(),
                   str(theirs.fileno()), json.dumps(_site_paths()), TRACER.read_text(), _readonly_dir(), _drop(),
                   *hidden_paths(course_root)]
        try:
            self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, pass_fds=(theirs.fileno(),), env=_ENV,
                                         cwd="/", start_new_session=True)
        finally:
            theirs.close()

    @classmethod
    def get(cls, course_root):
        """The server of this process for `course_root`; None where sandboxes must start one by one."""
        if os.environ.get("BACKPROP_SANDBOX_SERVER", "1") == "0":
            return None
        key = (os.getpid(), str(course_root))        # never a server inherited through fork
        with cls._lock:
            server = cls._instances.get(key)
            if server is not None and server.broken:
                return None
            if server is None or server.proc.poll() is not None:
                server = cls._instances[key] = cls(course_root)
            return server

    def fork(self, request, requests_fd, protocol_fd):
        with self._lock:
            socket.send_fds(self.control, [json.dumps(request).encode()], [requests_fd, protocol_fd])


class RemoteFunction:
    """Calls the student's function in the sandbox; behaves like the function for grading.grade."""

    def __init__(self, sandbox, name):
        self.sandbox, self.__name__ = sandbox, name
        self.calls = 0
        self.perturbation_seen = False

    def __call__(self, *args):
        self.calls += 1
        reply = self.sandbox.call(self.__name__, args, trace=self.calls == 1)
        if reply.get("missing"):
            raise NameError(f"name '{self.__name__}' is not defined")
        if "error" in reply:
            cls = getattr(builtins, reply.get("type", ""), None)
            cls = cls if isinstance(cls, type) and issubclass(cls, Exception) else RuntimeError
            try:
                exc = cls(reply["error"].partition(": ")[2])
            except Exception:
                exc = RuntimeError(reply["error"])
            exc.remote_where = reply.get("where", "")
            raise exc
        for arg, changed in zip(args, reply.get("mutated", [])):
            if changed is not None and isinstance(arg, np.ndarray):
                new = _decode(changed)
                if isinstance(new, np.ndarray) and new.shape == arg.shape:
                    arg[...] = new                # the child changed its copy: show the guard the same
                else:
                    arg[...] = np.nan
        self.perturbation_seen |= bool(reply.get("perturbed"))
        return _decode(reply.get("value"))


def _encode(value):
    if isinstance(value, np.ndarray):
        return {"array": value.tolist(), "shape": list(value.shape)}
    return float(value) if isinstance(value, (float, int, np.floating, np.integer)) else value


_DTYPES = {"float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"}
_NAME = re.compile(r"^[A-Za-z_]\w{0,40}$")


def _decode(value):
    """Rebuild a returned value from its JSON form; anything odd becomes an inert object of that type name."""
    if not isinstance(value, dict):
        return _opaque("object")
    if "float" in value:
        x = float(value["float"])
        cls = value.get("cls", "float")
        return np.float32(x) if cls == "float32" else np.float64(x) if cls.startswith("float6") else \
            int(x) if cls in ("int", "int64", "int32") and x.is_integer() else x
    if "array" in value:
        dtype = value.get("dtype") if value.get("dtype") in _DTYPES else "float64"
        return np.array(value["array"], dtype=np.float64).reshape(value["shape"]).astype(dtype)
    if "tuple" in value:
        return tuple(_decode(v) for v in value["tuple"][:100])
    if "list" in value:
        return [_decode(v) for v in value["list"][:100]]
    name = value.get("type", "object")
    if name == "NoneType":
        return None
    return _opaque(name if _NAME.match(str(name)) else "object")


def _opaque(name):
    return type(name, (), {"__repr__": lambda self: f"<{name}>"})()
