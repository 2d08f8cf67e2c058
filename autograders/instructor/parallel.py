"""`backprop-grader autograde`: nbgrader autograde for a whole class, many submissions at a time.

Each submission is graded by nbgrader's own API in a worker (worker.py), so the grading
rules, the gradebook rows and the autograded notebooks are nbgrader's. What is ours:

* submissions are spread over worker processes (a local pool that charges a worker's death
  to the one submission it held, pool.py, or the workers of a Dask distributed cluster with
  `--scheduler`, each thread grading in a process of its own, pool.Solo), each importing nbgrader
  once; a submission holds its process for at most SUBMISSION_SECONDS, locally and on Dask;
* kernels start by forking a pre-imported template process (kernel.py), so a
  submission costs about its own execution time, never reusing a kernel;
* a submission is done when its marker file (the hash of what was graded) is written
  after nbgrader succeeded (markers.py): a rerun skips those, redoes the rest, and
  `--force` redoes everything;
* after grading, each submission is verified out of the kernel (verify.py).
"""
import os
import time
from pathlib import Path

from ..engine.course import CourseError, gradebook_url
from .worker import Outcome, charge_failure, grade_one

RETRIES = 2          # Dask: a submission whose task raised is tried this many more times, then reported
#: The wall clock of one submission (nbgrader's run, then verification), locally and on Dask.
SUBMISSION_SECONDS = float(os.environ.get("BACKPROP_SUBMISSION_SECONDS", "900"))


def _warm(root):
    """Start a worker's kernel fork server before the first submission reaches it."""
    from ..integrity.kernel_fork import ForkServer
    (Path(root) / "autograded").mkdir(exist_ok=True)
    ForkServer.get(str(Path(root) / "autograded"))
    return os.getpid()


def run_local(root, assignment, students, jobs, db_url=None, env=None, verify=True, report=None):
    """Grade `students` on a local pool of `jobs` workers, each holding one submission at a time
    (pool.py): a worker's death is charged to the submission it was grading, never to the others.

    Workers are forked from this process after nbgrader is imported here (importing it costs
    ~3 s of CPU: paid once, not once per worker).
    """
    import nbgrader.apps.api  # noqa: F401  (inherited by the forked workers)
    from ..integrity import verify as _verify  # noqa: F401  (imported once, before the fork)
    from .interrupts import Interrupts
    from .pool import run
    os.environ.update(env or {})
    os.environ.setdefault("BACKPROP_FORK_KERNELS", "1")
    outcomes = {}

    def done(outcome):
        outcomes[outcome.student] = outcome
        report and report(outcome)

    def on_result(student, ok, value):
        done(value if ok else Outcome(student, "failed", message=value))      # an exception of ours: reported

    def on_death(death):
        done(charged(root, assignment, db_url, death))

    interrupts = Interrupts().install()     # Ctrl-C: no new work, in-flight finishes; again: stop at once
    try:
        run(grade_one, students, jobs, lambda s: (str(root), assignment, s, db_url, env, verify),
            on_result, on_death, init=_start_worker, init_args=(str(root),), stopping=lambda: interrupts.stopping,
            wall_clock=SUBMISSION_SECONDS)
    finally:
        if not interrupts.stopping:         # after a first Ctrl-C, a second one still ends the command at once
            interrupts.restore()
    if interrupts.stopping:
        raise KeyboardInterrupt(f"{len(outcomes)} of {len(students)} submissions done")
    return [outcomes[s] for s in students]


def charged(root, assignment, db_url, death):
    """The failed Outcome of a submission whose worker died twice (pool.Death), or outlived its wall clock,
    charged to it in the gradebook record (worker.charge_failure)."""
    message = (f"{death.reason}; not graded" if death.timed_out else
               f"{death.reason}; tried again alone, it died again: not graded (its code may kill or "
               "exhaust the grader)")
    return Outcome(death.task, "failed", message=charge_failure(root, assignment, death.task, db_url, message))


def _start_worker(root):
    """A worker's first steps: its own process group (Ctrl-C is the command's), its kernel fork server."""
    from .interrupts import worker_init
    worker_init()
    _warm(root)


def grade_walled(root, assignment, student, db_url=None, env=None, verify=True, wall_clock=None):
    """A Dask task: grade_one in this worker thread's own grading process (pool.own_worker), for at most
    `wall_clock` seconds. Returns its Outcome, or a pool.Death if that process died while grading it or
    outlived the wall clock (then it is killed, kernels included, and the thread is free); raises what
    grade_one raised (Dask retries it)."""
    from .pool import Death, TaskError, own_worker
    solo = own_worker(_warm, (str(root),))
    answer = solo.call(grade_one, (root, assignment, student, db_url, env, verify), student, wall_clock)
    if isinstance(answer, Death):
        return answer
    kind, value = answer
    if kind == "error":
        raise TaskError(value)
    return value


