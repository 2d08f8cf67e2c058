"""`backprop-grader autograde`: nbgrader autograde for a whole class, many submissions at a time.

Each submission is graded by nbgrader's own API (`NbGraderAPI.autograde`, the code
path of `nbgrader autograde --student`), so the grading rules, the gradebook rows and
the autograded notebooks are nbgrader's. What is ours:

* submissions are spread over worker processes (a local pool that charges a worker's death
  to the one submission it held, pool.py, or the workers of a Dask distributed cluster with
  `--scheduler`), each importing nbgrader once;
* kernels start by forking a pre-imported template process (kernel.py), so a
  submission costs about its own execution time, never reusing a kernel;
* a submission is done when its marker file (the hash of what was graded) is written
  after nbgrader succeeded: a rerun skips those, redoes the rest, and `--force` redoes
  everything;
* after grading, each submission is verified out of the kernel (verify.py).
"""
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from .course import CourseError, course_config, gradebook_url, write_atomic

MARKER = ".backprop-autograded"
RETRIES = 2          # Dask: a submission whose task raised is tried this many more times, then reported
DB_RETRY_DELAYS = (1, 2, 4, 8)   # seconds between tries while the gradebook's database does not answer
#: The wall clock of one submission (nbgrader's run, then verification), locally and on Dask.
SUBMISSION_SECONDS = float(os.environ.get("BACKPROP_SUBMISSION_SECONDS", "900"))


@dataclass
class Outcome:
    student: str
    status: str              # "graded", "failed", "skipped"
    seconds: float = 0.0
    message: str = ""
    flags: list = field(default_factory=list)
    evidence: dict = None    # verify.StudentResult as a dict, merged into reports/verify/<assignment>.json


def submission_hash(root, assignment, student):
    """A hash of every file of the submission: the marker is valid only for what was graded."""
    folder = Path(root) / "submitted" / student / assignment
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def marker(root, assignment, student):
    return Path(root) / "autograded" / student / assignment / MARKER


def write_marker(root, assignment, student, digest, submission_id):
    """What was graded, into which gradebook row, under which settings; written atomically."""
    from . import settings
    write_atomic(marker(root, assignment, student), json.dumps(
        {"submission": digest, "gradebook_submission": submission_id, "settings": settings.fingerprint()}) + "\n")


