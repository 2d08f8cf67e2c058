"""Kernels forked from a warm template (the fork server): same ipykernel, same arguments, same jail as
kernel.py's JailedKernelManager, a fresh process per notebook for about its own execution time."""
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from traitlets import DottedObjectName, Type, default

from . import bubblewrap
from . import cgroups
from .kernel import (KERNEL_CGROUP_MEMORY, KERNEL_CPU_SECONDS, KERNEL_MEMORY, KERNEL_PROCESSES, JailedKernelManager,
                     course_root_of, homes_root, kernel_env, own_home, packages)


ZYGOTE = r"""
import json, os, signal, sys
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import ipykernel.kernelapp, ipykernel.ipkernel, ipykernel.zmqshell, ipykernel.debugger, IPython, numpy  # the expensive imports
try:
    import IPython.core.debugger, IPython.core.completerlib, IPython.extensions.storemagic  # what a kernel
    import numpy.random, psutil, sqlite3, tornado.platform.asyncio                  # imports as it starts
except Exception:
    pass
try:
    import autograders.engine.grading, autograders.engine.catalogue, solutions                   # what hidden tests import
    for name in autograders.engine.catalogue.EXERCISE_NAMES:
        __import__(f"autograders.engine.catalogue.{name}"); __import__(f"solutions.{name}")
    import autograders.engine.trials; autograders.engine.trials.warm()                          # every check's search space
except Exception:
    pass
signal.signal(signal.SIGCHLD, signal.SIG_IGN)                                     # forked kernels reap themselves
for line in sys.stdin:
    req = json.loads(line)
    pid = os.fork()
    if pid:
        sys.stdout.write(json.dumps({"pid": pid}) + "\n"); sys.stdout.flush()
        continue
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        from autograders.integrity import jail
        jail.die_with_parent()
        jail.own_pid_namespace()           # this process waits; its child is pid 1 of a new PID namespace
        jail.only_own_folders(req["own"])  # its own autograded folder and home; no other student's
        jail.drop_privileges("caps")
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0); os.dup2(null, 1)   # stderr stays the template's: BACKPROP_KERNEL_LOG, or nowhere
        os.chdir(req["cwd"])
        os.environ.clear(); os.environ.update(req["env"])
        sys.argv = ["ipykernel_launcher", *req["argv"]]
        from ipykernel.kernelapp import IPKernelApp
        app = IPKernelApp.instance()
        app.initialize(req["argv"])
        app.start()
    except BaseException:
        import traceback; traceback.print_exc()
    finally:
        os._exit(0)
"""


