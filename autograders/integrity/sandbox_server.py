"""The verification sandbox's template: one covered process per course (no network, NumPy imported, never
running student code) that forks one locked-down student process per Sandbox (sandbox.py) in ~10 ms."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .namespaces import COVER, PACKAGE, READ_ONLY, _drop, _readonly_dir, _site_paths, _unshare, hidden_paths
from .sandbox_protocol import ChildGone



HERE = Path(__file__).resolve().parent


RUNNER = HERE / "sandbox_runner.py"


JAIL = HERE / "jail.py"                   # sent ahead of the runner: the child cannot import our packages


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


def _child_code():
    return JAIL.read_text() + "\n" + RUNNER.read_text()


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


TRACER = PACKAGE / "engine" / "numerical.py"