def read_marker(root, assignment, student):
    """The marker as a dict; {} when missing, unreadable, or of another format (then the submission is redone)."""
    try:
        data = json.loads(marker(root, assignment, student).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_done(root, assignment, student, gb=None):
    """A marker speeds things up only when it agrees with the gradebook: the same submission, graded into
    the row the gradebook holds now, with every autograded score present, under the same settings, and
    the autograded notebook still there."""
    from . import settings
    m = read_marker(root, assignment, student)
    if not m or m.get("submission") != submission_hash(root, assignment, student) \
            or m.get("settings") != settings.fingerprint():
        return False
    if not (Path(root) / "autograded" / student / assignment / f"{assignment}.ipynb").is_file():
        return False
    if gb is None:
        return True
    from nbgrader.api import MissingEntry
    try:
        sub = gb.find_submission(assignment, student)
        notebooks = list(sub.notebooks)
    except MissingEntry:
        return False
    return sub.id == m.get("gradebook_submission") and all(
        g.auto_score is not None for nb in notebooks for g in nb.grades if g.cell.cell_type == "code")


_APIS = {}


class _SchemaCheckedOnce:
    """`jsonschema` as nbgrader's metadata validator uses it, minus one waste: jsonschema.validate()
    re-checks the schema itself for every cell (~70 ms per notebook); here each schema is checked once.
    Same verdicts, same ValidationError."""

    def __init__(self, jsonschema):
        self._jsonschema, self._validators = jsonschema, {}

    def validate(self, instance, schema):
        key = id(schema)
        if key not in self._validators:
            cls = self._jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            self._validators[key] = (schema, cls(schema))      # the schema kept alive: its id stays its own
        error = self._jsonschema.exceptions.best_match(self._validators[key][1].iter_errors(instance))
        if error is not None:                                       # as jsonschema.validate reports it
            raise error

    def __getattr__(self, name):
        return getattr(self._jsonschema, name)


def _wrap_once(module, name, shim):
    """Replace module.name by shim(module.name), once per process."""
    if not isinstance(getattr(module, name), shim):
        setattr(module, name, shim(getattr(module, name)))


class _OneEnginePerDatabase:
    """`create_engine` as nbgrader's Gradebook calls it, minus one waste: every Gradebook (five per
    submission) made a new SQLAlchemy engine, so every SQL statement was compiled again (~20% of a
    worker's CPU). Here a worker keeps one engine per database: Gradebook.close() still disposes of
    its connections (the next Gradebook connects afresh, after a database restart too), and the
    compiled statements stay cached."""

    def __init__(self, create_engine):
        self._create_engine, self._engines = create_engine, {}

    def __call__(self, url, **kwargs):
        key = (str(url), tuple(sorted(kwargs.items())))
        if key not in self._engines:
            self._engines[key] = self._create_engine(url, **kwargs)
        return self._engines[key]


class DatabaseUnavailable(Exception):
    """The gradebook's database did not answer (server down or restarting, sqlite locked)."""


def grade_one(root, assignment, student, db_url=None, env=None, verify=True):
    """Autograde (and verify) one submission in this process; returns an Outcome. Runs in a worker.

    While the gradebook's database does not answer, the whole submission is tried again after
    DB_RETRY_DELAYS (nbgrader's autograde --force and the verification both redo cleanly); if it
    still does not answer, the submission is reported failed, never dropped."""
    start = time.perf_counter()
    import warnings
    warnings.filterwarnings("ignore", module="nbgrader.api")      # SQLAlchemy noise on a broken submission
    os.environ.update(env or {})
    os.environ.setdefault("BACKPROP_FORK_KERNELS", "1")
    os.environ["PATH"] = os.pathsep.join([str(Path(os.sys.executable).parent), os.environ.get("PATH", "")])
    from . import settings
    settings.apply(settings.resolve(os.environ))       # the run's settings, as passed (a Dask worker's too)
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from nbgrader import api as nbgrader_api
    from nbgrader.nbgraderformat import common
    _wrap_once(common, "jsonschema", _SchemaCheckedOnce)
    _wrap_once(nbgrader_api, "create_engine", _OneEnginePerDatabase)
    key = (str(root), db_url)
    if key not in _APIS:
        config = course_config(root, db_url)
        _APIS[key] = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    digest = submission_hash(root, assignment, student)
    for delay in (*DB_RETRY_DELAYS, None):
        try:
            status, message, flags, evidence = _attempt(_APIS[key], root, assignment, student, db_url, verify,
                                                        digest)
            break
        except DatabaseUnavailable as err:
            if delay is None:
                return Outcome(student, "failed", time.perf_counter() - start,
                               f"the gradebook database did not answer for {sum(DB_RETRY_DELAYS)} s ({err}); "
                               "not graded: run the command again once it is back")
            time.sleep(delay)
    if status == "graded":
        failure_log(root, assignment, student).unlink(missing_ok=True)     # an earlier failure's log
    return Outcome(student, status, time.perf_counter() - start, message, flags, evidence)


def _attempt(api, root, assignment, student, db_url, verify, digest=""):
    """One try: (status, message, flags, evidence); DatabaseUnavailable if the gradebook did not answer.

    A submission nbgrader could not grade has its old scores cleared and marked for manual grading
    (ledger.mark_failed); a graded one is reconciled with the ledger (verified, or stale overrides undone)
    and gets its marker."""
    from dataclasses import asdict
    from sqlalchemy.exc import OperationalError, PendingRollbackError
    from nbgrader.api import Gradebook
    from . import settings
    from .ledger import Ledger
    from .verify import apply_policy, verify_student
    marker(root, assignment, student).unlink(missing_ok=True)
    result = api.autograde(assignment, student, force=True, create=True)
    try:
        with Gradebook(gradebook_url(root, db_url)) as gb:
            ledger = Ledger(root, assignment, student)
            if not result.get("success"):
                if any(f"sqlalchemy.exc.{e}" in (result.get("error") or "") + (result.get("log") or "")
                       for e in ("OperationalError", "PendingRollbackError")):
                    raise DatabaseUnavailable(_reason(result))
                why = f"{_reason(result)} (nbgrader's log: {_save_log(root, assignment, student, result)})"
                ledger.mark_failed(gb, _reason(result), digest)
                ledger.save()
                gb.db.commit()
                return "failed", why, [], None
            ledger.graded()
            if not verify:
                ledger.stale(gb, digest)
                ledger.save()
                gb.db.commit()
                flags, evidence = [], None
            else:
                checked = verify_student(root, assignment, student, gb, os.environ.get("BACKPROP_RUN", ""))
                ledger.save()
                apply_policy(gb, checked, settings.VERIFY_POLICY, root, digest)
                flags, evidence = checked.flags + checked.overrides, asdict(checked)
            write_marker(root, assignment, student, digest, gb.find_submission(assignment, student).id)
    except (OperationalError, PendingRollbackError) as err:   # the server went away (mid-transaction)
        raise DatabaseUnavailable(str(getattr(err, "orig", None) or err).strip().splitlines()[0][:200]) from err
    return "graded", "", flags, evidence


def charge_failure(root, assignment, student, db_url, reason):
    """A submission whose worker died while grading it: as for any failed regrade, its old scores are
    cleared and marked for manual grading (ledger.mark_failed). Returns the reason to report."""
    from nbgrader.api import Gradebook
    from .ledger import Ledger
    try:
        with Gradebook(gradebook_url(root, db_url)) as gb:
            ledger = Ledger(root, assignment, student)
            ledger.mark_failed(gb, reason, submission_hash(root, assignment, student))
            ledger.save()
            gb.db.commit()
    except Exception as err:                          # noqa: BLE001 - the failure is still reported
        return f"{reason} (its old scores could not be cleared: {type(err).__name__}: {err})"[:400]
    return reason


def failure_log(root, assignment, student):
    return Path(root) / "logs" / "autograde" / assignment / f"{student}.log"


def _save_log(root, assignment, student, result):
    """nbgrader's whole log of a failed submission (it deletes the autograded folder), for the instructor."""
    path = failure_log(root, assignment, student)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((result.get("log") or "") + "\n" + (result.get("error") or ""))
    return path.relative_to(root)


_ERROR_LINE = re.compile(r"^\s*(?:[\w]+\.)*(\w+(?:Error|Exception|Exit|Interrupt)): (.+)$")


def _reason(result):
    """The most specific error nbgrader logged (e.g. 'CellTimeoutError: A cell timed out ...'), not its
    closing 'see the above traceback'."""
    text = (result.get("error") or "") + "\n" + (result.get("log") or "")
    errors = [m.groups() for m in map(_ERROR_LINE.match, text.splitlines()) if m]
    errors = [f"{name}: {msg.strip()}" for name, msg in errors if name != "NbGraderException"]
    if errors:
        return errors[-1][:300]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return (lines or ["nbgrader failed without a message"])[-1][:300]


def to_grade(root, assignment, force=False, only=None, db_url=None):
    """(students to grade, students skipped because already graded, as the gradebook says)."""
    from nbgrader.api import Gradebook
    folder = Path(root) / "submitted"
    everyone = sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir()) if folder.is_dir() else []
    everyone = [s for s in everyone if not only or s in only]
    if force:
        return everyone, []
    with Gradebook(gradebook_url(root, db_url)) as gb:
        todo = [s for s in everyone if not is_done(root, assignment, s, gb)]
    return todo, [s for s in everyone if s not in todo]


