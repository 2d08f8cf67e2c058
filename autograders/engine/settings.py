"""Grading settings: each one named, documented, validated, and resolved once per run.

Where they come from, first found wins: the environment (BACKPROP_*), then
`c.Backprop.<name>` in the course's nbgrader_config.py, then the default here.
`backprop-grader` resolves them once at start-up (`load`: one-line errors), prints
them in the run's header and passes them explicitly, with the course secret, to
kernels, verification and Dask workers (`as_env`, `apply`). Modules read the
values as attributes of this module (settings.TOLERANCE); at import they are
read leniently from the environment (a kernel of plain `nbgrader autograde`),
keeping the default for a value that does not parse (`PROBLEMS` says which).
"""
import hashlib
import os

from traitlets import Enum, Float, Integer, Unicode
from traitlets.config import Configurable

from .course import CourseError

#: Secret mixed into every trial seed, so trials cannot be predicted. The default is public,
#: for local practice only: set BACKPROP_COURSE_SECRET when grading a real class.
DEFAULT_COURSE_SECRET = "local-practice-secret"

#: A trial is redrawn while any catalogued mistake comes closer than this to the reference.
SEPARATION = 1e-2
#: A diagnosis must beat the runner-up by this factor of TOLERANCE, else more trials are drawn.
CLEAR_FACTOR = 100.0
#: Random trials per check, and the most that ambiguity may add up to.
TRIALS = 3
MAX_TRIALS = 8


class SettingsError(CourseError):
    """A setting that does not parse or is out of range: one line, exit 2."""


class Backprop(Configurable):
    """The course's grading settings, as nbgrader-style options (`c.Backprop.tolerance = 1e-5`)."""
    course_secret = Unicode(DEFAULT_COURSE_SECRET, help="Mixed into every trial seed: set it for a real "
                            "class (env BACKPROP_COURSE_SECRET).").tag(config=True)
    tolerance = Float(1e-5, help="A correct answer matches the reference to this relative error "
                      "(max |a - r| / max |r|).").tag(config=True)
    call_time_limit = Float(2.0, help="Seconds one call of a student's function may take.").tag(config=True)
    numerical_gradient_credit = Float(0.0, help="Credit (fraction of the points) for a function that "
                                      "approximates by finite differences.").tag(config=True)
    verify_policy = Enum(("verified", "flag"), "verified", help="'verified': a verified score that differs "
                         "replaces the in-kernel one (as nbgrader's manual score); 'flag': only report.").tag(
        config=True)
    verify_cpu_seconds = Integer(60, help="CPU seconds of a verification process.").tag(config=True)
    verify_memory_mb = Integer(2048, help="Memory of a verification process (MB).").tag(config=True)
    verify_cell_seconds = Float(10.0, help="Seconds per cell in verification, then the next cell runs.").tag(
        config=True)
    verify_load_seconds = Float(60.0, help="Seconds for all of a notebook's cells in verification.").tag(
        config=True)


#: name -> (environment variable, parser, check of the value, what the check demands)
SPEC = {
    "course_secret": ("BACKPROP_COURSE_SECRET", str, lambda v: len(v) > 0, "a non-empty string"),
    "tolerance": ("BACKPROP_TOLERANCE", float, lambda v: 0 < v < 1, "a number between 0 and 1"),
    "call_time_limit": ("BACKPROP_CALL_TIME_LIMIT", float, lambda v: 0 < v <= 3600, "seconds, > 0"),
    "numerical_gradient_credit": ("BACKPROP_NUMERICAL_GRADIENT_CREDIT", float, lambda v: 0 <= v <= 1,
                                  "a fraction between 0 and 1"),
    "verify_policy": ("BACKPROP_VERIFY_POLICY", str, lambda v: v in ("verified", "flag"), "'verified' or 'flag'"),
    "verify_cpu_seconds": ("BACKPROP_VERIFY_CPU_SECONDS", int, lambda v: v > 0, "whole seconds, > 0"),
    "verify_memory_mb": ("BACKPROP_VERIFY_MEMORY_MB", int, lambda v: v >= 64, "megabytes, >= 64"),
    "verify_cell_seconds": ("BACKPROP_VERIFY_CELL_SECONDS", float, lambda v: v > 0, "seconds, > 0"),
    "verify_load_seconds": ("BACKPROP_VERIFY_LOAD_SECONDS", float, lambda v: v > 0, "seconds, > 0"),
}
#: What changes a grade: a marker of an earlier run is valid only under the same values.
GRADING = ("course_secret", "tolerance", "call_time_limit", "numerical_gradient_credit", "verify_policy")


def _parse(name, raw, where):
    env, parser, ok, demand = SPEC[name]
    try:
        value = parser(str(raw).strip()) if parser is not str else str(raw)
        good = ok(value) and value == value          # NaN is never a valid setting
    except (TypeError, ValueError):
        good = False
    if not good:
        raise SettingsError(f"{where} = {raw!r} is not valid: use {demand}")
    return value


