"""Which submissions are graded: a marker file per submission holds the hash of what was graded.

A submission is done when its marker (`autograded/<student>/<assignment>/.backprop-autograded`) is
written after nbgrader succeeded and still agrees with the gradebook and the settings: a rerun skips
those and redoes the rest; `--force` redoes everything.
"""
import json
from pathlib import Path

from ..engine.course import gradebook_url, write_atomic
from ..integrity.ledger import submission_hash


MARKER = ".backprop-autograded"


def marker(root, assignment, student):
    return Path(root) / "autograded" / student / assignment / MARKER


def write_marker(root, assignment, student, digest, submission_id):
    """What was graded, into which gradebook row, under which settings; written atomically."""
    from ..engine import settings
    write_atomic(marker(root, assignment, student), json.dumps(
        {"submission": digest, "gradebook_submission": submission_id, "settings": settings.fingerprint()}) + "\n")


def read_marker(root, assignment, student):
    """The marker as a dict; {} when missing, unreadable, or of another format (then the submission is redone)."""
    try:
        data = json.loads(marker(root, assignment, student).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_done(root, assignment, student, gb=None):
    """A marker speeds things up only when it agrees with the gradebook: the same submission, graded into
    the row the gradebook holds now, with every autograded score present, under the same settings, and
    the autograded notebook still there."""
    from ..engine import settings
    m = read_marker(root, assignment, student)
    if not m or m.get("submission") != submission_hash(root, assignment, student) \
            or m.get("settings") != settings.fingerprint():
        return False
    if not (Path(root) / "autograded" / student / assignment / f"{assignment}.ipynb").is_file():
        return False
    if gb is None:
        return True
    from nbgrader.api import MissingEntry
    try:
        sub = gb.find_submission(assignment, student)
        notebooks = list(sub.notebooks)
    except MissingEntry:
        return False
    return sub.id == m.get("gradebook_submission") and all(
        g.auto_score is not None for nb in notebooks for g in nb.grades if g.cell.cell_type == "code")


def to_grade(root, assignment, force=False, only=None, db_url=None):
    """(students to grade, students skipped because already graded, as the gradebook says)."""
    from nbgrader.api import Gradebook
    folder = Path(root) / "submitted"
    everyone = sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir()) if folder.is_dir() else []
    everyone = [s for s in everyone if not only or s in only]
    if force:
        return everyone, []
    with Gradebook(gradebook_url(root, db_url)) as gb:
        todo = [s for s in everyone if not is_done(root, assignment, s, gb)]
    return todo, [s for s in everyone if s not in todo]
