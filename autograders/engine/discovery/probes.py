"""Probe trials: the same for the whole class, derived from the course secret and the check id.

A student whose answer to a check is `unrecognised` (or `wrong_shape`) gets their outputs on
these trials recorded, in verification, where student code already runs out of the kernel;
`report` compares them across students and never runs student code itself. The seed is
salted so the probe trials differ from every graded trial (graded seeds also take the
student id; the salt keeps them apart from a student named like the probe).
"""
import hashlib

import numpy as np

from .. import catalogue, settings
from ..guard import call
from ..outputs import BadOutput, normalise
from ..trials import Trials

SALT = "\0probe"
PROBES = 4                       # trials per check
RECORDED = ("unrecognised", "wrong_shape")


def probe_seed(check_id, secret=None):
    """A 32-bit seed from the course secret and the check id only: one set of trials for the class."""
    secret = settings.course_secret() if secret is None else secret
    digest = hashlib.sha256(f"{secret}{SALT}\0{check_id}".encode()).digest()
    return int.from_bytes(digest[:4], "little")


def probe_trials(check_id, secret=None, n=PROBES):
    """The check's probe Trials (the reference's own draws, so mutants can be compared on them)."""
    exercise, check = catalogue.load(check_id)
    trials = Trials(exercise, check, probe_seed(check_id, secret))
    with np.errstate(all="ignore"):
        for _ in range(n):
            trials.draw()
    return trials


def wanted(mistakes):
    return any(m in RECORDED for m in mistakes)


def record(check_id, fn, secret=None):
    """[output as nested lists, or None where the call failed] on each probe trial; never raises."""
    trials = probe_trials(check_id, secret)
    out = []
    for trial in trials.items:
        with np.errstate(all="ignore"):
            result = call(fn, trials.check.params, trial.args, settings.CALL_TIME_LIMIT)
        value = None
        if not (result.timed_out or result.raised or result.mutated):
            try:
                value, _ = normalise(result.value, trials.check.kind)
                if trials.check.view is not None:
                    value = trials.check.view(trial.args, value)
                value = np.asarray(value, dtype=np.float64)
                value = value.tolist() if np.isfinite(value).all() else None
            except (BadOutput, TypeError, ValueError):
                value = None
        out.append(value)
    return out
