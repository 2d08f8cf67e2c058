"""backprop-grader: the instructor's commands around nbgrader.

Errors are one clear line and a non-zero exit code, never a traceback.
"""
import argparse
import os
import time
import sys
import tempfile
from pathlib import Path

from .course import ASSIGNMENTS, CourseError

DEMO_SECRET = {"BACKPROP_COURSE_SECRET": "demo-course-secret"}
DB_URL_HELP = ("gradebook URL (default: c.CourseDirectory.db_url of nbgrader_config.py, else sqlite gradebook.db "
               "in the course; postgresql://user@host:port/db for a cluster)")


def cmd_demo(args):
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from . import demo
    from .course import nbgrader
    from .summary import print_summary

    from . import settings
    console = Console()
    values = settings.resolve({**os.environ, **DEMO_SECRET})     # the demo's own secret, validated like any run
    settings.apply(values)
    console.print(f"[dim]{settings.header(values)}")
    root = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="backprop-demo-"))
    root = demo.make_course(root, force=True if not args.dir else args.force)
    plans = demo.roster(args.students)
    steps = [("release", "nbgrader generate_assignment", lambda: demo.release(root)),
             ("class", f"write {len(plans)} simulated submissions", lambda: [demo.submit(root, p) for p in plans])]
    problems = []

    def autograde(a):
        """nbgrader's autograde for every submission, several at a time, then out-of-kernel verification."""
        from . import parallel
        from .evidence import merge
        students, _ = parallel.to_grade(root, a, force=True)
        outcomes = parallel.run_local(root, a, students, args.jobs, env=settings.as_env(), verify=True)
        merge(root, a, [o.evidence for o in outcomes if o.evidence], settings.VERIFY_POLICY)
        for o in outcomes:
            if o.status != "graded":
                problems.append(f"{a}, {o.student}: not graded ({o.message}): no points, listed as not_run")
            problems.extend(f"{a}, {o.student}: verification flag: {f}" for f in o.flags)
    for a in ASSIGNMENTS:
        steps.append((f"autograde {a}", f"backprop-grader autograde {a} (nbgrader + verify)",
                      lambda a=a: autograde(a)))
    for a in ASSIGNMENTS:
        steps.append((f"feedback {a}", f"nbgrader generate_feedback {a}",
                      lambda a=a: nbgrader(root, "generate_feedback", a, "--force")))
    steps.append(("export", "nbgrader export", lambda: nbgrader(root, "export")))
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=False) as progress:
        task = progress.add_task("demo", total=len(steps))
        for name, what, run in steps:
            progress.update(task, description=f"[bold]{what}")
            run()
            progress.advance(task)
    for problem in problems:
        console.print(f"[yellow]{problem}")
    print_summary(root, ASSIGNMENTS, console)
    paths = write_outputs(root, ASSIGNMENTS, console)
    console.print(f"\nCourse directory: {root}")
    console.print(f"Feedback pages:   {root / 'feedback'}/<student>/<assignment>/<assignment>.html")
    console.print(f"nbgrader grades:  {root / 'grades.csv'}")
    for label, path in paths.items():
        console.print(f"{label + ':':17} {path}")
    return 0


def write_outputs(root, assignments, console, out=None, db_url=None, allow_empty=True):
    """The class report (HTML, CSV) and the LMS exports; returns {label: path}. An empty class never
    replaces existing exports unless `allow_empty` (a lost or wrong gradebook would blank them)."""
    from . import exports, report
    out = Path(out) if out else root / "reports"
    rows = report.gather(root, assignments, db_url)
    if not rows and not allow_empty and any((out / name).exists() for name in ("canvas_grades.csv",
                                                                                "class_report.csv")):
        raise CourseError(f"the gradebook has no graded submission of {', '.join(assignments)}: the exports in "
                          f"{out} were left as they are (pass --allow-empty to overwrite them)")
    report.print_mistake_table(rows, console)
    from .discovery.section import discover, group_ids, summary_lines
    found = discover(root, list(rows))
    for line in summary_lines(found):
        console.print(f"Not yet in the catalogue: {line}", markup=False, highlight=False)
    paths = {"Class report": report.write_html(rows, out / "class_report.html", report.overrides(root, rows),
                                               formative_attempts(root, assignments), found),
             "Report CSV": report.write_csv(rows, out / "class_report.csv", group_ids(found)),
             "Canvas CSV": exports.canvas(root, assignments, out / "canvas_grades.csv", db_url)}
    n = sum(len(exports.gradescope(root, a, out / "gradescope", db_url)) for a in rows)
    paths["Gradescope JSON"] = f"{out / 'gradescope'}/<assignment>/<student>/results.json ({n} files)"
    return paths


