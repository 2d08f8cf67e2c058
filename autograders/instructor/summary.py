"""The class summary printed in the terminal: students × checks, scores and mistake ids."""
from rich.table import Table

from .records import collect


def print_summary(root, assignments, console, db_url=None):
    for assignment in assignments:
        rows = collect(root, assignment, db_url)
        if not rows:
            console.print(f"[yellow]{assignment}: no graded submissions")
            continue
        checks = list(dict.fromkeys(r.check_id for r in rows))
        table = Table(title=f"{assignment}: score / points, and the mistakes found", show_lines=False)
        table.add_column("student")
        for c in checks:
            table.add_column(c.split(".")[1], overflow="fold")
        table.add_column("total", justify="right")
        by_student = {}
        for r in rows:
            by_student.setdefault(r.student, {})[r.check_id] = r
        for student, cells in sorted(by_student.items()):
            row, total, points = [student], 0.0, 0.0
            for c in checks:
                r = cells.get(c)
                if r is None:
                    row.append("")
                    continue
                total, points = total + r.score, points + r.points
                colour = "green" if r.score >= r.points else "red"
                ids = "" if not r.mistakes else "\n" + "\n".join(r.mistakes)
                row.append(f"[{colour}]{r.score:g}/{r.points:g}[/]{ids}")
            row.append(f"{total:g}/{points:g}")
            table.add_row(*row)
        console.print(table)
