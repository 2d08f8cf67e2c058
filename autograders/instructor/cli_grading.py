"""`backprop-grader autograde` and `verify`, and what every command does first (find the course, check
the settings and the isolation, take the course lock)."""
import time

from ..engine.course import ASSIGNMENTS, CourseError


def _assignments(name):
    if name in (None, "all"):
        return ASSIGNMENTS
    if name not in ASSIGNMENTS:
        raise CourseError(f"unknown assignment {name!r}: choose one of {', '.join(ASSIGNMENTS)} or all")
    return (name,)


def _start(args, console, lock=True):
    """The course root, its settings validated and printed (one-line errors), and the course lock."""
    from ..engine import settings
    from ..engine.course import CourseLock, find_root
    root = find_root(args.course)
    values = settings.load(root)
    console.print(f"[dim]{settings.header(values)}")
    if settings.uses_public_secret(values) and args.command != "demo":
        console.print("[bold red]warning: BACKPROP_COURSE_SECRET is not set: trials come from the PUBLIC default "
                      "secret, so anyone can compute them. Set it (or c.Backprop.course_secret) for a real class.")
    return root, (CourseLock(root) if lock else None)


def _isolation(args, console, kernels=True):
    """Print the run's isolation mode once; False (after a one-line error) when it cannot be set up
    and --allow-unisolated was not given."""
    from ..integrity.mode import IsolationMissing, allow, require, summary
    if getattr(args, "allow_unisolated", False):
        allow()
    try:
        require(kernels=kernels)
    except IsolationMissing as err:
        console.print(f"[bold red]error:[/] {err}", soft_wrap=True)
        return False
    console.print(summary(kernels=kernels), soft_wrap=True)
    return True


def _unisolated_footer(console, kernels=True):
    from ..integrity.mode import missing, summary
    if missing(kernels=kernels):
        console.print(summary(kernels=kernels), soft_wrap=True)


def cmd_verify(args):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.table import Table

    from ..integrity.verify import students, undo, verify_assignment
    console = Console()
    if not _isolation(args, console, kernels=False):
        return 2
    root, lock = _start(args, console)
    flagged = 0
    with lock:
        for assignment in _assignments(args.assignment):
            if args.undo:
                lines = undo(root, assignment, args.student, args.db_url)
                for line in lines:
                    console.print(f"undone {line}")
                console.print(f"{assignment}: {len(lines)} override(s) undone; the gradebook holds what "
                              "nbgrader wrote")
                continue
            total = len([s for s in students(root, assignment) if not args.student or s in args.student])
            with Progress(TextColumn(f"verify {assignment}"), BarColumn(), MofNCompleteColumn(),
                          TextColumn("{task.fields[who]}"), TimeRemainingColumn(), console=console) as progress:
                task = progress.add_task("verify", total=total, who="")
                results, path = verify_assignment(root, assignment, args.policy, args.student,
                                                  lambda r: progress.update(task, advance=1, who=r.student),
                                                  args.db_url)
            table = Table(title=f"{assignment}: out-of-kernel verification ({len(results)} submissions)")
            for col in ("student", "verified", "in kernel", "flags"):
                table.add_column(col, overflow="fold")
            for r in results:
                if not (r.flags or r.overrides) and not args.all:
                    continue
                kernel = [c.in_kernel for c in r.checks]
                table.add_row(r.student, "unverified" if r.unverified else
                              f"{r.verified_total:g}/{sum(c.points for c in r.checks):g}",
                              "?" if None in kernel or not kernel else f"{sum(kernel):g}",
                              "\n".join(r.flags + [f"gradebook: {o}" for o in r.overrides]) or "-")
            flagged += sum(1 for r in results if r.flags)
            console.print(table if table.row_count else f"{assignment}: no flags")
            console.print(f"Details: {path}")
    _unisolated_footer(console, kernels=False)
    return 1 if flagged and args.strict else 0


def cmd_autograde(args):
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    from . import markers, parallel
    from ..engine import settings
    from ..integrity.evidence import check_writable, merge
    from ..integrity.ledger import new_run_id
    console = Console()
    if not args.scheduler and not _isolation(args, console):   # (on Dask, each worker's machine decides)
        return 2
    if args.allow_unisolated:
        from ..integrity.mode import allow
        allow()                             # inherited by the Dask workers' tasks through env
    root, lock = _start(args, console)
    env = {**settings.as_env(), "BACKPROP_RUN": new_run_id()}     # the run's settings, secret included
    if args.allow_unisolated:
        env["BACKPROP_ALLOW_UNISOLATED"] = "1"
    status = 0
    with lock:
        for assignment in _assignments(args.assignment):
            parallel.prepare(root, assignment, args.db_url)
            check_writable(root, assignment)
            todo, skipped = markers.to_grade(root, assignment, args.force, args.student, args.db_url)
            start = time.perf_counter()
            outcomes = []
            interrupted = False
            with Progress(TextColumn(f"autograde {assignment}"), BarColumn(), MofNCompleteColumn(),
                          TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"),
                          TimeRemainingColumn(), console=console) as progress:
                task = progress.add_task("grade", total=len(todo), rate="")

                def report(outcome):
                    outcomes.append(outcome)
                    rate = len(outcomes) / max(time.perf_counter() - start, 1e-9)
                    progress.update(task, advance=1, rate=f"{rate:.2f}/s")
                try:
                    if todo and args.scheduler:
                        parallel.run_dask(root, assignment, todo, args.scheduler, args.db_url, env=env,
                                          verify=not args.no_verify, report=report)
                    elif todo:
                        parallel.run_local(root, assignment, todo, args.jobs, args.db_url, env=env,
                                           verify=not args.no_verify, report=report)
                except KeyboardInterrupt:
                    interrupted = True
            evidence = [o.evidence for o in outcomes if o.evidence]
            if evidence:
                merge(root, assignment, evidence, settings.VERIFY_POLICY)
            graded = [o for o in outcomes if o.status == "graded"]
            failed = [o for o in outcomes if o.status == "failed"]
            for o in failed:
                console.print(f"[red]failed[/] {o.student}: {o.message}; its old scores were cleared and it is "
                              "marked for manual grading")
            for o in graded:
                for flag in o.flags:
                    console.print(f"[yellow]flag[/] {o.student}: {flag}")
            console.print(f"{assignment}: {len(graded)} graded, {len(failed)} failed, {len(skipped)} skipped "
                          f"(already graded; --force to redo) in {time.perf_counter() - start:.1f} s")
            if interrupted:
                console.print(f"[red]interrupted[/]: {len(todo) - len(outcomes)} submission(s) of {assignment} "
                              "not graded; run the command again to grade them")
                return 130
            status = status or (1 if failed else 0)
            if not args.scheduler:
                _unisolated_footer(console, kernels=True)
    return status