def formative_attempts(root, assignments):
    """The instant-feedback attempts of the course (backprop-grader serve), [] when the service never ran."""
    from .service import config
    from .service.store import Store
    url = config.load(root).db_url
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        return []
    store = Store(url)
    try:
        return store.attempts(assignments)
    finally:
        store.close()


def _assignments(name):
    if name in (None, "all"):
        return ASSIGNMENTS
    if name not in ASSIGNMENTS:
        raise CourseError(f"unknown assignment {name!r}: choose one of {', '.join(ASSIGNMENTS)} or all")
    return (name,)


def _start(args, console, lock=True):
    """The course root, its settings validated and printed (one-line errors), and the course lock."""
    from . import settings
    from .course import CourseLock, find_root
    root = find_root(args.course)
    values = settings.load(root)
    console.print(f"[dim]{settings.header(values)}")
    if settings.uses_public_secret(values) and args.command != "demo":
        console.print("[bold red]warning: BACKPROP_COURSE_SECRET is not set: trials come from the PUBLIC default "
                      "secret, so anyone can compute them. Set it (or c.Backprop.course_secret) for a real class.")
    return root, (CourseLock(root) if lock else None)


def cmd_mistake_draft(args):
    """Print what adding a group of the report's "Not yet in the catalogue" to the catalogue takes."""
    from rich.console import Console
    from .discovery.draft import draft
    root, _ = _start(args, Console(stderr=True), lock=False)
    try:
        text, _ = draft(root, args.check, args.group, args.id, args.out)
    except KeyError as err:
        raise CourseError(err.args[0]) from None
    print(text, end="")
    return 0


def _isolation(args, console, kernels=True):
    """Print the run's isolation mode once; False (after a one-line error) when it cannot be set up
    and --allow-unisolated was not given."""
    from .isolation.mode import IsolationMissing, allow, require, summary
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
    from .isolation.mode import missing, summary
    if missing(kernels=kernels):
        console.print(summary(kernels=kernels), soft_wrap=True)


def cmd_report(args):
    from rich.console import Console
    from .course import gradebook_url
    from .summary import print_summary
    console = Console()
    root, _ = _start(args, console, lock=False)
    url = gradebook_url(root, args.db_url)
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        raise CourseError(f"no gradebook at {url[len('sqlite:///'):]}: run `nbgrader autograde` first")
    assignments = _assignments(args.assignment)
    if args.table:
        print_summary(root, assignments, console, args.db_url)
    paths = write_outputs(root, assignments, console, args.out, args.db_url, args.allow_empty)
    for label, path in paths.items():
        console.print(f"{label + ':':17} {path}")
    return 0


def cmd_verify(args):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.table import Table

    from .verify import students, undo, verify_assignment
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

    from . import parallel, settings
    from .evidence import check_writable, merge
    from .ledger import new_run_id
    console = Console()
    if not args.scheduler and not _isolation(args, console):   # (on Dask, each worker's machine decides)
        return 2
    if args.allow_unisolated:
        from .isolation.mode import allow
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
            todo, skipped = parallel.to_grade(root, assignment, args.force, args.student, args.db_url)
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


def cmd_serve(args):
    """The instant-feedback service (autograders/service): until Ctrl-C, or until the hub stops it."""
    from .course import find_root
    from .service import server
    root = find_root(args.course)
    service, prefix = server.build(root, args.auth)
    ip, port = server.address(args.ip, args.port)
    s = service.settings
    policies = ", ".join(f"{a}={s.policy_of(a)}" for a in ASSIGNMENTS)
    line = (f"backprop-grader serve: http://{ip}:{port}{prefix} (auth: {service.auth.kind} tokens; {policies}; "
            f"{s.attempts_per_hour} checks per student and function per hour; attempts in {_safe_url(s.db_url)})")
    server.serve(service, prefix, ip, port, ready=lambda _: print(line, flush=True))   # once listening
    return 0


def _safe_url(url):
    """A database URL without its password, for printing."""
    from sqlalchemy.engine import make_url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for display
        return url.split("@")[-1]


def cmd_feedback_token(args):
    """Issue (or revoke) a student's token for the feedback service when it runs without a hub."""
    from .course import find_root
    from .service import config
    from .service.store import Store
    root = find_root(args.course)
    store = Store(config.load(root).db_url)
    if args.revoke:
        print(f"revoked {store.revoke(args.student)} token(s) of {args.student}")
        return 0
    token = store.issue_token(args.student)
    print(f"{token}\n\nGive it to {args.student} to set in the environment of their Jupyter server, with the "
          "service's address:\n    BACKPROP_FEEDBACK_URL=http://<host>:<port>/  BACKPROP_FEEDBACK_TOKEN=<the token>\n"
          "Only its digest is stored: it cannot be shown again (issue a new one if it is lost).")
    return 0


