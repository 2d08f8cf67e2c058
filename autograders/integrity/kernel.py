"""The kernels nbgrader autograde starts: sandboxed, so student code cannot touch the course.

The student's code runs in the kernel with the grader's rights; on its own, nbgrader lets it
overwrite the gradebook or read the solutions. Here each kernel starts in the one sandbox of
bubblewrap.py: an allowlisted root where the only things it may write are its own working folder
(autograded/<student>/<assignment>) and its own home (the connection file, 0600 in a 0700 folder,
and its sockets); it also sees the interpreter and the grading packages, read-only, and nothing else
of the course or the machine. It is in its own PID namespace (whatever it forks dies with it), has no
network and no capability. Where bubblewrap cannot run, grading stops (mode.py) unless the instructor
said --allow-unisolated; then the kernel runs as nbgrader runs it, and every run says so.
"""
import atexit
import os
import shutil
import sys
import tempfile
import uuid
from functools import lru_cache
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from . import bubblewrap, cgroups

#: The grader's environment variables a kernel keeps (the verification secret never: secret.strip).
KERNEL_ENV = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
              "PYDEVD_DISABLE_FILE_VALIDATION", "PYTHONHASHSEED")
KERNEL_ENV_PREFIXES = ("BACKPROP_", "NBGRADER_")
#: A kernel's limits: CPU seconds for the whole notebook, address space (rlimit), memory and processes (its
#: cgroup, where there is one).
KERNEL_CPU_SECONDS, KERNEL_MEMORY, KERNEL_CGROUP_MEMORY, KERNEL_PROCESSES = 1800, 8 << 30, 4 << 30, 256
#: The kernel's command starts here: not dumpable (no process of the same uid may read its memory), then
#: ipykernel as `python -m ipykernel_launcher` would run it (an exec makes a process dumpable again).
LAUNCHER = ("import ctypes, runpy; ctypes.CDLL(None).prctl(4, 0, 0, 0, 0); "
            "runpy.run_module('ipykernel_launcher', run_name='__main__', alter_sys=True)")


def course_root_of(cwd):
    for d in (Path(cwd).resolve(), *Path(cwd).resolve().parents):
        if (d / "nbgrader_config.py").is_file():
            return d
    return None


def packages():
    """The grading packages a kernel imports (its hidden tests do), bound read-only: these folders alone."""
    import autograders
    import solutions
    return [str(Path(autograders.__file__).resolve().parent), str(Path(solutions.__file__).resolve().parent)]


def _home_base():
    base = tempfile.gettempdir()
    if len(base) > 60 and os.path.isdir("/tmp"):
        base = "/tmp"                                          # its Unix sockets' paths must stay < 108 bytes
    return base


def _homes_prefix(pid):
    return f"backprop-kernels-{pid}-"


@lru_cache(maxsize=None)
def _homes_root(pid):
    root = tempfile.mkdtemp(prefix=_homes_prefix(pid), dir=_home_base())            # 0700
    atexit.register(lambda: os.getpid() == pid and shutil.rmtree(root, ignore_errors=True))
    return root


def homes_root():
    """This process's folder of kernel homes (0700): a fork server binds it and gives each kernel its own."""
    return _homes_root(os.getpid())


def homes_roots_of(pids):
    """The folders of kernel homes that processes `pids` made (for whoever cleans up after them: os._exit
    and SIGKILL skip the atexit that removes one)."""
    import glob
    return {root for pid in pids for root in glob.glob(os.path.join(_home_base(), _homes_prefix(pid) + "*"))}


def kernel_home():
    """The kernel's HOME, with its connection file and sockets: 0700 (mkdtemp), in homes_root()."""
    return tempfile.mkdtemp(prefix="backprop-kernel-", dir=homes_root())


def own_home(home, connection_file):
    """The connection file 0600 in the 0700 home, both the grader's (the kernel's uid outside its user
    namespace): no other local user can read the HMAC key or reach the kernel's sockets."""
    os.chmod(home, 0o700)
    os.chmod(connection_file, 0o600)


