"""Per-check results of a graded class: scores from the gradebook, diagnoses from the notebooks.

The score of every check comes from nbgrader's gradebook (the truth instructors
export); the mistake ids and seed come from the diagnosis record that `check`
leaves in the autograded notebook's output. Both are written by the same
autograde run of the same cell, so they cannot drift apart; a record whose
score disagrees with the gradebook is reported, not trusted.
"""
import json
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..engine.course import gradebook_url, source_notebook
from ..integrity.nbgrader_plugins import DIAGNOSIS_MIME, check_ids_in, is_autograder_test


NOT_RUN = ("The test of this function could not run: the function was missing, or the notebook "
           "failed before the test (a syntax error, a deleted cell, or a file that is not a notebook).")


@dataclass
class Row:
    student: str
    assignment: str
    check_id: str
    score: float
    points: float
    mistakes: tuple       # catalogue or contract ids; ("not_run",) when the test cell itself failed
    seed: object = None
    note: str = ""
    message: str = ""     # the feedback text the student got for this check


NOT_GRADED = ("This submission could not be graded (nbgrader failed on it): its earlier scores were cleared and "
              "it is marked for manual grading.")


def test_cells(root, assignment):
    """{grade_id: check id} for the autograder test cells of an assignment's source notebook."""
    nb = nbformat.read(str(source_notebook(root, assignment)), as_version=4)
    cells = {}
    for cell in nb.cells:
        if is_autograder_test(cell):
            ids = check_ids_in(cell.source)
            cells[cell.metadata["nbgrader"]["grade_id"]] = ids[0] if ids else cell.metadata["nbgrader"]["grade_id"]
    return cells


def _typed(record):
    """The record if every field has its type (check() writes it so), else None: a forged or damaged one."""
    def number(x):
        return isinstance(x, (int, float)) and not isinstance(x, bool) and x == x
    ok = (isinstance(record, dict) and isinstance(record.get("check_id"), str) and number(record.get("score"))
          and isinstance(record.get("mistakes"), list) and all(isinstance(m, str) for m in record["mistakes"])
          and (record.get("seed") is None or isinstance(record.get("seed"), int))
          and isinstance(record.get("message", ""), str))
    return record if ok else None


def diagnoses(notebook_path, cells=None):
    """{check id: record} from an autograded notebook's outputs; {} if it is missing or unreadable.

    With `cells` ({grade_id: check id}), a record counts only in the output of the hidden test cell of
    that grade_id, for that check: a student's own cell cannot print one. Records are type-checked."""
    try:
        nb = nbformat.read(str(notebook_path), as_version=4)
    except (OSError, ValueError, json.JSONDecodeError, nbformat.reader.NotJSONError):
        return {}
    found = {}
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if cells is not None and grade_id not in cells:
            continue
        for out in cell.get("outputs", []):
            record = _typed(out.get("data", {}).get(DIAGNOSIS_MIME))
            if record is not None and (cells is None or record["check_id"] == cells[grade_id]):
                found[record["check_id"]] = record
    return found


def collect(root, assignment, db_url=None):
    """One Row per (student, check) that the gradebook holds for this assignment."""
    from nbgrader.api import Gradebook, MissingEntry
    from ..integrity.ledger import Ledger
    root = Path(root)
    cells = test_cells(root, assignment)
    rows = []
    with Gradebook(gradebook_url(root, db_url)) as gb:
        try:
            submissions = gb.assignment_submissions(assignment)
        except MissingEntry:
            return []
        for sub in sorted(submissions, key=lambda s: s.student_id):
            found = diagnoses(root / "autograded" / sub.student_id / assignment / f"{assignment}.ipynb", cells)
            failed = Ledger(root, assignment, sub.student_id).failed
            try:
                nb = gb.find_submission_notebook(assignment, assignment, sub.student_id)
            except MissingEntry:
                continue
            for grade in nb.grades:
                if grade.name not in cells:
                    continue
                check_id = cells[grade.name]
                score = float(grade.score or 0.0)
                record = found.get(check_id)
                if failed is not None:
                    rows.append(Row(sub.student_id, assignment, check_id, score, grade.max_score, ("not_graded",),
                                    note=f"not graded: {failed.get('reason', '')}"[:300], message=NOT_GRADED))
                    continue
                if record is None:
                    rows.append(Row(sub.student_id, assignment, check_id, score, grade.max_score, ("not_run",),
                                    message=NOT_RUN))
                    continue
                note = "" if abs(record["score"] - score) < 1e-9 else \
                    f"gradebook {score:g} but the notebook's record says {record['score']:g}"
                rows.append(Row(sub.student_id, assignment, check_id, score, grade.max_score,
                                tuple(record["mistakes"]), record.get("seed"), note, record.get("message", "")))
    return rows
