"""The verification secret: the grader's alone (issue 21, finding 2).

Trials decide the verified score, so no kernel may know them. The course secret is in every
kernel's environment (the in-kernel checks need it), so verification trials come from another
secret that never enters a kernel: BACKPROP_VERIFY_SECRET when the grader's environment has it
(stripped from every kernel's and sandbox's environment), else a random key kept in the course
folder at .backprop/verify-secret (0600 in a 0700 folder, covered in every kernel's jail and every
verification sandbox), made on first use. The course secret is mixed in too, so changing it
changes the verification trials as well.
"""
import hashlib
import os
import secrets
import tempfile
from pathlib import Path

ENV = "BACKPROP_VERIFY_SECRET"
_PER_PROCESS = secrets.token_hex(32)          # the last resort: a course folder we cannot write


def key_path(root):
    return Path(root) / ".backprop" / "verify-secret"


def _key(root):
    if os.environ.get(ENV):
        return os.environ[ENV]
    path = key_path(root)
    try:
        return path.read_text().strip() or _PER_PROCESS
    except FileNotFoundError:
        pass
    except OSError:
        return _PER_PROCESS
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent)       # 0600
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
        try:
            os.link(temp, path)                             # atomic: the first writer wins
        except FileExistsError:
            pass
        finally:
            os.unlink(temp)
        return path.read_text().strip() or _PER_PROCESS
    except OSError:
        return _PER_PROCESS


def verification_secret(root, course_secret):
    """The secret the verification trials of the course at `root` come from (never seen by a kernel)."""
    return hashlib.sha256(f"{course_secret}\0verify\0{_key(root)}".encode()).hexdigest()


def strip(env):
    """`env` without the verification secret (for a kernel or a sandbox)."""
    return {k: v for k, v in env.items() if k != ENV}
