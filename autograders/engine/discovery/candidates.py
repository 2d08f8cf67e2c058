"""Candidate explanations of a group, from a wider search than grading: up to three catalogued mistakes
(each at its sites), and generic operators on the reference's answer. A candidate is kept only if it
fits every member on every probe trial (the members agree there, so the first member's outputs stand
for all of them, within the tolerance)."""
import itertools
from dataclasses import asdict

import numpy as np

from .. import settings
from ..outputs import rel_error
from ..trials import RAISES, ids_of
from . import operators
from .probes import probe_trials

MAX_TRIPLES = 20000            # bound on the knob sets tried for one group


def _fits(out, value, reference):
    if out is RAISES or value is None or out.shape != value.shape:
        return False
    scale = max(float(np.abs(reference).max(initial=0.0)), float(np.abs(out).max(initial=0.0))) or 1e-300
    return rel_error(out, value, scale) <= settings.TOLERANCE


def catalogued(trials, values, sizes=(1, 2, 3)):
    """[knob set] of up to three catalogued mistakes of different ids at different factors that fit."""
    space = trials.space
    forms = [(next(iter(ids_of(f))), f) for f in space.singles]
    factors = {f: frozenset().union(*(space.info[k][1] for k in f)) for _, f in forms}
    found = []
    with np.errstate(all="ignore"):
        for size in sizes:
            tried = 0
            for combo in itertools.combinations(forms, size):
                if len({i for i, _ in combo}) < size:
                    continue
                fs = [f for _, f in combo]
                if any(factors[a] & factors[b] for a, b in itertools.combinations(fs, 2)):
                    continue
                tried += 1
                if tried > MAX_TRIPLES:
                    break
                knobs = frozenset().union(*fs)
                if all(_fits(trials.output(t, knobs), v, t.reference) for t, v in zip(trials.items, values)):
                    if not any(ids_of(k) < ids_of(knobs) for k in found):     # the simplest reading only
                        found.append(knobs)
            if found:
                break
    return found


def _swapped(r, i, j):
    r = r.copy().reshape(-1)
    r[i], r[j] = r[j], r[i]
    return r


def generic(trials, values):
    """[description] of generic operators on the reference's answer that fit every probe trial: two
    entries swapped (by flat index, on every trial's shape), or the answer transposed."""
    found = []
    n = min(t.reference.size for t in trials.items)
    pairs = itertools.combinations(range(n), 2) if n <= 64 else ()
    for i, j in pairs:
        if all(v is not None and v.size == t.reference.size
               and _fits(_swapped(t.reference, i, j), v.reshape(-1), t.reference)
               for t, v in zip(trials.items, values)):
            found.append(f"entries {i} and {j} of the answer swapped")
    if all(t.reference.ndim == 2 and _fits(t.reference.T, v, t.reference) for t, v in zip(trials.items, values)):
        found.append("the answer transposed")
    return found


_EDITS = {}


def backward_edits(trials, values):
    """[Edit] of the generic operators on the reference's backward pass (operators.py) that fit."""
    name = trials.exercise.name
    if name not in _EDITS:
        _EDITS[name] = operators.edits(name)
    return [edit for edit, fn in _EDITS[name]
            if all(_fits(out, v, t.reference)
                   for t, v, out in zip(trials.items, values, operators.outputs(trials, fn)))]


def explain(group, secret=None):
    """{'catalogued': [[knobs]], 'generic': [str], 'edits': [Edit as dict]} for a group: every candidate that
    fits its first member's probe outputs (the members agree there within the tolerance)."""
    trials = probe_trials(group.check_id, secret, n=len(group.probes))
    values = group.probes
    edits = backward_edits(trials, values)
    return {"catalogued": [sorted(k) for k in catalogued(trials, values)],
            "generic": [e.operator for e in edits] + generic(trials, values),
            "edits": [asdict(e) for e in edits]}
