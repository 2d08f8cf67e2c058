"""reports/verify/<assignment>.json: what verification found, per student, kept across runs.

Both `autograde` and `verify` merge their students into it (a run for one student
never drops the others); each entry holds the flags, the overrides written or undone,
and why a submission is unverified. Written atomically; an unreadable old file is
kept aside (`.json.bad`), never silently lost.
"""
import json
import os
from pathlib import Path

from ..engine.course import CourseError, write_atomic


def path_of(root, assignment):
    return Path(root) / "reports" / "verify" / f"{assignment}.json"


def check_writable(root, assignment):
    """Fail before anything is graded or written if the evidence cannot be kept."""
    path = path_of(root, assignment)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        probe = path.parent / f".probe.{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as err:
        raise CourseError(f"cannot write {path.parent} ({err.strerror}): verification evidence could not be "
                          "kept, so nothing was changed") from None
    return path


def load(root, assignment):
    """{student: entry} of the evidence file; {} if there is none. An unreadable file is moved aside."""
    path = path_of(root, assignment)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        os.replace(path, path.with_suffix(".json.bad"))
        return {}
    students = data.get("students") if isinstance(data, dict) else None
    return {s["student"]: s for s in students or [] if isinstance(s, dict) and isinstance(s.get("student"), str)}


def merge(root, assignment, entries, policy):
    """Put these students' entries (dicts of verify.StudentResult) into the file; others are kept."""
    from .bubblewrap import available as isolation_available
    students = load(root, assignment)
    students.update({e["student"]: e for e in entries})
    write_atomic(path_of(root, assignment),
                 json.dumps({"assignment": assignment, "policy": policy, "isolated": isolation_available(),
                             "students": [students[s] for s in sorted(students)]}, indent=1) + "\n")
    return path_of(root, assignment)