def _warm(root):
    """Start a worker's kernel fork server before the first submission reaches it."""
    from .kernel import ForkServer
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
    from . import verify as _verify  # noqa: F401
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
        message = (f"{death.reason}; not graded" if death.timed_out else
                   f"{death.reason}; tried again alone, it died again: not graded (its code may kill or "
                   "exhaust the grader)")
        done(Outcome(death.task, "failed", message=charge_failure(root, assignment, death.task, db_url, message)))

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


def _start_worker(root):
    """A worker's first steps: its own process group (Ctrl-C is the command's), its kernel fork server."""
    from .interrupts import worker_init
    worker_init()
    _warm(root)


def run_dask(root, assignment, students, scheduler, db_url=None, env=None, verify=True, report=None):
    """Grade on a Dask distributed cluster.

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
        return client.submit(grade_one, str(root), assignment, s, db_url, env, verify, pure=False,
                             retries=RETRIES, key=f"autograde-{assignment}-{s}-{time.time_ns()}")

    def settle(s, future, alone):
        try:
            outcome = future.result()
        except KilledWorker as err:
            if not alone:
                suspects.append(s)
                return
            message = f"the Dask worker grading it died, and again when it was tried alone: not graded ({err})"
            outcome = Outcome(s, "failed", message=charge_failure(root, assignment, s, db_url, message[:300]))
        except Exception as err:                      # noqa: BLE001 - reported, never dropped
            outcome = Outcome(s, "failed", message=f"{type(err).__name__}: {err}"[:300])
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
