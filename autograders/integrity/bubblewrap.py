"""The one sandbox for student code: a bubblewrap (`bwrap`) command line, for kernels and verification alike.

Why bubblewrap: it is Flatpak's sandbox, a small C program packaged by every distribution (Debian:
`bubblewrap`), that builds the sandbox's root itself from an allowlist of binds. Nothing of the host is
visible unless named here, so a new file next to the gradebook, a secret in /dev/shm or another student's
folder is hidden without anyone having to think of it (our earlier hand-written mount scripts covered a
denylist). It runs the same as root and as an ordinary user (unprivileged user namespaces), wherever
Python is installed, because the sandbox's uid is always 65534 inside a user namespace of its own.

Every process started through `command()` gets:

* new user, mount, PID (with its own /proc), IPC, network, UTS and cgroup namespaces;
* a root of: /usr (and the /bin, /lib links), a few /etc files, the interpreter and its packages
  read-only, bwrap's minimal /dev (null, zero, full, random, urandom, tty and a private devpts, which
  IPython's `!command` needs), fresh tmpfs on /tmp, /dev/shm, /var/tmp and /run, plus the folders the caller names (a kernel: its own autograded/<student>/<assignment> and
  its own home with the connection file);
* every capability dropped (a template keeps CAP_SYS_ADMIN inside its own user namespace, where it is
  worth nothing outside, so each forked child can make its own PID namespace; the child drops it);
  bwrap always sets no_new_privs; uid and gid 65534;
* only the environment it is given (--clearenv);
* rlimits on memory, CPU time, processes and file size (`limits`), set before bwrap starts and
  inherited, and where the grader may make cgroups, a cgroup of its own with memory and process limits
  (cgroups.py); it dies with its parent.

PR_SET_DUMPABLE is cleared by the process itself once it runs (an exec sets it again): jail.py for
forked children, the kernel launcher (kernel.py) and the verification runner for spawned ones.
"""
import os
import resource
import shutil
import subprocess
import sys
import time
from functools import lru_cache
from pathlib import Path

#: The uid and gid of every sandboxed process, inside its user namespace (the grader's own uid outside).
UID = 65534
#: /etc files a Python process may read (no secrets: /etc/shadow is never among them).
ETC = ("passwd", "group", "nsswitch.conf", "localtime", "ld.so.cache", "ld.so.conf", "ld.so.conf.d",
       "alternatives", "mime.types")
SCRATCH = ("/tmp", "/dev/shm", "/var/tmp", "/run")


def bwrap():
    return shutil.which("bwrap") or ""


def numpy_site():
    """The folder NumPy is installed in (all a verification child may import besides the standard library)."""
    import numpy
    return str(Path(numpy.__file__).resolve().parent.parent)


@lru_cache(maxsize=None)
def interpreter_paths():
    """What running this Python needs: its prefixes, the folder of the real executable, NumPy's site folder
    (the same for the life of the process: worked out once, not for every sandbox)."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(sys.executable).resolve().parent), numpy_site()}
    return tuple(sorted(p for p in paths if os.path.isdir(p)))


def _outermost(paths):
    """`paths` and their real paths, minus those inside another one (binding the outer one shows them)."""
    found = {q for p in paths if os.path.exists(p) for q in (os.path.abspath(p), os.path.realpath(p))}
    return sorted(p for p in found if not any(o != p and Path(o) in Path(p).parents for o in found))


@lru_cache(maxsize=None)
def _system_root():
    """The read-only system part of the root: /usr and the top-level links into it, /etc's few files."""
    args = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for name in ETC:
        if os.path.exists(f"/etc/{name}"):
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    return tuple(args)


def _template_dev():
    """A template's /dev: bwrap's --dev devices without its devpts, whose mount would stop the template's
    children from mounting a /proc of their own (the kernel refuses one where part of /proc is covered);
    each child mounts a devpts of its own there instead (jail.own_proc)."""
    args = ["--tmpfs", "/dev"]
    for device in ("null", "zero", "full", "random", "urandom", "tty"):
        if os.path.exists(f"/dev/{device}"):
            args += ["--dev-bind", f"/dev/{device}", f"/dev/{device}"]
    return [*args, "--dir", "/dev/pts", "--symlink", "pts/ptmx", "/dev/ptmx"]


def command(argv, *, readable=(), writable=(), env=None, cwd="/", template=False, make_cwd=False):
    """The bwrap command line that runs `argv` in the sandbox described above.

    `readable` and `writable` are folders (or files) bound at their own paths, read-only or not; the
    interpreter's paths are always readable. `cwd` must be inside the sandbox (`/`, a scratch folder
    or a bound one; `make_cwd`: a new folder there). `template`: keep CAP_SYS_ADMIN in the sandbox's own user namespace (a fork server
    whose children drop it)."""
    args = [bwrap(), "--unshare-all", "--unshare-user", "--die-with-parent", "--uid", str(UID), "--gid", str(UID),
            *_system_root(), "--proc", "/proc", *(_template_dev() if template else ["--dev", "/dev"])]
    for folder in SCRATCH:
        args += ["--tmpfs", folder]
    for path in _outermost([*interpreter_paths(), *readable]):
        args += ["--ro-bind", os.path.realpath(path), path]
    for path in _outermost(writable):
        args += ["--bind", os.path.realpath(path), path]
    args += ["--cap-drop", "ALL"]
    if template:
        args += ["--cap-add", "CAP_SYS_ADMIN", "--cap-add", "CAP_SETPCAP"]
    args += ["--clearenv"]
    for key, value in sorted((env or {}).items()):
        args += ["--setenv", key, str(value)]
    if make_cwd:
        args += ["--dir", str(cwd)]
    return [*args, "--chdir", str(cwd), "--", *argv]