def cmd_check_course(args):
    """Check the instructor notebooks after an edit: plain words per notebook, exit 1 on any problem."""
    from .course import find_root
    from .course_check import check_course
    return check_course(find_root(args.course), _assignments(args.assignment), validate=not args.static)


def _positive(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def build_parser():
    parser = argparse.ArgumentParser(
        prog="backprop-grader",
        description="Backpropagation exercises graded by nbgrader, with feedback keyed to chain-rule mistakes.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    p = sub.add_parser("demo", help="build a course, grade a simulated class end to end, print a summary",
                       description="Create a course directory, release the three assignments, write a simulated "
                                   "class into submitted/, run nbgrader autograde, generate_feedback and export, "
                                   "and print a table of scores and mistake ids.")
    p.add_argument("--dir", help="course directory to create (default: a new temporary directory)")
    p.add_argument("--students", type=int, default=30, help="size of the simulated class (default 30)")
    p.add_argument("--force", action="store_true", help="rebuild --dir if it already holds a demo course")
    p.add_argument("--jobs", "-j", type=_positive, default=2 * (os.cpu_count() or 1),
                   help="submissions autograded at once (default: 2 x CPUs)")
    p.set_defaults(run=cmd_demo)

    p = sub.add_parser("report", help="class mistake report (HTML, CSV), Gradescope and Canvas exports",
                       description="Read the gradebook and the diagnosis records of the autograded notebooks "
                                   "(nothing is re-run) and write: reports/class_report.html (one self-contained "
                                   "file: per check a chart of mistake frequencies, the messages, the students "
                                   "affected, the score distribution, and a per-student table), "
                                   "reports/class_report.csv (one row per student and check), "
                                   "reports/gradescope/<assignment>/<student>/results.json and "
                                   "reports/canvas_grades.csv.")
    p.add_argument("assignment", nargs="?", default="all",
                   help=f"one of {', '.join(ASSIGNMENTS)}, or all (default)")
    p.add_argument("--course", help="course directory (default: the nearest directory with nbgrader_config.py)")
    p.add_argument("--out", help="output directory (default: <course>/reports)")
    p.add_argument("--table", action="store_true", help="also print the students x checks table")
    p.add_argument("--db-url", help=DB_URL_HELP)
    p.add_argument("--allow-empty", action="store_true",
                   help="write the exports even when the gradebook has no graded submission (they would be empty)")
    p.set_defaults(run=cmd_report)

    p = sub.add_parser("mistake", help="turn a group of the report's 'Not yet in the catalogue' into a mistake")
    msub = p.add_subparsers(dest="action", metavar="ACTION")
    msub.required = True
    p = msub.add_parser("draft", help="print the knob line, Mistake(...) entry and fixture for a group",
                        description="For group GROUP (its number in the report, 1 = largest) of CHECK: print the "
                                    "knob line for the reference (when a candidate explanation was found), a "
                                    "Mistake(...) entry with what/why/fix to fill in, and write a fixture file "
                                    "from the representative's code, as the README's 'Adding a mistake' says.")
    p.add_argument("check", help="a check id, e.g. matrix_mlp.df_dW1")
    p.add_argument("group", type=_positive, help="the group's number in the report (matrix_mlp.df_dW1#1 -> 1)")
    p.add_argument("--id", default="new_mistake", help="the new mistake id (default new_mistake)")
    p.add_argument("--out", help="folder for the fixture (default tests/students/<exercise>/ or reports/drafts/)")
    p.add_argument("--course", help="course directory (default: the nearest directory with nbgrader_config.py)")
    p.set_defaults(run=cmd_mistake_draft)

    p = sub.add_parser("verify", help="re-grade submissions out of the kernel and flag disagreements",
                       description="Run each student's notebook code in a separate locked-down process (no "
                                   "course files, no network, CPU/memory limits), grade every function there on "
                                   "fresh secret trials, compare with the in-kernel score in the gradebook, and "
                                   "scan the code for tampering. Flags go to the terminal and to "
                                   "reports/verify/<assignment>.json. Under --policy verified (the default, or "
                                   "BACKPROP_VERIFY_POLICY) a verified score that differs replaces the in-kernel "
                                   "one as nbgrader's manual score. Run after `nbgrader autograde`.")
    p.add_argument("assignment", nargs="?", default="all", help="an assignment, or all (default)")
    p.add_argument("--course", help="course directory (default: the nearest directory with nbgrader_config.py)")
    p.add_argument("--policy", choices=("verified", "flag"), help="what to do with a disagreement")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.add_argument("--all", action="store_true", help="list every student, not only the flagged ones")
    p.add_argument("--strict", action="store_true", help="exit with status 1 when anything is flagged")
    p.add_argument("--allow-unisolated", action="store_true",
                   help="grade even where student code cannot be isolated (printed in red in every summary)")
    p.add_argument("--undo", action="store_true", help="take back every score verification wrote (the ledger): "
                                                       "the gradebook as nbgrader left it; a person's scores stay")
    p.add_argument("--db-url", help=DB_URL_HELP)
    p.set_defaults(run=cmd_verify)

    p = sub.add_parser("autograde", help="nbgrader autograde for the whole class in parallel, then verify",
                       description="Autograde every submission of an assignment with nbgrader's own API, several "
                                   "at a time (or on a Dask cluster with --scheduler), then verify each out of "
                                   "the kernel. Gives the gradebook sequential `nbgrader autograde` gives. "
                                   "Resumable: submissions already graded (unchanged since) are skipped unless "
                                   "--force. Exit status 1 when a submission could not be graded.")
    p.add_argument("assignment", nargs="?", default="all", help="an assignment, or all (default)")
    p.add_argument("--course", help="course directory (default: the nearest directory with nbgrader_config.py)")
    p.add_argument("--jobs", "-j", type=_positive, default=2 * (os.cpu_count() or 1),
                   help="submissions graded at once on this machine (default: 2 x CPUs: kernels wait on I/O)")
    p.add_argument("--scheduler", help="address of a Dask distributed scheduler (tcp://host:8786); the workers "
                                       "must see the course directory at the same path")
    p.add_argument("--db-url", help=DB_URL_HELP)
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.add_argument("--force", action="store_true", help="regrade submissions that are already graded")
    p.add_argument("--allow-unisolated", action="store_true",
                   help="grade even where student code cannot be isolated (printed in red in every summary)")
    p.add_argument("--no-verify", action="store_true", help="skip the out-of-kernel verification")
    p.set_defaults(run=cmd_autograde)

    p = sub.add_parser("serve", help="instant feedback while students work (a JupyterHub service, or local)",
                       description="Run the formative feedback service: students' self-checks ask it for practice "
                                   "inputs, run their own function on them in their own kernel and send back the "
                                   "outputs; the service answers with the autograder's message (or only correct / "
                                   "not yet, or nothing: c.FeedbackService.policy per assignment) and records every "
                                   "attempt for the class report. Started by the hub (--auth hub, see "
                                   "autograders/service/hub.py), or locally with tokens from `feedback-token`.")
    p.add_argument("--course", help="course directory (default: the nearest directory with nbgrader_config.py)")
    p.add_argument("--ip", help="address to listen on (default: from JUPYTERHUB_SERVICE_URL, else 127.0.0.1)")
    p.add_argument("--port", type=_positive, help="port (default: from JUPYTERHUB_SERVICE_URL, else 10101)")
    p.add_argument("--auth", choices=("auto", "hub", "local"), default="auto",
                   help="who may ask: students' JupyterHub tokens (hub), tokens from feedback-token (local), or hub "
                        "when the hub started the service (auto, the default)")
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("feedback-token", help="issue a student's token for the feedback service (without a hub)",
                       description="Print a new token for STUDENT; their self-checks send it to `backprop-grader "
                                   "serve --auth local` (BACKPROP_FEEDBACK_TOKEN). Only its digest is stored.")
    p.add_argument("student")
    p.add_argument("--course", help="course directory (default: the nearest directory with nbgrader_config.py)")
    p.add_argument("--revoke", action="store_true", help="revoke every token of STUDENT instead")
    p.set_defaults(run=cmd_feedback_token)

    p = sub.add_parser("check-course", help="check the instructor notebooks after editing them in JupyterLab",
                       description="For each source/<assignment>/<assignment>.ipynb: every graded function has its "
                                   "solution cell, self-check and hidden test; every hidden test calls check() with "
                                   "a check id that exists and the cell's points; hidden code sits between the "
                                   "HIDDEN TESTS markers; given code cells are read-only; the story's diagram is an "
                                   "attached picture with alt text; `nbgrader validate` of a copy gives the "
                                   "solutions full marks. Exit status 1 when anything needs fixing.")
    p.add_argument("assignment", nargs="?", default="all", help="an assignment, or all (default)")
    p.add_argument("--course", help="course directory (default: the nearest directory with nbgrader_config.py)")
    p.add_argument("--static", action="store_true", help="skip `nbgrader validate` (which runs the notebook)")
    p.set_defaults(run=cmd_check_course)
    return parser


def _skip_iri_format_checker():
    """jsonschema imports rfc3987-syntax when it is installed (Jupyter's packages pull it in), and that
    builds a Lark grammar as it is imported: ~2 s of CPU for every command here (as much as grading five
    submissions), only to check the 'iri' string format, which no notebook or nbgrader schema uses.
    Without it jsonschema simply has no 'iri' checker; every verdict on a notebook is the same."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)     # `import rfc3987_syntax` now raises ImportError


def main(argv=None):
    _skip_iri_format_checker()
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except CourseError as err:
        print(f"backprop-grader: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("backprop-grader: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
