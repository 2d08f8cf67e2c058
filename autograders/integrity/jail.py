"""The steps a process forked from a template (kernel_fork.py, sandbox_server.py) takes on itself inside the
sandbox of bubblewrap.py before any student code runs.

A student's process gets its own PID namespace: it is pid 1 there, with a /proc of its own, so
`os.getppid()` is 0, `/proc` lists only the student's own processes, and `kill()` reaches nothing
of the grader's. When pid 1 ends, the kernel kills every process left in its namespace, so a
`setsid()` grandchild or a fork storm dies with it. Then the process gives up its privileges.

Standard library only: the verification child cannot import the grader's packages, so
sandbox.py sends this file's source ahead of sandbox_runner.py's.
"""
import ctypes
import os
import signal

CLONE_NEWNS, CLONE_NEWPID = 0x00020000, 0x20000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 1, 24, 38, 47, 4
PR_SET_DUMPABLE, MS_BIND, MNT_DETACH = 4, 4096, 2
#: Processes per user (RLIMIT_NPROC): a fork bomb stops there (the cgroup, where there is one, stops it sooner).
MAX_PROCESSES = 1024


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _check(result, what):
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def new_pid_namespace():
    """The next child this process forks is pid 1 of a new PID namespace (needs CAP_SYS_ADMIN here)."""
    _check(_libc().unshare(CLONE_NEWPID), "unshare(CLONE_NEWPID)")


def outer_pid():
    """This process's pid as the grader sees it (read from /proc before the namespace's own is mounted)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("NSpid:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return os.getpid()


def die_with_parent():
    """SIGKILL this process when its parent ends (a grader's worker that dies takes its kernels along)."""
    _check(_libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "die with parent")


def own_proc():
    """In a process that is pid 1 of its PID namespace: a private mount namespace with /proc of its own."""
    libc = _libc()
    die_with_parent()
    _check(libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    _check(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "private mounts")
    _check(libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None), "mount /proc")
    if os.path.isdir("/dev/pts") and not os.listdir("/dev/pts"):     # a template's /dev: ptys of its own
        libc.mount(b"devpts", b"/dev/pts", b"devpts", MS_NOSUID | MS_NOEXEC, b"newinstance,ptmxmode=0666,mode=0620")


def own_pid_namespace():
    """Fork into a new PID namespace and return in the child (pid 1 there, its own /proc).

    The calling process stays behind as a small waiter: it ignores SIGINT (the kernel gets it, as
    jupyter_client interrupts the whole process group), waits, and exits as the child did; if the
    waiter is killed, the child is killed too (PR_SET_PDEATHSIG)."""
    new_pid_namespace()
    pid = os.fork()
    if pid == 0:
        own_proc()
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except ChildProcessError:
            status = 0
            break
        except InterruptedError:
            continue
    os._exit(128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))


def only_own_folders(pairs):
    """In a new mount namespace, for each (shared, own): `shared` (the course's autograded/, the folder of
    kernel homes) becomes an empty tmpfs holding only `own` (this kernel's autograded/<student>/<assignment>,
    its home), bound back from the real folder: no kernel sees another's. Needs CAP_SYS_ADMIN (before
    drop_privileges)."""
    libc = _libc()
    _check(libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    _check(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "private mounts")
    for shared, own in pairs:
        real = os.open(own, os.O_PATH | os.O_DIRECTORY)           # (a mount of this namespace: bindable)
        _check(libc.mount(b"none", shared.encode(), b"tmpfs", 0, b"size=64k,mode=0755"), "mount " + shared)
        os.makedirs(own, exist_ok=True)
        _check(libc.mount(f"/proc/self/fd/{real}".encode(), own.encode(), None, MS_BIND, None), "bind " + own)
        os.close(real)


def drop_privileges(how="caps"):
    """'caps': no capability left, now or after any exec (what a template's child kept in its user
    namespace to make its own PID and mount namespaces); '': only what follows. Then no_new_privs, not
    dumpable (no other process of the same uid may read its memory through /proc/<pid>/mem or ptrace it)
    and at most MAX_PROCESSES processes."""
    import resource
    libc = _libc()
    resource.setrlimit(resource.RLIMIT_NPROC, (MAX_PROCESSES, MAX_PROCESSES))
    if how == "caps":
        for cap in range(64):
            if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() == 22:
                break                                          # EINVAL: past the last capability
        libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
        header = (ctypes.c_uint32 * 2)(0x20080522, 0)          # _LINUX_CAPABILITY_VERSION_3, this process
        data = (ctypes.c_uint32 * 6)()                         # effective, permitted, inheritable: all 0
        _check(libc.capset(header, data), "capset")
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    _check(libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "not dumpable")
