"""`backprop-grader report`: what the class misunderstood, per check, as one self-contained HTML file,
a CSV (one row per student and check) and a terminal table.

Everything is read from the gradebook and the diagnosis records of the autograded
notebooks (records.py); nothing is re-executed.
"""
import csv
import html
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from ..engine.feedback import mistake_summary
from .records import collect

CSV_FIELDS = ("student", "assignment", "check_id", "score", "points", "mistakes", "seed", "note", "group")
BAR = "#c62828"
OK = "#2e7d32"


def gather(root, assignments, db_url=None):
    """{assignment: [Row]} for the assignments that have graded submissions."""
    return {a: rows for a in assignments if (rows := collect(root, a, db_url))}


def overrides(root, rows_by_assignment):
    """[(assignment, student, what, why)]: every score verification wrote and still holds (the ledger),
    every failed regrade, and every submission verification could not check (reports/verify/*.json)."""
    from ..integrity import evidence, ledger
    found = []
    for assignment in rows_by_assignment:
        for book in ledger.every(root, assignment):
            for grade_id, e in sorted(book.overrides.items()):
                was = "none" if e.get("old") is None else f"{e['old']:g}"
                found.append((assignment, book.student, f"{grade_id}: manual score {e['new']:g} "
                              f"(in kernel {e.get('auto') if e.get('auto') is None else format(e['auto'], 'g')}, "
                              f"manual before: {was})", f"{e.get('reason', '')} [run {e.get('run', '?')}]"))
            if book.failed:
                found.append((assignment, book.student, "not graded: scores cleared, needs manual grading",
                              str(book.failed.get("reason", ""))))
        for student, e in sorted(evidence.load(root, assignment).items()):
            if e.get("unverified"):
                found.append((assignment, student, "unverified: the in-kernel scores stand", str(e["unverified"])))
    return found


def write_csv(rows_by_assignment, path, groups=None):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(CSV_FIELDS)
        for rows in rows_by_assignment.values():
            for r in rows:
                out.writerow([r.student, r.assignment, r.check_id, f"{r.score:g}", f"{r.points:g}",
                              ";".join(r.mistakes), "" if r.seed is None else r.seed, r.note,
                              (groups or {}).get((r.assignment, r.student, r.check_id), "")])
    return path


