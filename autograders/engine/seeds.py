"""Trial seeds: secret, per student, per check, and stable across runs."""
import hashlib
import os
from pathlib import Path

from . import settings


def current_student():
    """The student being graded: $BACKPROP_STUDENT, else autograded/<student>/<assignment>/ in the cwd."""
    if os.environ.get("BACKPROP_STUDENT"):
        return os.environ["BACKPROP_STUDENT"]
    parts = Path.cwd().parts
    if len(parts) >= 3 and parts[-3] == "autograded":
        return parts[-2]
    return "anonymous"


def derive_seed(check_id, student=None, secret=None):
    """A 32-bit seed from the course secret, the student id and the check id."""
    student = current_student() if student is None else student
    secret = settings.course_secret() if secret is None else secret
    digest = hashlib.sha256(f"{secret}\0{student}\0{check_id}".encode()).digest()
    return int.from_bytes(digest[:4], "little")
