"""Local Unix users of the course's hub (autograders/instructor/hub.py): created, emptied, removed, their processes."""
import os
import pwd
import shutil
import signal
import subprocess
from pathlib import Path


def ensure_user(user, fresh=False):
    """A local Unix user with a private home (no password: the hub authenticates)."""
    try:
        home = Path(pwd.getpwnam(user).pw_dir)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", "--comment", "backprop hub", user],
                       check=True)
        home = Path(pwd.getpwnam(user).pw_dir)
    if fresh:
        for pid in processes_of(user):
            _kill(pid)
        for entry in home.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            elif entry.name not in (".bashrc", ".profile", ".bash_logout"):
                entry.unlink()
    home.mkdir(exist_ok=True)
    home.chmod(0o700)
    return home


def remove_user(user):
    """Delete a user this module created (and their home), once none of their processes is left."""
    for pid in processes_of(user):
        _kill(pid)
    subprocess.run(["userdel", "--remove", user], capture_output=True)


def chown_tree(path, user):
    entry = pwd.getpwnam(user)
    for root, dirs, files in os.walk(path):
        for name in (root, *(os.path.join(root, n) for n in dirs + files)):
            os.lchown(name, entry.pw_uid, entry.pw_gid)


def processes_of(user):
    """Process ids owned by `user` (from /proc)."""
    uid = pwd.getpwnam(user).pw_uid
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    out.append(int(entry.name))
            except OSError:
                pass
    return out


def _kill(pid):
    if pid > 1:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
