"""Grading one submission in a worker: nbgrader's own autograde, then verification, then the marker.

Each submission is graded by nbgrader's API (`NbGraderAPI.autograde`, the code path of
`nbgrader autograde --student`), so the grading rules, the gradebook rows and the autograded
notebooks are nbgrader's. A worker imports nbgrader once and keeps one SQLAlchemy engine per
database; a database that does not answer is retried (DB_RETRY_DELAYS); what nbgrader cannot grade
is reported with its own error and its log kept in logs/autograde/<assignment>/<student>.log.
"""
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..engine.course import course_config, gradebook_url
from ..integrity.ledger import submission_hash
from .markers import marker, write_marker

DB_RETRY_DELAYS = (1, 2, 4, 8)   # seconds between tries while the gradebook's database does not answer


@dataclass
class Outcome:
    student: str
    status: str              # "graded", "failed", "skipped"
    seconds: float = 0.0
    message: str = ""
    flags: list = field(default_factory=list)
    evidence: dict = None    # verify.StudentResult as a dict, merged into reports/verify/<assignment>.json


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
    from ..engine import settings
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
    from ..engine import settings
    from ..integrity.ledger import Ledger
    from ..integrity.verify import apply_policy, verify_student
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
    from ..integrity.ledger import Ledger
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
