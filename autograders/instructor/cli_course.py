"""The commands around grading: `demo`, `report`, `mistake draft`, `serve`, `feedback-token`, `check-course`."""
import os
import tempfile
from pathlib import Path

from ..engine.course import ASSIGNMENTS, CourseError
from .cli_grading import _assignments, _start


DEMO_SECRET = {"BACKPROP_COURSE_SECRET": "demo-course-secret"}


def cmd_demo(args):
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from . import demo
    from ..engine.course import nbgrader
    from .summary import print_summary

    from ..engine import settings
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
        from . import markers, parallel
        from ..integrity.evidence import merge
        students, _ = markers.to_grade(root, a, force=True)
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
    from .discovery_section import discover, group_ids, summary_lines
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


def cmd_mistake_draft(args):
    """Print what adding a group of the report's "Not yet in the catalogue" to the catalogue takes."""
    from rich.console import Console
    from .mistake_draft import draft
    root, _ = _start(args, Console(stderr=True), lock=False)
    try:
        text, _ = draft(root, args.check, args.group, args.id, args.out)
    except KeyError as err:
        raise CourseError(err.args[0]) from None
    print(text, end="")
    return 0


def cmd_report(args):
    from rich.console import Console
    from ..engine.course import gradebook_url
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


def cmd_serve(args):
    """The instant-feedback service (autograders/service): until Ctrl-C, or until the hub stops it."""
    from ..engine.course import find_root
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
    from ..engine.course import find_root
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
    from ..engine.course import find_root
    from .course_check import check_course
    return check_course(find_root(args.course), _assignments(args.assignment), validate=not args.static)
