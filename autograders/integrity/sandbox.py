"""Run a student's notebook code in a separate, locked-down process and call its functions from here.

The child (sandbox_runner.py) runs in the one sandbox of bubblewrap.py, with nothing of the course:
NumPy and the standard library only, its own user, mount, PID, IPC and network namespaces, fresh
/tmp, /dev/shm, /var/tmp and /run (nothing a kernel wrote reaches it), no capability; CPU, memory,
process and file-size limits; a clean environment (no NBGRADER_* or BACKPROP_* variables, never the
verification secret), and its stdout/stderr going nowhere. Values cross as JSON, never pickle.

`Sandbox.function(name)` returns a plain callable, so the trusted grading engine in
this process (grading.grade) diagnoses it exactly as it diagnoses a function in the
kernel: every comparison with the reference happens here, out of the student's reach.
"""
import builtins
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np

from ..engine import settings
from ..engine.guard import CallTimeout
from . import bubblewrap, cgroups
from .sandbox_server import TRACER, _ENV, ForkedChild, SandboxServer, _child_code
from .sandbox_protocol import CALL_GRACE, ChildGone, Replies, _decode, _encode, _send


#: Processes one student's verification may have at once (its cgroup, where there is one; else RLIMIT_NPROC).
SANDBOX_PROCESSES = 64


class SandboxError(Exception):
    """The sandbox itself could not be started (a problem of the grading machine, not of the student)."""


class Sandbox:
    """One student's code in one child process; restarted (state reset) after a crash or a timeout."""

    def __init__(self, cells, course_root=None, isolate=True, cpu_seconds=None, memory_mb=None):
        self.cells = [[int(i), str(s)] for i, s in cells]
        self.course_root = course_root
        self.isolated = isolate and bubblewrap.available()
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
        args = [str(fd), json.dumps([bubblewrap.numpy_site()]), TRACER.read_text(),
                f"{settings.VERIFY_CELL_SECONDS},{settings.CALL_TIME_LIMIT}"]
        argv = [sys.executable, "-I", "-S", "-c", code, *args]
        return bubblewrap.command(argv, env=_ENV, cwd=_ENV["HOME"], make_cwd=True) if self.isolated else argv

    def start(self):
        """Start the child and run the notebook cells in it; False if it died or hung while loading."""
        self.close()
        server = SandboxServer.get(self.course_root) if self.isolated else None
        self._server = server
        self._cgroup = cgroups.group(self.memory, SANDBOX_PROCESSES) if self.isolated else None
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
        """A new process: bwrap, python, NumPy (about 0.25 s of CPU)."""
        read_fd, write_fd = os.pipe()
        try:
            self.proc = subprocess.Popen(self._command(write_fd), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, pass_fds=(write_fd,), env=_ENV, text=True,
                                         cwd="/", preexec_fn=bubblewrap.limits(self.cpu_seconds, self.memory,
                                                                               keep_fds=(write_fd,),
                                                                               cgroup=self._cgroup))
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
            server.fork({"tmp": "/tmp", "keep": bubblewrap.kept_in_tmp(), "drop": "caps",
                         "scratch": bubblewrap.scratch_dirs(),
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
            self.proc.pid = self._server.host_pid(int(hello["pid"]))
            if self._cgroup is not None:
                self._cgroup.add(self.proc.pid)       # before any student code runs: it is waiting for "load"

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
        if getattr(self, "_cgroup", None) is not None:
            self._cgroup.close()
            self._cgroup = None

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


