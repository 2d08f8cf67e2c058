"""LMS exports from the gradebook: Gradescope-style results.json per student, Canvas-style grades CSV.

Scores come from nbgrader's gradebook only; the feedback text of each check comes
from the diagnosis records (records.py), so the exports say why points were lost.
"""
import csv
import json
from pathlib import Path

from ..engine.course import gradebook_url
from .records import collect


def gradescope(root, assignment, out_dir, db_url=None):
    """Write <out_dir>/<assignment>/<student>/results.json; returns the paths written."""
    rows = collect(root, assignment, db_url)
    by_student = {}
    for r in rows:
        by_student.setdefault(r.student, []).append(r)
    written = []
    for student, these in sorted(by_student.items()):
        tests = [{"name": r.check_id, "score": r.score, "max_score": r.points,
                  "status": "passed" if r.score >= r.points and r.mistakes != ("not_graded",) else "failed",
                  "output": r.message or ("correct" if not r.mistakes else ", ".join(r.mistakes)),
                  "tags": list(r.mistakes)} for r in these]
        result = {"score": sum(r.score for r in these), "visibility": "visible",
                  "stdout_visibility": "hidden", "tests": tests}
        path = Path(out_dir) / assignment / student / "results.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=2) + "\n")
        written.append(path)
    return written


def canvas(root, assignments, path, db_url=None):
    """A Canvas gradebook import CSV: one row per student, one column per assignment (total points).

    Students in the gradebook who did not submit an assignment get an empty cell (Canvas: no grade),
    not a silent zero; the instructor decides. So does a submission whose regrade failed (needs manual grading).
    """
    from nbgrader.api import Gradebook, MissingEntry
    from ..integrity.ledger import Ledger
    with Gradebook(gradebook_url(root, db_url)) as gb:
        students = sorted(s.id for s in gb.students)
        columns, possible, table = [], [], {s: {} for s in students}
        for a in assignments:
            try:
                assignment = gb.find_assignment(a)
            except MissingEntry:
                continue
            columns.append(a)
            possible.append(f"{assignment.max_score:g}")
            for sub in assignment.submissions:
                failed = Ledger(root, a, sub.student_id).failed is not None
                table.setdefault(sub.student_id, {})[a] = "" if failed else f"{sub.score:g}"   # needs grading
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *columns])
        out.writerow(["Points Possible", "", "", "", "", *possible])
        for s in sorted(table):
            out.writerow([s, "", s, s, "", *[table[s].get(a, "") for a in columns]])
    return path
