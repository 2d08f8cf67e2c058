"""The ledger: every grade this tool writes into nbgrader's gradebook, why, and how to take it back.

nbgrader keeps a manual score across regrades, so a score written by verification
would outlive its cause. Each write is recorded here first (which grade, the value
before and after, why, which verification run), one file per submission:
`ledger/<assignment>/<student>.json` in the course directory. Every autograde and
verify run reconciles it: an override whose cause is gone is undone, a score a
person entered (in formgrader) is never overwritten, and `verify --undo` restores
the gradebook as nbgrader left it. A regrade that failed is recorded here too.
"""
import hashlib
import json
import time
import uuid
from pathlib import Path

from ..engine.course import write_atomic

SAME = 1e-6


def new_run_id():
    return time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]


def path_of(root, assignment, student):
    return Path(root) / "ledger" / assignment / f"{student}.json"


class Ledger:
    """One submission's record: {"overrides": {grade_id: entry}, "failed": {...} or None, "history": [...]}."""

    def __init__(self, root, assignment, student):
        self.root, self.assignment, self.student = Path(root), assignment, student
        self.path = path_of(root, assignment, student)
        self.overrides, self.failed, self.history = {}, None, []
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            data = {}
        if isinstance(data, dict):
            self.overrides = {k: v for k, v in (data.get("overrides") or {}).items()
                              if isinstance(v, dict) and _is_number(v.get("new")) and isinstance(v.get("id"), str)}
            self.failed = data.get("failed") if isinstance(data.get("failed"), dict) else None
            self.history = [h for h in data.get("history") or [] if isinstance(h, dict)]

    def save(self):
        if not (self.overrides or self.failed or self.history):
            self.path.unlink(missing_ok=True)
            return
        write_atomic(self.path, json.dumps({"student": self.student, "assignment": self.assignment,
                                            "overrides": self.overrides, "failed": self.failed,
                                            "history": self.history[-200:]}, indent=1) + "\n")

    def note(self, action, grade_id="", **fields):
        self.history.append({"at": time.strftime("%Y-%m-%d %H:%M:%S"), "action": action, "grade_id": grade_id,
                             **fields})

    # -- reading the gradebook -------------------------------------------------------------------
    def _grade(self, gb, grade_id):
        from nbgrader.api import MissingEntry
        try:
            return gb.find_grade(grade_id, self.assignment, self.assignment, self.student)
        except MissingEntry:
            return None

    def ours(self, grade, entry):
        """The gradebook still holds what we wrote (same row, same manual score)."""
        return (grade is not None and entry is not None and grade.id == entry["id"]
                and grade.manual_score is not None and abs(grade.manual_score - entry["new"]) <= SAME)

    # -- writing ------------------------------------------------------------------------------------
    def override(self, gb, grade_id, value, reason, run, submission=""):
        """Put `value` as the manual score of `grade_id`, recorded; never over a person's score.
        Returns a line for the instructor, or '' when nothing changed."""
        grade, entry = self._grade(gb, grade_id), self.overrides.get(grade_id)
        if grade is None:
            return ""
        if entry is not None and not self.ours(grade, entry):
            self._forget(grade_id, "superseded", "a person changed the score since; theirs stands")
            entry = None
        if entry is None and grade.manual_score is not None:
            self.note("kept_manual", grade_id, manual=grade.manual_score, wanted=value, run=run)
            return (f"{grade_id}: kept the manual score {grade.manual_score:g} a person entered "
                    f"(verification says {value:g})")
        if entry is not None and abs(entry["new"] - value) <= SAME:
            entry.update(reason=reason, run=run, auto=grade.auto_score, submission=submission)
            return ""
        if entry is None:
            entry = {"id": grade.id, "old": grade.manual_score, "old_needs_manual": bool(grade.needs_manual_grade)}
        entry.update(new=float(value), auto=grade.auto_score, reason=reason, run=run, submission=submission,
                     at=time.strftime("%Y-%m-%d %H:%M:%S"))
        self.overrides[grade_id] = entry
        self.note("override", grade_id, old=grade.manual_score, new=float(value), auto=grade.auto_score,
                  reason=reason, run=run)
        grade.manual_score = float(value)
        return f"{grade_id}: manual score {value:g} (in kernel {grade.auto_score:g}): {reason}"

    def undo(self, gb, grade_id, why):
        """Take back our override of `grade_id` if the gradebook still holds it; the entry is dropped."""
        grade, entry = self._grade(gb, grade_id), self.overrides.get(grade_id)
        if entry is None:
            return ""
        if not self.ours(grade, entry):
            self._forget(grade_id, "superseded", "a person changed the score since; theirs stands")
            return ""
        grade.manual_score = entry["old"]
        if grade.auto_score is not None and entry.get("auto") is not None and \
                abs(grade.auto_score - entry["auto"]) <= SAME:
            grade.needs_manual_grade = entry.get("old_needs_manual", False)
        else:                                       # regraded since: what nbgrader's SaveAutoGrades decides
            grade.needs_manual_grade = entry["old"] is not None or grade.auto_score is None
        self._forget(grade_id, "undo", why, restored=entry["old"], was=entry["new"])
        return f"{grade_id}: override {entry['new']:g} undone ({why})"

    def _forget(self, grade_id, action, why, **fields):
        self.overrides.pop(grade_id, None)
        self.note(action, grade_id, why=why, **fields)

    def undo_all(self, gb, why):
        return [line for g in list(self.overrides) if (line := self.undo(gb, g, why))]

    def reconcile(self, gb, wanted, run, submission, why_gone):
        """Make the gradebook hold exactly the overrides in `wanted` ({grade_id: (value, reason)}):
        new ones written, changed ones rewritten, those whose cause is gone undone."""
        lines = [self.undo(gb, g, why_gone) for g in list(self.overrides) if g not in wanted]
        lines += [self.override(gb, g, v, reason, run, submission) for g, (v, reason) in wanted.items()]
        return [line for line in lines if line]

    def stale(self, gb, submission):
        """Undo overrides made for another submission or another in-kernel score (autograde without verify)."""
        lines = []
        for grade_id, entry in list(self.overrides.items()):
            grade = self._grade(gb, grade_id)
            auto = None if grade is None else grade.auto_score
            if entry.get("submission") != submission or auto is None or entry.get("auto") is None \
                    or abs(auto - entry["auto"]) > SAME:
                lines.append(self.undo(gb, grade_id, "the submission was regraded"))
        return [line for line in lines if line]

    # -- a regrade that failed --------------------------------------------------------------------------
    def mark_failed(self, gb, reason, submission=""):
        """nbgrader could not grade the resubmission: its old scores must not stand as if new. Auto scores
        become 0 and the rows need manual grading (nbgrader's treatment of a missing notebook, plus the
        flag); our overrides are undone, a person's manual scores kept."""
        from nbgrader.api import MissingEntry
        self.undo_all(gb, "the resubmission could not be graded")
        try:
            nb = gb.find_submission_notebook(self.assignment, self.assignment, self.student)
        except MissingEntry:
            return
        for grade in nb.grades:
            if grade.auto_score is not None:
                grade.auto_score = 0.0
                grade.needs_manual_grade = True
        self.failed = {"reason": reason, "submission": submission, "at": time.strftime("%Y-%m-%d %H:%M:%S")}
        self.note("failed", reason=reason)

    def graded(self):
        if self.failed is not None:
            self.note("regraded", why="graded again after a failure")
            self.failed = None


def _is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def every(root, assignment):
    """Every submission's ledger of an assignment: [Ledger] (for the report and --undo)."""
    folder = Path(root) / "ledger" / assignment
    return [Ledger(root, assignment, p.stem) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []


def submission_hash(root, assignment, student):
    """A hash of every file of the submission: the marker is valid only for what was graded."""
    folder = Path(root) / "submitted" / student / assignment
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
