"""The verification sandbox's template: one process per grading process in the sandbox (bubblewrap.py; NumPy
imported, never running student code) that forks one locked-down student process per Sandbox (sandbox.py)
in ~10 ms."""
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import bubblewrap
from .sandbox_protocol import ChildGone



HERE = Path(__file__).resolve().parent


RUNNER = HERE / "sandbox_runner.py"


JAIL = HERE / "jail.py"                   # sent ahead of the runner: the child cannot import our packages


def _child_code():
    return JAIL.read_text() + "\n" + RUNNER.read_text()


_ENV = {"PATH": "/usr/bin:/bin", "HOME": "/tmp/work", "LANG": "C.UTF-8",
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
    """A template process per grading process, started in the sandbox (bubblewrap.py: the interpreter and
    NumPy, nothing of the course) but never running student code: each Sandbox forks its student's process
    from it, which takes its own PID namespace, /tmp, limits and dropped capabilities. Saves ~0.2 s of CPU
    per student."""

    _instances, _lock = {}, threading.Lock()

    def __init__(self, course_root):
        self.broken = False
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        fd = theirs.fileno()
        argv = [sys.executable, "-I", "-S", "-c", _child_code(), str(fd), json.dumps([bubblewrap.numpy_site()]),
                TRACER.read_text(), "zygote"]
        try:
            self.proc = subprocess.Popen(bubblewrap.command(argv, env=_ENV, template=True), stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(fd,),
                                         env={"PATH": os.environ.get("PATH", "")}, cwd="/",
                                         preexec_fn=bubblewrap.limits(0, 0, keep_fds=(fd,)))
        finally:
            theirs.close()
        self.template = None                                  # its pid as the grader sees it

    def host_pid(self, inner):
        """The grader's pid of the student process whose pid in the template's namespace is `inner`."""
        self.template = self.template or bubblewrap.program_pid(self.proc.pid)
        return bubblewrap.host_pid(self.template, inner, levels=2)

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


TRACER = HERE.parent / "engine" / "numerical.py"