# -- the HTML page ------------------------------------------------------------------------------
def bar_chart(counts, width=560, bar_height=22, label_width=250):
    """A horizontal bar chart of {label: count} as inline SVG (no script, no network)."""
    if not counts:
        return "<p class='none'>No mistakes: every submission that ran was correct.</p>"
    top = max(counts.values())
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    height = bar_height * len(items) + 8
    span = width - label_width - 40
    parts = [f"<svg class='chart' role='img' aria-label='mistake frequencies' width='{width}' "
             f"height='{height}' viewBox='0 0 {width} {height}' xmlns='http://www.w3.org/2000/svg'>"]
    for k, (label, n) in enumerate(items):
        y = 4 + k * bar_height
        w = max(2, span * n / top)
        parts.append(f"<text x='{label_width - 6}' y='{y + bar_height * 0.68:.1f}' text-anchor='end' "
                     f"font-size='13' font-family='monospace'>{html.escape(label)}</text>"
                     f"<rect x='{label_width}' y='{y + 3}' width='{w:.1f}' height='{bar_height - 6}' "
                     f"fill='{BAR}'><title>{html.escape(label)}: {n}</title></rect>"
                     f"<text x='{label_width + w + 6:.1f}' y='{y + bar_height * 0.68:.1f}' font-size='13' "
                     f"font-family='sans-serif'>{n}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _distribution(rows):
    """Score distribution of one check as 'full / partial / zero' counts with a small bar."""
    full = sum(1 for r in rows if r.score >= r.points)
    zero = sum(1 for r in rows if r.score <= 0)
    partial = len(rows) - full - zero
    total = max(len(rows), 1)
    segs = "".join(f"<span class='seg' style='width:{100 * n / total:.1f}%;background:{c}' title='{t}: {n}'>"
                   f"</span>" for n, c, t in ((full, OK, "full marks"), (partial, "#f9a825", "partial"),
                                               (zero, BAR, "zero")) if n)
    return (f"<div class='dist'>{segs}</div><p class='small'>{full} full marks, {partial} partial, "
            f"{zero} zero, of {len(rows)} submissions</p>")


def _check_section(check_id, rows):
    esc = html.escape
    counts = Counter(m for r in rows for m in r.mistakes)
    students = {}
    for r in rows:
        for m in r.mistakes:
            students.setdefault(m, []).append(r.student)
    table = "".join(
        f"<tr><td><code>{esc(m)}</code></td><td class='num'>{n}</td><td>{esc(what)}"
        f"{'<br><i>Suggested fix:</i> ' + esc(fix) if fix else ''}</td>"
        f"<td>{esc(', '.join(sorted(students[m])))}</td></tr>"
        for m, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        for what, fix in [mistake_summary(check_id, m)])
    table = (f"<table><tr><th>mistake</th><th>students</th><th>what they were told</th><th>who</th></tr>"
             f"{table}</table>") if table else ""
    return (f"<section class='check' id='{esc(check_id)}'><h3>{esc(check_id)}</h3>"
            f"{_distribution(rows)}{bar_chart(counts)}{table}</section>")


def _student_table(assignment, rows):
    esc = html.escape
    checks = list(dict.fromkeys(r.check_id for r in rows))
    by_student = {}
    for r in rows:
        by_student.setdefault(r.student, {})[r.check_id] = r
    head = "".join(f"<th>{esc(c.split('.')[1])}</th>" for c in checks)
    body = []
    for student, cells in sorted(by_student.items()):
        tds, total, points = [], 0.0, 0.0
        for c in checks:
            r = cells.get(c)
            if r is None:
                tds.append("<td></td>")
                continue
            total, points = total + r.score, points + r.points
            cls = "good" if r.score >= r.points else "bad"
            ids = "<br>".join(f"<code>{esc(m)}</code>" for m in r.mistakes)
            tds.append(f"<td class='{cls}'>{r.score:g}/{r.points:g}{'<br>' + ids if ids else ''}</td>")
        body.append(f"<tr><td>{esc(student)}</td>{''.join(tds)}<td class='num'>{total:g}/{points:g}</td></tr>")
    return (f"<h3>Students</h3><table class='students'><tr><th>student</th>{head}<th>total</th></tr>"
            f"{''.join(body)}</table>")


STYLE = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:24px auto;padding:0 16px;color:#222}
h1{font-size:1.6em} h2{border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:40px}
table{border-collapse:collapse;margin:8px 0 16px 0;font-size:.92em}
td,th{border:1px solid #ddd;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#f3f3f3} td.num{text-align:right} td.good{background:#e8f5e9} td.bad{background:#ffebee}
.dist{display:flex;width:420px;height:14px;border:1px solid #ccc} .seg{display:block;height:100%}
.small{font-size:.85em;color:#555;margin:4px 0 10px 0} code{font-size:.95em}
section.check{margin-bottom:28px}
section.group{margin-bottom:24px} pre.code{background:#f6f6f6;padding:8px;overflow-x:auto}
"""


def _overrides_section(found):
    esc = html.escape
    if not found:
        return ("<h2 id='gradebook-changes'>Gradebook changes by verification</h2><p class='small'>None: every "
                "score is nbgrader's own.</p>")
    body = "".join(f"<tr><td>{esc(a)}</td><td>{esc(s)}</td><td>{esc(what)}</td><td>{esc(why)}</td></tr>"
                   for a, s, what, why in found)
    return (f"<h2 id='gradebook-changes'>Gradebook changes by verification ({len(found)})</h2>"
            "<p class='small'>Scores written by <code>backprop-grader</code> (nbgrader's manual score; undo them "
            "all with <code>backprop-grader verify --undo</code>), failed regrades, and unverified "
            "submissions.</p><table class='overrides'><tr><th>assignment</th><th>student</th><th>what</th>"
            f"<th>why</th></tr>{body}</table>")


def formative_summary(attempts, rows_by_assignment):
    """Per check, from the instant-feedback attempts (service/store.py) and the graded rows: how many students
    asked, attempts each (median, max), how many reached correct, the first mistake each was told, and what
    they fixed on their own before submitting (a mistake met in practice that the graded check no longer has;
    without a graded row, that their last attempt no longer has)."""
    graded = {(r.student, r.check_id): r for rows in rows_by_assignment.values() for r in rows}
    by = {}
    for a in attempts:
        by.setdefault(a.check_id, {}).setdefault(a.student, []).append(a)
    out = {}
    for check_id, per_student in by.items():
        counts = sorted(len(v) for v in per_student.values())
        first, fixed = Counter(), Counter()
        for student, tries in per_student.items():
            wrong = next((a for a in tries if not a.correct), None)
            if wrong is not None:
                first.update(wrong.mistakes)
            final = graded.get((student, check_id))
            now = set(final.mistakes) if final is not None else set(tries[-1].mistakes)
            fixed.update({m for a in tries for m in a.mistakes} - now)
        out[check_id] = {"students": len(per_student), "attempts": sum(counts), "median": counts[len(counts) // 2],
                         "most": counts[-1], "correct": sum(any(a.correct for a in t) for t in per_student.values()),
                         "first": first, "fixed": fixed}
    return out


def _formative_section(attempts, rows_by_assignment):
    esc = html.escape
    summary = formative_summary(attempts, rows_by_assignment)
    if not summary:
        return ""

    def ids(counter):
        return "<br>".join(f"<code>{esc(m)}</code> ×{n}" for m, n in counter.most_common()) or "-"
    body = "".join(f"<tr><td>{esc(c)}</td><td class='num'>{s['students']}</td><td class='num'>{s['attempts']}</td>"
                   f"<td class='num'>{s['median']} / {s['most']}</td><td class='num'>{s['correct']}</td>"
                   f"<td>{ids(s['first'])}</td><td>{ids(s['fixed'])}</td></tr>" for c, s in sorted(summary.items()))
    return ("<h2 id='instant-feedback'>Instant feedback while students worked</h2><p class='small'>Every self-check "
            "answered by <code>backprop-grader serve</code>: how many attempts each check took, which mistake each "
            "student was told first, and what students fixed on their own before submitting (met in practice, gone "
            "from the graded check).</p><table class='formative'><tr><th>check</th><th>students</th><th>attempts</th>"
            "<th>per student (median / most)</th><th>reached correct</th><th>first mistake</th>"
            f"<th>fixed before submitting</th></tr>{body}</table>")


def render(rows_by_assignment, title="Backpropagation exercises: class mistake report", changes=None, attempts=None,
           discovered=None):
    esc = html.escape
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{esc(title)}</title>"
             f"<style>{STYLE}</style></head><body><h1>{esc(title)}</h1>"
             f"<p class='small'>Generated {stamp} from the gradebook and the autograded notebooks.</p>"]
    if not rows_by_assignment:
        parts.append("<p>No graded submissions yet: run <code>nbgrader autograde</code> first.</p>")
    for assignment, rows in rows_by_assignment.items():
        n = len({r.student for r in rows})
        parts.append(f"<h2 id='{esc(assignment)}'>{esc(assignment)} ({n} students)</h2>")
        for check_id in dict.fromkeys(r.check_id for r in rows):
            parts.append(_check_section(check_id, [r for r in rows if r.check_id == check_id]))
        parts.append(_student_table(assignment, rows))
    if discovered is not None:                       # discovery/section.py: instructor-only
        from .discovery_section import render as not_in_catalogue
        parts.append(not_in_catalogue(discovered))
    parts.append(_formative_section(attempts or [], rows_by_assignment))
    parts.append(_overrides_section(changes or []))
    parts.append("</body></html>")
    return "".join(parts)


def write_html(rows_by_assignment, path, changes=None, attempts=None, discovered=None):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(rows_by_assignment, changes=changes, attempts=attempts, discovered=discovered),
                    encoding="utf-8")
    return path


def print_mistake_table(rows_by_assignment, console):
    from rich.table import Table
    table = Table(title="Mistakes per check (number of students)")
    table.add_column("check")
    table.add_column("graded", justify="right")
    table.add_column("full marks", justify="right")
    table.add_column("mistakes found")
    for rows in rows_by_assignment.values():
        for check_id in dict.fromkeys(r.check_id for r in rows):
            these = [r for r in rows if r.check_id == check_id]
            counts = Counter(m for r in these for m in r.mistakes)
            table.add_row(check_id, str(len(these)), str(sum(r.score >= r.points for r in these)),
                          ", ".join(f"{m} ×{n}" for m, n in counts.most_common()))
    console.print(table)
