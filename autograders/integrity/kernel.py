"""The kernels nbgrader autograde starts: jailed, so student code cannot touch the course.

The student's code runs in the kernel with the grader's rights; on its own, nbgrader
lets it overwrite the gradebook or read the solutions. Here each kernel starts in its
own mount namespace (util-linux `unshare`) where the gradebook, source/, release/,
submitted/, feedback/, the tests and the course config are covered by empty file
systems; only autograded/ (the kernel's working directory), the Python installation
and the grading packages stay visible. The kernel is also pid 1 of its own PID namespace
(jail.py): it cannot see or signal any grading process, and whatever it forks dies with
it. It then gives up the grader's rights: to user `nobody` when grading as root with an
interpreter nobody can run (probed once), else every capability. Without namespaces the
kernel runs as nbgrader runs it, and every run says so (isolation_summary).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from functools import lru_cache
from pathlib import Path

from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets import DottedObjectName, Type, default
from nbgrader.preprocessors import Execute

from .sandbox import COVER, entries_to_cover

NOBODY = 65534
#: Read-only binds (what a kernel that keeps the grader's uid could otherwise write: the interpreter, the
#: repository, the grader's home), folders bound back writable inside them, then the covers.
JAIL = COVER + r"""
set -e
while [ "$1" != "--" ]; do mount --bind "$1" "$1"; mount -o remount,bind,ro "$1"; shift; done
shift
while [ "$1" != "--" ]; do mount --bind "$1" "$1"; mount -o remount,bind,rw "$1"; shift; done
shift
while [ "$1" != "--" ]; do cover "$1"; shift; done
shift
cd "$PWD" 2>/dev/null || true   # the working directory again, through the mounts above (not the one beneath them)
exec "$@"
"""


@lru_cache(maxsize=None)
def can_drop_privileges():
    """Root, setpriv, and this very interpreter runs as nobody (a pyenv under /root does not)."""
    if not (hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("setpriv")):
        return False
    probe = subprocess.run([*_setpriv("nobody"), sys.executable, "-c", "import sys, ipykernel; print(sys.version)"],
                           capture_output=True, text=True)
    return probe.returncode == 0 and probe.stdout.strip() == sys.version.strip()


def drop_mode():
    """How a kernel gives up the grader's rights: 'nobody' (root, and nobody can run this Python),
    'caps' (uid kept, every capability dropped: it cannot unmount a cover or signal across namespaces)."""
    return "nobody" if can_drop_privileges() else "caps"


def _setpriv(how):
    if how == "nobody":
        return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--inh-caps=-all"]
    return ["setpriv", "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs"]


def _unshare_flags(pid):
    """Mount and network namespaces (and a user namespace for an ordinary user); with `pid`, a PID namespace whose
    pid 1 is the kernel, with its own /proc, killed if unshare is killed."""
    flags = ["-mn"] if os.geteuid() == 0 else ["-Urmn"]         # and no network
    return [*flags, "--pid", "--fork", "--kill-child", "--mount-proc"] if pid else flags


@lru_cache(maxsize=None)
def namespaces():
    """What this machine allows: 'pid' (mount + PID namespaces), 'mount' (mount only) or '' (none)."""
    unshare = shutil.which("unshare")
    if not unshare or not shutil.which("setpriv"):
        return ""
    for mode in ("pid", "mount"):
        probe = subprocess.run([unshare, *_unshare_flags(mode == "pid"), "--", "sh", "-c", JAIL, "sh",
                                tempfile.gettempdir(), "--", "--", tempfile.gettempdir(), "--", *_setpriv("caps"),
                                "true"], capture_output=True)
        if probe.returncode == 0:
            return mode
    return ""


def isolation_summary():
    """One line for the run's header: how kernels are isolated here."""
    mode = namespaces()
    if not mode:
        return ("kernels NOT isolated: no namespaces here (unshare/setpriv missing or not permitted); "
                "student code runs with the grader's rights")
    where = "own PID and mount namespaces" if mode == "pid" else \
        "own mount namespace only (no PID namespace: it can see and signal the grader's processes)"
    return f"kernels run in their {where}, " + ("as nobody" if drop_mode() == "nobody" else "without capabilities")


def course_root_of(cwd):
    for d in (Path(cwd).resolve(), *Path(cwd).resolve().parents):
        if (d / "nbgrader_config.py").is_file():
            return d
    return None