def run_dask(root, assignment, students, scheduler, db_url=None, env=None, verify=True, report=None):
    """Grade on a Dask distributed cluster.

    Each Dask worker thread grades in a process of its own (pool.Solo): a submission that holds it longer
    than SUBMISSION_SECONDS is stopped there with its kernels, reported failed and not tried again; one
    whose grading process dies is tried again alone after the class, as in the local pool.

    Dask reschedules the tasks of a worker that dies, and after `allowed-failures` deaths it gives up
    on every task that was on a dying worker each time (KilledWorker), the innocent ones included. So
    a KilledWorker is not a verdict here: once the rest of the class is done, such submissions are
    tried again one at a time, with nothing else in flight; only one whose worker dies again then is
    reported failed.
    """
    try:
        from distributed import Client, as_completed as dask_completed
        from distributed.scheduler import KilledWorker
    except ImportError as err:
        raise CourseError("--scheduler needs Dask distributed: pip install 'backprop-exercises[cluster]'") from err
    outcomes, suspects = {}, []

    def submit(client, s):
        return client.submit(grade_walled, str(root), assignment, s, db_url, env, verify, SUBMISSION_SECONDS,
                             pure=False, retries=RETRIES, key=f"autograde-{assignment}-{s}-{time.time_ns()}")

    def settle(s, future, alone):
        from .pool import Death, TaskError
        try:
            outcome = future.result()
            if isinstance(outcome, Death) and not outcome.timed_out and not alone:
                suspects.append(s)              # its grading process died: tried again alone, after the class
                return
            if isinstance(outcome, Death):
                outcome = charged(root, assignment, db_url, outcome)
        except KilledWorker as err:
            if not alone:
                suspects.append(s)
                return
            message = f"the Dask worker grading it died, and again when it was tried alone: not graded ({err})"
            outcome = Outcome(s, "failed", message=charge_failure(root, assignment, s, db_url, message[:300]))
        except Exception as err:                      # noqa: BLE001 - reported, never dropped
            text = str(err) if isinstance(err, TaskError) else f"{type(err).__name__}: {err}"
            outcome = Outcome(s, "failed", message=text[:300])
        outcomes[s] = outcome
        report and report(outcome)

    with Client(scheduler, timeout="30s") as client:
        futures = {submit(client, s): s for s in students}
        for future in dask_completed(futures):
            settle(futures[future], future, alone=False)
        for s in suspects:
            settle(s, submit(client, s), alone=True)
    return [outcomes[s] for s in students]


def prepare(root, assignment, db_url=None):
    """Make sure the gradebook knows the assignment (as `nbgrader autograde` does before grading)."""
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(gradebook_url(root, db_url)) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            raise CourseError(f"{assignment} is not in the gradebook: run `nbgrader generate_assignment "
                              f"{assignment}` first") from None


def gradebook_snapshot(db_url, assignment):
    """What nbgrader autograde decided, per student and cell (scores, max scores, comments), for comparisons."""
    from nbgrader.api import Gradebook
    rows = {}
    with Gradebook(db_url) as gb:
        for sub in gb.find_assignment(assignment).submissions:
            for nb in sub.notebooks:
                for g in nb.grades:
                    rows[(sub.student_id, nb.name, "grade", g.name)] = (g.auto_score, g.max_score,
                                                                        g.needs_manual_grade)
                for c in nb.comments:
                    rows[(sub.student_id, nb.name, "comment", c.name)] = c.auto_comment
            rows[(sub.student_id, "total")] = (sub.score, sub.max_score)
    return rows


def autograded_outputs(root, assignment):
    """Every autograded notebook's cell outputs per student, for comparisons: without timing metadata,
    adjacent stream chunks joined (how a kernel splits a long print into messages depends on timing)."""
    import nbformat
    found = {}
    for path in sorted(Path(root).glob(f"autograded/*/{assignment}/{assignment}.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        found[path.parts[-3]] = [_coalesced(c.get("outputs", [])) for c in nb.cells]
    return found


def _coalesced(outs):
    merged = []
    for o in outs:
        o = {k: v for k, v in o.items() if k not in ("metadata", "execution_count")}
        if merged and o.get("output_type") == "stream" and merged[-1].get("output_type") == "stream" \
                and merged[-1].get("name") == o.get("name"):
            merged[-1] = dict(merged[-1], text=merged[-1]["text"] + o["text"])
        else:
            merged.append(o)
    return merged