def resolve(environ=None, config=None):
    """{name: value} from the environment, then the config's c.Backprop, then the defaults; SettingsError
    (one line) for the first bad value. Also returns where the secret came from under '_secret_from'."""
    environ = os.environ if environ is None else environ
    try:
        configured = Backprop(config=config) if config is not None else Backprop()
    except Exception as err:                          # traitlets' TraitError for a mistyped config value
        raise SettingsError(f"nbgrader_config.py: c.Backprop: {str(err).splitlines()[0]}") from None
    values = {}
    for name, (env, _, _, _) in SPEC.items():
        if environ.get(env) is not None:
            values[name] = _parse(name, environ[env], env)
        else:
            values[name] = _parse(name, getattr(configured, name), f"c.Backprop.{name}")
    values["_secret_from"] = ("environment" if environ.get("BACKPROP_COURSE_SECRET") is not None else
                              "nbgrader_config.py" if values["course_secret"] != DEFAULT_COURSE_SECRET else
                              "the public default")
    return values


def load(root=None, environ=None):
    """Resolve, validate and apply the settings of the course at `root` (its nbgrader_config.py)."""
    config = None
    if root is not None and (os.path.isfile(os.path.join(str(root), "nbgrader_config.py"))):
        from .course import course_config
        try:
            config = course_config(root)
        except CourseError:
            raise
        except Exception as err:                      # noqa: BLE001 - a config file that does not run
            raise SettingsError(f"nbgrader_config.py cannot be read: {type(err).__name__}: {err}") from None
    values = resolve(environ, config)
    apply(values)
    return values


def apply(values):
    """Make `values` (from resolve, or as_env's strings) this process's settings."""
    if values and all(isinstance(k, str) and k.startswith("BACKPROP_") for k in values):
        values = resolve(values, None)
    global TOLERANCE, CALL_TIME_LIMIT, NUMERICAL_GRADIENT_CREDIT, VERIFY_POLICY, VERIFY_CPU_SECONDS
    global VERIFY_MEMORY_MB, VERIFY_CELL_SECONDS, VERIFY_LOAD_SECONDS, _SECRET, CURRENT
    TOLERANCE, CALL_TIME_LIMIT = values["tolerance"], values["call_time_limit"]
    NUMERICAL_GRADIENT_CREDIT, VERIFY_POLICY = values["numerical_gradient_credit"], values["verify_policy"]
    VERIFY_CPU_SECONDS, VERIFY_MEMORY_MB = values["verify_cpu_seconds"], values["verify_memory_mb"]
    VERIFY_CELL_SECONDS, VERIFY_LOAD_SECONDS = values["verify_cell_seconds"], values["verify_load_seconds"]
    _SECRET, CURRENT = values["course_secret"], dict(values)


def as_env(values=None):
    """The settings as BACKPROP_* environment variables, the secret included: what a kernel, a
    verification or a Dask worker is given, so that all of them grade under the same values."""
    values = values or CURRENT
    return {SPEC[name][0]: repr(v) if isinstance(v, float) else str(v)
            for name, v in values.items() if name in SPEC}


def fingerprint(values=None):
    """A short hash of what changes a grade (the secret only hashed)."""
    values = values or CURRENT
    text = "\0".join(f"{name}={values[name]!r}" for name in GRADING)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def header(values=None):
    """One line for the start of a run: every value, and where the secret came from (never the secret)."""
    values = values or CURRENT
    shown = ", ".join(f"{name}={values[name]:g}" if isinstance(values[name], float) else f"{name}={values[name]}"
                      for name in SPEC if name != "course_secret")
    return f"settings: {shown}, course_secret from {values.get('_secret_from', 'the environment')}"


def uses_public_secret(values=None):
    return (values or CURRENT)["course_secret"] == DEFAULT_COURSE_SECRET


def course_secret():
    return _SECRET


def _lenient(environ):
    """At import: each value from the environment if it is valid, else its default (noted in PROBLEMS)."""
    problems, values = [], resolve({}, None)
    for name, (env, _, _, _) in SPEC.items():
        if environ.get(env) is not None:
            try:
                values[name] = _parse(name, environ[env], env)
            except SettingsError as err:
                problems.append(str(err))
    if environ.get("BACKPROP_COURSE_SECRET") is not None:
        values["_secret_from"] = "environment"
    return values, problems


TOLERANCE = CALL_TIME_LIMIT = NUMERICAL_GRADIENT_CREDIT = VERIFY_POLICY = None
VERIFY_CPU_SECONDS = VERIFY_MEMORY_MB = VERIFY_CELL_SECONDS = VERIFY_LOAD_SECONDS = _SECRET = CURRENT = None
_values, PROBLEMS = _lenient(os.environ)
apply(_values)