def jail_paths(root, cwd=None):
    """What a kernel of the course at `root` must not see: everything but autograded/ and what Python needs;
    with `cwd` (a kernel's autograded/<student>/<assignment>), the other students' folders too."""
    import autograders
    import solutions
    keep = [sys.prefix, sys.base_prefix, sys.executable, Path(autograders.__file__).parent,
            Path(solutions.__file__).parent, Path(root) / "autograded"]
    hidden = [str(entry) for entry in entries_to_cover(root, keep)]
    shared, own = (Path(root) / "autograded").resolve(), Path(cwd).resolve() if cwd else None
    while own is not None and shared in own.parents:            # each folder's other entries, down to cwd
        hidden += [str(entry) for entry in entries_to_cover(shared, [own])]
        shared = next(p for p in [own, *own.parents] if p.parent == shared)
    return hidden


def read_only_paths(root):
    """(read-only, bound back writable): for a kernel that keeps the grader's uid (uid 0 without capabilities,
    or an ordinary user), which could otherwise write the interpreter, the repository and the grader's home."""
    if drop_mode() == "nobody":
        return [], []
    import autograders
    import solutions
    candidates = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, Path(autograders.__file__).parent.parent,
                                              Path(solutions.__file__).parent.parent, Path.home())}
    candidates = {p for p in candidates if p.is_dir() and p != Path("/")}
    read_only = sorted(str(p) for p in candidates if not any(q in p.parents for q in candidates))
    writable = [Path(root) / "autograded", Path(_home_base())]
    back = [str(w) for w in writable if any(Path(r) in Path(w).resolve().parents or Path(r) == Path(w).resolve()
                                            for r in read_only)]
    return read_only, back


def jail_prefix(cwd, pid=True, own=True):
    """The command prefix that starts a kernel jailed for the course around `cwd` ([] if not possible):
    its own mount and network namespaces with the course covered (with `own`, every other student's
    autograded folder too), the grader's files read-only, and, with `pid` where possible, its own PID
    namespace."""
    root = course_root_of(cwd) if cwd else None
    if root is None or not namespaces():
        return []
    pid = pid and namespaces() == "pid"
    read_only, back = read_only_paths(root)
    return [shutil.which("unshare"), *_unshare_flags(pid), "--", "sh", "-c", JAIL, "sh", *read_only, "--", *back,
            "--", *jail_paths(root, cwd if own else None), "--"]


def _home_base():
    base = tempfile.gettempdir()
    if len(base) > 60 and os.path.isdir("/tmp"):
        base = "/tmp"                                          # its Unix sockets' paths must stay < 108 bytes
    return base


def kernel_home():
    """The kernel's HOME, with its connection file and sockets: 0700 (mkdtemp), given to the kernel's uid
    by own_home once the connection file is written."""
    return tempfile.mkdtemp(prefix="backprop-kernel-", dir=_home_base())


def own_home(home, connection_file, drop):
    """The connection file 0600 in the 0700 home, both owned by the kernel's uid (nobody's, when it drops
    to nobody): no other local user can read the HMAC key or reach the kernel's sockets."""
    os.chmod(connection_file, 0o600)
    if drop == "nobody":
        for path in (home, connection_file):
            os.chown(path, NOBODY, NOBODY)


def kernel_env(env, home):
    from .secret import strip
    env = strip(dict(env or os.environ))               # never the verification secret
    env.update(HOME=home, IPYTHONDIR=os.path.join(home, ".ipython"), MPLCONFIGDIR=os.path.join(home, ".mpl"),
               JUPYTER_RUNTIME_DIR=home)
    return env


@lru_cache(maxsize=None)
def _warn_once(log):
    log.warning(isolation_summary())


class JailedKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernel starts in the course jail (and as nobody when possible).

    Its sockets are Unix sockets in the kernel's own folder (ZeroMQ's ipc transport), not TCP
    ports: jupyter_client picks a free TCP port, closes it and hands it to the kernel, so kernels
    started at the same time by several graders can be given the same port; the loser dies
    ("Address already in use") or, worse, a client reaches another student's kernel ("Invalid
    Signature"). Seen when grading in parallel; papermill issue #511 is the same race.
    """

    @default("transport")
    def _unix_sockets(self):
        return "ipc"

    async def _async_pre_start_kernel(self, **kw):
        self._home = kernel_home()
        self.connection_file = os.path.join(self._home, f"kernel-{uuid.uuid4()}.json")
        if self.transport == "ipc":
            self.ip = os.path.join(self._home, "ipc")             # sockets <home>/ipc-1 ... ipc-5
        return await super()._async_pre_start_kernel(**kw)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        kw["env"] = kernel_env(kw.get("env"), self._home)
        jail = jail_prefix(kw.get("cwd") or os.getcwd())
        if namespaces() != "pid":
            from .mode import require
            require(verification=False)       # fail closed, unless --allow-unisolated
            _warn_once(self.log)
        how = drop_mode() if jail or can_drop_privileges() else ""
        own_home(self._home, self.connection_file, how)
        drop = _setpriv(how) if how else []
        kernel_cmd = [*jail, *drop, *kernel_cmd]
        return await super()._async_launch_kernel(kernel_cmd, **kw)

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        home = getattr(self, "_home", None)
        if home and not restart:
            shutil.rmtree(home, ignore_errors=True)


# -- fork server: kernels in about the time of a fork, each a fresh process -------------------------
#
# Starting a Python kernel costs ~0.7 s of CPU, mostly imports; `backprop-grader autograde`
# grades a class faster by starting ONE template process per worker that has imported
# ipykernel, NumPy and the grader, and forking it for each notebook. A forked kernel is a
# new process with nothing of any other student's: kernels are never reused.

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
        if req["pid_namespace"]:
            jail.own_pid_namespace()       # this process waits; its child is pid 1 of a new PID namespace
        if req["shared"] and os.path.realpath(req["cwd"]).startswith(req["shared"] + os.sep):
            jail.only_own_folder(req["shared"], os.path.realpath(req["cwd"]))   # no other student's folder
        jail.drop_privileges(req["drop"])
        null = os.open(os.devnull, os.O_RDWR)
        log = os.open(os.environ.get("BACKPROP_KERNEL_LOG", os.devnull), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        os.dup2(null, 0); os.dup2(null, 1); os.dup2(log, 2)
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


def _die_with_parent():
    from . import jail
    jail.die_with_parent()


class ForkServer:
    """One template process per grading process and course, started in the course jail; `spawn(...)`
    returns the pid of a fresh kernel forked from it. The template keeps the rights it needs to give each
    kernel its own PID namespace and never runs student code; each kernel then drops them (jail.py)."""

    _instances, _lock = {}, threading.Lock()

    def __init__(self, cwd):
        from .secret import strip
        env = strip(dict(os.environ, OPENBLAS_NUM_THREADS="1", PYDEVD_DISABLE_FILE_VALIDATION="1",
                         HOME=tempfile.gettempdir()))           # each forked kernel gets its own HOME (kernel_env)
        log = os.environ.get("BACKPROP_KERNEL_LOG")           # where kernels' stderr goes (default: nowhere)
        self.jailed = bool(jail_prefix(cwd, pid=False))
        root = course_root_of(cwd)
        self.request = {"pid_namespace": self.jailed and namespaces() == "pid",
                        "drop": drop_mode() if self.jailed else ("nobody" if can_drop_privileges() else ""),
                        "shared": str((root / "autograded").resolve()) if self.jailed else ""}
        self.proc = subprocess.Popen([*jail_prefix(cwd, pid=False, own=False), sys.executable, "-c", ZYGOTE], cwd=cwd,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
                                     stderr=open(log, "a") if log else subprocess.DEVNULL,
                                     preexec_fn=_die_with_parent)

    @classmethod
    def get(cls, cwd):
        key = course_root_of(cwd)
        with cls._lock:
            server = cls._instances.get(key)
            if server is None or server.proc.poll() is not None:
                server = cls._instances[key] = cls(cwd)
            return server

    def spawn(self, argv, cwd, env):
        with self._lock:
            self.proc.stdin.write(json.dumps({"argv": argv, "cwd": cwd, "env": env, **self.request}) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the kernel fork server stopped")
        return json.loads(line)["pid"]


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

    client_class = DottedObjectName("autograders.integrity.kernel.ReadyClient")
    client_factory = Type(klass="jupyter_client.asynchronous.AsyncKernelClient")

    @default("client_factory")
    def _ready_client(self):
        return ReadyClient

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if "ipykernel_launcher" not in " ".join(kernel_cmd):
            return await super()._async_launch_kernel(kernel_cmd, **kw)       # not a Python kernel: as usual
        argv = kernel_cmd[kernel_cmd.index(next(a for a in kernel_cmd if "ipykernel_launcher" in a)) + 1:]
        cwd = str(kw.get("cwd") or os.getcwd())
        server = ForkServer.get(cwd)
        own_home(self._home, self.connection_file, server.request["drop"])
        pid = server.spawn(argv, cwd, kernel_env(kw.get("env"), self._home))
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


class JailedExecute(Execute):
    """nbgrader's Execute preprocessor, unchanged except for the kernel manager
    (forked kernels when BACKPROP_FORK_KERNELS is set, as `backprop-grader autograde` does)."""

    def __init__(self, *args, **kwargs):
        manager = ForkKernelManager if os.environ.get("BACKPROP_FORK_KERNELS") else JailedKernelManager
        kwargs.setdefault("kernel_manager_class", manager)
        super().__init__(*args, **kwargs)
