"""Namespaces, covers and privileges: what kernels (kernel.py) and the verification sandbox (sandbox.py)
both need, and what the run's isolation mode (mode.py) asks about. Nothing here runs student code."""
import os
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np


#: A shell function that hides one path in a private mount namespace: a folder behind an empty read-only
#: tmpfs, a file behind /dev/null; a path gone since it was listed (a journal file) has nothing to hide.
COVER = r"""
cover() {
  if [ -d "$1" ]; then mount -t tmpfs -o size=4k,mode=0555 none "$1" || [ ! -e "$1" ] || exit 32
  elif [ -e "$1" ]; then mount --bind /dev/null "$1" || [ ! -e "$1" ] || exit 32; fi
}
"""

#: The kernel's mount script: read-only binds, writable binds, covers, then the kernel.
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


def _kept():
    return [Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), Path(np.__file__).resolve(),
            Path(sys.executable).resolve()]


def entries_to_cover(root, keep):
    """The entries of folder `root` to hide: all but symlinks and those that are or hold a `keep` path."""
    keep = [Path(k).resolve() for k in keep]
    return [entry for entry in (e.resolve() for e in sorted(Path(root).iterdir()) if not e.is_symlink())
            if not any(k == entry or entry in k.parents for k in keep)]


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


def _unshare(pid=False):
    """Root gets mount and network namespaces (then drops to nobody); a user also a user namespace.
    With `pid`, also a PID namespace whose pid 1 is the child, with its own /proc."""
    flags = ["-mn" if os.geteuid() == 0 else "-Urmn"]
    if pid:
        flags += ["--pid", "--fork", "--kill-child", "--mount-proc"]
    return [shutil.which("unshare") or "unshare", *flags, "--"]


NOBODY = 65534


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


#: Read-only binds (what a kernel that keeps the grader's uid could otherwise write: the interpreter, the
#: repository, the grader's home), folders bound back writable inside them, then the covers.


#: Read-only views for the two ways the student's process may hold uid 0 (see MOUNT_SCRIPT).
READ_ONLY = r"""
read_only_mounts() {  # every mount but "$1" read-only: uid 0 without capabilities can still write root's files
  awk '{print $5}' /proc/self/mountinfo | while read -r mp; do
    [ "$mp" = "$1" ] || mount -o remount,bind,ro "$mp" 2>/dev/null || true
  done
}
read_only_dir() { mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || true; }
"""


PACKAGE = Path(__file__).resolve().parent.parent          # autograders/


def _site_paths():
    """Where NumPy lives, without .pth processing (so editable installs of our packages stay invisible)."""
    numpy_site = str(Path(np.__file__).resolve().parent.parent)
    return [numpy_site]


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


def _readonly_dir():
    """The folder an ordinary user's child sees read-only (the interpreter's prefix); '' for root."""
    return "" if os.geteuid() == 0 else str(Path(sys.prefix).resolve())


def _drop():
    """How a root-started child gives up root: 'nobody' when nobody can run this interpreter, else 'caps'."""
    from .namespaces import can_drop_privileges
    return "nobody" if can_drop_privileges() else "caps"


def kept_in_tmp():
    """The folder under /tmp that must stay visible because the interpreter lives there ("" if none)."""
    tmp = Path(tempfile.gettempdir()).resolve()
    inside = [str(k) for k in _kept() if tmp in k.parents]
    if not inside:
        return ""
    common = Path(os.path.commonpath(inside))
    return "" if common == tmp else str(common)


def scratch_dirs():
    """The shared scratch folders besides /tmp that each sandbox gets fresh and empty (those that exist and
    hold nothing the child needs)."""
    kept, tmp = _kept(), _tmp()
    return [d for d in ("/dev/shm", "/var/tmp", "/run") if os.path.isdir(d) and not os.path.islink(d)
            and d != tmp and not any(Path(d) in k.parents for k in kept)]


def _tmp():
    return str(Path(tempfile.gettempdir()).resolve())