def kernel_env(env, home):
    """The kernel's whole environment: an allowlist of the grader's (never the verification secret), its
    home, PATH and PYTHONPATH to this interpreter and these grading packages."""
    from .secret import strip
    env = strip(dict(env or os.environ))
    kept = {k: v for k, v in env.items() if k in KERNEL_ENV or k.startswith(KERNEL_ENV_PREFIXES)}
    parents = dict.fromkeys(str(Path(p).parent) for p in packages())
    kept.update(HOME=home, IPYTHONDIR=os.path.join(home, ".ipython"), MPLCONFIGDIR=os.path.join(home, ".mpl"),
                JUPYTER_RUNTIME_DIR=home, PATH=f"{Path(sys.executable).parent}:/usr/bin:/bin",
                PYTHONPATH=os.pathsep.join(parents), OPENBLAS_NUM_THREADS=kept.get("OPENBLAS_NUM_THREADS", "1"))
    return kept


def own_folder(cwd):
    """The kernel's working folder, the one place of the course it may write; refuses a folder that holds
    far more than one notebook's (/, a home, the interpreter's)."""
    cwd = Path(cwd).resolve()
    broad = {Path("/"), Path.home().resolve(), *(Path(p) for p in bubblewrap.interpreter_paths())}
    if cwd in broad or any(cwd in Path(p).parents for p in packages()) or len(cwd.parts) < 3:
        raise RuntimeError(f"a kernel runs in a folder of its own, not in {cwd}: start it in the notebook's folder")
    return str(cwd)


def sandboxed(kernel_cmd, cwd, env, home):
    """`kernel_cmd` (python -m ipykernel_launcher ...) in the sandbox: its folder and home writable."""
    if "-m" in kernel_cmd and kernel_cmd[kernel_cmd.index("-m") + 1:][:1] == ["ipykernel_launcher"]:
        i = kernel_cmd.index("-m")
        kernel_cmd = [*kernel_cmd[:i], "-c", LAUNCHER, *kernel_cmd[i + 2:]]
    return bubblewrap.command(kernel_cmd, readable=packages(), writable=[own_folder(cwd), home], env=env, cwd=cwd)


@lru_cache(maxsize=None)
def _warn_once(log):
    log.warning("isolation: " + bubblewrap.summary() + " (--allow-unisolated)")


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
        env = kernel_env(kw.get("env"), self._home)
        own_home(self._home, self.connection_file)
        cwd = str(kw.get("cwd") or os.getcwd())
        if bubblewrap.problem():
            from .mode import require
            require(verification=False)       # fail closed, unless --allow-unisolated
            _warn_once(self.log)
            kw["env"] = env
        else:
            kernel_cmd = sandboxed(kernel_cmd, cwd, env, self._home)
            kw["env"] = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}          # bwrap's own; the kernel's is set
            self._cgroup = cgroups.group(KERNEL_CGROUP_MEMORY, KERNEL_PROCESSES)
            kw["preexec_fn"] = bubblewrap.limits(KERNEL_CPU_SECONDS, KERNEL_MEMORY, new_session=False,
                                                 cgroup=self._cgroup)
        return await super()._async_launch_kernel(kernel_cmd, **kw)

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        home = getattr(self, "_home", None)
        if getattr(self, "_cgroup", None) is not None:
            self._cgroup.close()
            self._cgroup = None
        if home and not restart:
            shutil.rmtree(home, ignore_errors=True)


# -- fork server: kernels in about the time of a fork, each a fresh process -------------------------
#
# Starting a Python kernel costs ~0.7 s of CPU, mostly imports; `backprop-grader autograde`
# grades a class faster by starting ONE template process per worker that has imported
# ipykernel, NumPy and the grader, and forking it for each notebook. A forked kernel is a
# new process with nothing of any other student's: kernels are never reused.