def limits(cpu_seconds, memory_bytes, processes=1024, file_bytes=64 << 20, new_session=True, keep_fds=(),
           cgroup=None):
    """A preexec_fn: rlimits on CPU time, address space, processes and file size (inherited through bwrap by
    everything in the sandbox), no core files, (`new_session`) a session of its own, and no file descriptor of
    the grader's past 2 but `keep_fds` (jupyter_client starts kernels with close_fds=False: an open gradebook
    would otherwise reach the sandbox). With `cgroup` (cgroups.Group), it joins that group too."""
    def apply():
        if new_session:
            os.setsid()
        if cgroup is not None:
            cgroup.add(0)
        for fd in map(int, os.listdir("/proc/self/fd")):
            if fd > 2 and fd not in keep_fds:
                try:
                    os.set_inheritable(fd, False)
                except OSError:
                    pass
        if cpu_seconds:
            resource.setrlimit(resource.RLIMIT_CPU, (int(cpu_seconds), int(cpu_seconds) + 5))
        if memory_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


@lru_cache(maxsize=None)
def problem():
    """'' when the sandbox works here (a template that forks a child into its own PID namespace, tried
    once per process), else what is missing, in one line."""
    if not bwrap():
        return "bubblewrap (bwrap; Debian: apt-get install bubblewrap)"
    probe = ("import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
             "assert libc.unshare(0x20000000) == 0, os.strerror(ctypes.get_errno())\n"
             "pid = os.fork()\nif pid == 0:\n    os._exit(0 if os.getpid() == 1 else 3)\n"
             "_, status = os.waitpid(pid, 0)\nraise SystemExit(os.waitstatus_to_exitcode(status))\n")
    try:
        run = subprocess.run(command([sys.executable, "-I", "-S", "-c", probe], template=True),
                             capture_output=True, text=True, timeout=30, preexec_fn=limits(0, 0))
    except (OSError, subprocess.SubprocessError) as err:
        return f"a working bubblewrap ({err})"
    if run.returncode != 0:
        why = (run.stderr.strip().splitlines() or [f"exit code {run.returncode}"])[-1]
        return f"a working bubblewrap: {why} (are unprivileged user namespaces allowed?)"
    return ""


def available():
    return not problem()


def summary():
    """One line for the run's header: how student code is isolated here."""
    if problem():
        return f"student code NOT isolated: missing {problem()}"
    from . import cgroups
    return ("kernels and verification run in bubblewrap: own user, mount, PID, IPC and network namespaces, "
            "an allowlisted root, no capabilities, " + ("a cgroup each and rlimits" if cgroups.available() else
                                                        "rlimits (no cgroup of ours here)"))


@lru_cache(maxsize=None)
def kept_in_tmp():
    """The folder under the sandbox's /tmp that a forked child's fresh /tmp must keep (the interpreter lives
    there: a clone in /tmp), "" if none."""
    inside = [p for p in _outermost(interpreter_paths()) if Path("/tmp") in Path(p).parents]
    return os.path.commonpath(inside) if inside else ""


def scratch_dirs():
    """The scratch folders besides /tmp that each forked child gets fresh and empty."""
    return list(SCRATCH[1:])


def _children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


def _nspid(pid):
    """The pids of `pid`, from the grader's PID namespace down to its own (its NSpid line)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            return next((list(map(int, line.split()[1:])) for line in f if line.startswith("NSpid:")), [])
    except (OSError, ValueError):
        return []


def host_pid(parent, inner, levels=4, limit=2.0):
    """The pid, as the grader sees it, of the descendant of `parent` (within `levels`) whose pid one namespace
    down is `inner`: a template forks inside its sandbox's PID namespace and can only say its own pids."""
    deadline = time.monotonic() + limit
    while True:
        todo, depth = _children(parent), 0
        while todo and depth < levels:
            for pid in todo:
                if _nspid(pid)[1:2] == [inner]:
                    return pid
            todo, depth = [c for pid in todo for c in _children(pid)], depth + 1
        if time.monotonic() > deadline:
            raise RuntimeError(f"the sandbox's process {inner} cannot be found")
        time.sleep(0.002)


def program_pid(bwrap_pid):
    """The grader's pid of the program a `bwrap` process runs: with a PID namespace, bwrap's own process is
    pid 1 there and the program pid 2."""
    return host_pid(bwrap_pid, 2)
