"""What can still be said when no catalogued mistake explains an answer."""
import numpy as np

from . import settings
from .outputs import BadOutput, normalise, rel_error, scale_of


def _ratio(value, ref):
    return float(np.vdot(value, ref) / np.vdot(ref, ref))


def structure(trials, values, check):
    """Sign, constant scale and which entries are off, from the trials where shapes agree."""
    pairs = [(v, t.reference) for t, v in zip(trials.items, values)
             if v is not None and v.shape == t.reference.shape]
    if not pairs:
        return []
    tol = settings.TOLERANCE
    if all(rel_error(v, -r, scale_of(r)) <= tol for v, r in pairs):
        return ["It is exactly the negative of the gradient on every test case: look for one sign."]
    ratios = [_ratio(v, r) for v, r in pairs]
    if all(rel_error(v, c * r, scale_of(r)) <= tol for (v, r), c in zip(pairs, ratios)):
        if np.ptp(ratios) <= tol * max(abs(ratios[0]), 1):
            return [f"It is the gradient times the same constant, {ratios[0]:.4g}, on every test case: "
                    "look for a constant factor that should not be there (or is missing)."]
        return ["It is proportional to the gradient, but the factor changes from one test case to the "
                "next: a factor that depends on the inputs or weights is missing or extra."]
    notes = []
    shape = pairs[0][1].shape
    if check.entry_names and len(shape) >= 1 and all(r.shape == shape for _, r in pairs):
        names = check.entry_names(shape)
        off = np.zeros(shape, bool)
        for v, r in pairs:
            off |= np.abs(v - r) > tol * scale_of(r)
        if names and 0 < off.sum() < off.size:
            bad = [n for n, o in zip(names, off.ravel()) if o]
            good = [n for n, o in zip(names, off.ravel()) if not o]
            notes.append(f"Entries {', '.join(good)} are right; {', '.join(bad)} are off.")
    return notes


def _nudge(value, rng):
    if isinstance(value, np.ndarray):
        return value + rng.uniform(0.2, 0.5, value.shape) * rng.choice([-1, 1], value.shape)
    return value + 0.37 * (1 + abs(value))


def ignored_arguments(trial, check, own_value, call_student):
    """Arguments the student's answer does not change with, although the gradient does."""
    rng = np.random.default_rng(trial.index)
    ignored = []
    for p in check.params:
        args = dict(trial.args, **{p: _nudge(trial.args[p], rng)})
        result = call_student(args)
        if result.raised or result.timed_out:
            continue
        try:
            value, _ = normalise(result.value, check.kind)
        except BadOutput:
            continue
        ref = np.asarray(check.compute(args, frozenset()), dtype=float)
        if value.shape == own_value.shape and np.array_equal(value, own_value) \
                and rel_error(ref, trial.reference, scale_of(ref)) > settings.SEPARATION:
            ignored.append(p)
    if not ignored:
        return []
    names = ", ".join(f"`{p}`" for p in ignored)
    return [f"Your answer does not change when {names} changes, but the gradient does: "
            "is an argument unused, or replaced by a variable from elsewhere in the notebook?"]
