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
import os
import shutil
import sys
import tempfile
import uuid
from functools import lru_cache
from pathlib import Path


from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from .namespaces import (JAIL, NOBODY, can_drop_privileges, drop_mode, entries_to_cover, isolation_summary,
                         namespaces, _setpriv, _unshare_flags)


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


