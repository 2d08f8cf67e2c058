"""The service's settings, as nbgrader-style options (`c.FeedbackService.policy = {...}` in the course's
nbgrader_config.py), each overridable from the environment (BACKPROP_FEEDBACK_*)."""
import os
from dataclasses import dataclass, field

from traitlets import Dict, Enum, Float, Integer, Unicode
from traitlets.config import Configurable

from ...engine.course import CourseError, gradebook_url

#: What the service may tell, per assignment: nothing (the notebook falls back to finite
#: differences), only "correct" or "not correct yet", or the named mistake with why and what to try.
POLICIES = ("off", "correct", "mistake")
ALIASES = {"correct/not yet": "correct", "correct-or-not": "correct", "named": "mistake", "on": "mistake"}


class FeedbackService(Configurable):
    """Instant formative feedback while students work (`backprop-grader serve`)."""
    policy = Dict(help="Per assignment, what instant feedback may tell: 'off', 'correct' (correct / not yet) "
                  "or 'mistake' (the named mistake, why, one thing to try). E.g. {'scalar_chain': 'correct'}. "
                  "Env BACKPROP_FEEDBACK_POLICY='scalar_chain=correct,multi_path=off'.").tag(config=True)
    default_policy = Enum(POLICIES + tuple(ALIASES), "mistake", help="The policy of an assignment not in "
                          "`policy` (env BACKPROP_FEEDBACK_DEFAULT_POLICY).").tag(config=True)
    attempts_per_hour = Integer(30, help="Instant checks one student may ask for one function in any hour "
                                "(env BACKPROP_FEEDBACK_ATTEMPTS_PER_HOUR).").tag(config=True)
    db_url = Unicode("", help="Where attempts are recorded: default the course's PostgreSQL when nbgrader's "
                     "gradebook is one, else sqlite feedback.db in the course (env BACKPROP_FEEDBACK_DB_URL)."
                     ).tag(config=True)
    formative_secret = Unicode("", help="Secret of the formative trials; default: made at random once and kept "
                               "in the store. Never the course secret (env BACKPROP_FEEDBACK_SECRET)."
                               ).tag(config=True)
    trial_seconds = Float(600.0, help="Seconds an issued set of trial inputs stays valid.").tag(config=True)
    max_body_bytes = Integer(256 * 1024, help="Largest request body accepted (bytes).").tag(config=True)
    workers = Integer(2, help="Worker processes that draw inputs and judge answers (0: in the server's own "
                      "process). Env BACKPROP_FEEDBACK_WORKERS.").tag(config=True)
    inputs_ahead = Integer(16, help="Practice inputs per function drawn ahead while the workers are idle, so that "
                           "a class asking at once gets them at once (0: drawn on each request; needs workers)."
                           ).tag(config=True)


@dataclass
class Settings:
    policy: dict = field(default_factory=dict)
    default_policy: str = "mistake"
    attempts_per_hour: int = 30
    db_url: str = ""
    formative_secret: str = ""
    trial_seconds: float = 600.0
    max_body_bytes: int = 256 * 1024
    workers: int = 2
    inputs_ahead: int = 16

    def policy_of(self, assignment):
        return self.policy.get(assignment, self.default_policy)


def _policy(value, where):
    value = ALIASES.get(str(value).strip(), str(value).strip())
    if value not in POLICIES:
        raise CourseError(f"{where} = {value!r} is not a policy: use off, correct or mistake")
    return value


def _int(value, where, low):
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or number < low:
        raise CourseError(f"{where} = {value!r} is not valid: use a whole number >= {low}")
    return number


def load(root=None, environ=None):
    """Settings from the environment, then c.FeedbackService of the course's nbgrader_config.py, then the
    defaults; CourseError (one line) for a bad value."""
    environ = os.environ if environ is None else environ
    config = None
    if root is not None and os.path.isfile(os.path.join(str(root), "nbgrader_config.py")):
        from ...engine.course import course_config
        config = course_config(root)
    try:
        c = FeedbackService(config=config) if config is not None else FeedbackService()
    except Exception as err:                          # traitlets' TraitError for a mistyped value
        raise CourseError(f"nbgrader_config.py: c.FeedbackService: {str(err).splitlines()[0]}") from None
    s = Settings({a: _policy(p, f"c.FeedbackService.policy[{a!r}]") for a, p in c.policy.items()},
                 _policy(c.default_policy, "c.FeedbackService.default_policy"),
                 _int(c.attempts_per_hour, "c.FeedbackService.attempts_per_hour", 1), c.db_url,
                 c.formative_secret, float(c.trial_seconds), _int(c.max_body_bytes, "c.FeedbackService.max_body_bytes",
                                                                  4096),
                 _int(c.workers, "c.FeedbackService.workers", 0),
                 _int(c.inputs_ahead, "c.FeedbackService.inputs_ahead", 0))
    if environ.get("BACKPROP_FEEDBACK_POLICY"):
        for part in environ["BACKPROP_FEEDBACK_POLICY"].split(","):
            assignment, _, policy = part.partition("=")
            s.policy[assignment.strip()] = _policy(policy, f"BACKPROP_FEEDBACK_POLICY {assignment.strip()}")
    if environ.get("BACKPROP_FEEDBACK_DEFAULT_POLICY"):
        s.default_policy = _policy(environ["BACKPROP_FEEDBACK_DEFAULT_POLICY"], "BACKPROP_FEEDBACK_DEFAULT_POLICY")
    if environ.get("BACKPROP_FEEDBACK_ATTEMPTS_PER_HOUR"):
        s.attempts_per_hour = _int(environ["BACKPROP_FEEDBACK_ATTEMPTS_PER_HOUR"],
                                   "BACKPROP_FEEDBACK_ATTEMPTS_PER_HOUR", 1)
    if environ.get("BACKPROP_FEEDBACK_WORKERS"):
        s.workers = _int(environ["BACKPROP_FEEDBACK_WORKERS"], "BACKPROP_FEEDBACK_WORKERS", 0)
    s.db_url = environ.get("BACKPROP_FEEDBACK_DB_URL") or s.db_url
    s.formative_secret = environ.get("BACKPROP_FEEDBACK_SECRET") or s.formative_secret
    if not s.db_url:
        from .store import default_url
        s.db_url = default_url(root or os.getcwd(), gradebook_url(root) if root else None)
    from ...engine import settings as grading
    if s.formative_secret and s.formative_secret == grading.course_secret():
        raise CourseError("the formative secret must differ from the course secret (the graded trials' seed)")
    return s