class ForkServer:
    """One template process per grading process and course, started in the sandbox (bubblewrap.py) with
    the course's autograded/ and this process's kernel homes writable; `spawn(...)` returns the pid of a
    fresh kernel forked from it. The template keeps CAP_SYS_ADMIN in its own user namespace and never runs
    student code; each kernel takes its own PID namespace, covers every folder but its own (autograded/
    <student>/<assignment> and its home), then drops every capability (jail.py)."""

    _instances, _lock = {}, threading.Lock()

    def __init__(self, cwd):
        log = os.environ.get("BACKPROP_KERNEL_LOG")           # where kernels' stderr goes (default: nowhere)
        self.shared = str((course_root_of(cwd) / "autograded").resolve())
        self.homes = homes_root()
        env = kernel_env(dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1"), self.homes)
        argv = [sys.executable, "-c", ZYGOTE]
        self.proc = subprocess.Popen(
            bubblewrap.command(argv, readable=packages(), writable=[self.shared, self.homes], env=env,
                               cwd=self.shared, template=True),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env={"PATH": os.environ.get("PATH", "")},
            stderr=open(log, "a") if log else subprocess.DEVNULL, cwd="/",
            preexec_fn=bubblewrap.limits(KERNEL_CPU_SECONDS, KERNEL_MEMORY, new_session=False))
        self.template = None                                  # its pid as the grader sees it (the first spawn)

    @classmethod
    def get(cls, cwd):
        key = (os.getpid(), course_root_of(cwd))          # never a template inherited through fork
        with cls._lock:
            server = cls._instances.get(key)
            if server is None or server.proc.poll() is not None:
                server = cls._instances[key] = cls(cwd)
            return server

    def serves(self, cwd, home):
        """True if a kernel in `cwd` with `home` can be forked from this template (both are inside its binds)."""
        return Path(self.shared) in Path(cwd).resolve().parents and Path(home).parent == Path(self.homes)

    def spawn(self, argv, cwd, env, home):
        own = [[self.shared, str(Path(cwd).resolve())], [self.homes, home]]
        with self._lock:
            self.proc.stdin.write(json.dumps({"argv": argv, "cwd": own[0][1], "env": env, "own": own}) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("the kernel fork server stopped")
            self.template = self.template or bubblewrap.program_pid(self.proc.pid)
            return bubblewrap.host_pid(self.template, json.loads(line)["pid"], levels=1)


class ForkedProcess:
    """Enough of subprocess.Popen for jupyter_client's LocalProvisioner, for a forked kernel."""

    stdin = stdout = stderr = None

    def __init__(self, pid):
        self.pid = pid

    def poll(self):
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return 0
        except PermissionError:
            pass
        return None

    def wait(self, timeout=None):
        import time
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("kernel", timeout)
            time.sleep(0.02)
        return 0

    def send_signal(self, signum):
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def kill(self):
        self.send_signal(9)

    def terminate(self):
        self.send_signal(15)


class ReadyClient(AsyncKernelClient):
    """jupyter_client's kernel client, minus the fixed 0.2 s 'flush IOPub' wait at start.

    Ready means what jupyter_client checks first: a kernel_info reply on shell and a message
    on IOPub (so IOPub is connected). The flushed messages belong to the kernel_info request;
    nbclient keeps only messages whose parent is the cell being run, so outputs are the same.
    """

    async def _async_wait_for_ready(self, timeout=None):
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            self.kernel_info()
            try:
                msg = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                msg = None
            if msg is not None and msg["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.02)   # no answer yet: ask again
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(msg)
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

    wait_for_ready = _async_wait_for_ready           # AsyncKernelClient binds the name at class creation


class ForkKernelManager(JailedKernelManager):
    """Kernels forked from the ForkServer (same ipykernel, same arguments, same jail)."""

    client_class = DottedObjectName("autograders.integrity.kernel_fork.ReadyClient")
    client_factory = Type(klass="jupyter_client.asynchronous.AsyncKernelClient")

    @default("client_factory")
    def _ready_client(self):
        return ReadyClient

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if "ipykernel_launcher" not in " ".join(kernel_cmd):
            return await super()._async_launch_kernel(kernel_cmd, **kw)       # not a Python kernel: as usual
        argv = kernel_cmd[kernel_cmd.index(next(a for a in kernel_cmd if "ipykernel_launcher" in a)) + 1:]
        cwd = str(kw.get("cwd") or os.getcwd())
        if bubblewrap.problem() or course_root_of(cwd) is None:
            return await super()._async_launch_kernel(kernel_cmd, **kw)       # no sandbox, or no course: spawned
        server = ForkServer.get(cwd)
        if not server.serves(cwd, self._home):
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        own_home(self._home, self.connection_file)
        pid = server.spawn(argv, cwd, kernel_env(kw.get("env"), self._home), self._home)
        self._cgroup = cgroups.group(KERNEL_CGROUP_MEMORY, KERNEL_PROCESSES)
        if self._cgroup is not None:                      # the waiter, then the kernel it may have forked already
            self._cgroup.add(pid)
            for child in bubblewrap._children(pid):
                self._cgroup.add(child)
        provisioner = self.provisioner
        provisioner.process = ForkedProcess(pid)
        provisioner.pid = provisioner.pgid = pid
        provisioner.cwd = kw.get("cwd")
        self._reconcile_connection_info(provisioner.connection_info)
        await self._listening(provisioner.process)

    async def _listening(self, process, limit=10.0):
        """Wait until the forked kernel has bound its sockets, so the client's first connect succeeds
        (otherwise ZeroMQ retries every 100 ms and start-up costs ~0.3 s more)."""
        import asyncio
        ports = [self.shell_port, self.iopub_port, self.control_port]
        deadline = time.monotonic() + limit
        while ports and time.monotonic() < deadline and process.poll() is None:
            if self._bound(ports[0]):
                ports.pop(0)
            else:
                await asyncio.sleep(0.005)

    def _bound(self, port):
        if self.transport == "ipc":
            return os.path.exists(f"{self.ip}-{port}")           # ZeroMQ creates the socket file on bind
        import socket
        try:
            socket.create_connection((self.ip, port), timeout=0.05).close()
            return True
        except OSError:
            return False
