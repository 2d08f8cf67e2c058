"""Name the mistake: compare the student's outputs with every single mistake, then every pair.

A single is one mistake at any set of the sites the check passes through
(`sigmoid_prime` written wrong and used at both layers is one mistake); a pair
is two such mistakes of different ids. A candidate fits when, on every trial,
the student and the mutant agree within TOLERANCE, or both fail (the
student's code raised where the mutant cannot be computed, e.g. W2 @ δ2 with a
non-square W2), and they agree on at least one trial. The best fit must beat
the runner-up (another diagnosis) by CLEAR_FACTOR, else more trials are drawn;
a runner-up that computes the same as the best on every trial is not a rival
but another reading of the same answer (no trial can tell them apart), and the
diagnosis keeps both.
"""
import math
from dataclasses import dataclass, field

import numpy as np

from . import settings
from .trials import RAISES, ids_of


@dataclass
class Match:
    knobs: frozenset
    fit: float
    readings: list = field(default_factory=list)    # equivalent Matches (this one first), when several fit

    @property
    def ids(self):
        return tuple(sorted(ids_of(self.knobs)))


def fit(trials, knobs, values, limit):
    """Worst relative disagreement over the trials; inf once it passes `limit` (for good: more trials
    can only make it worse); nan while undecided (the student and the mutant both raised on every trial)."""
    if trials.ruled_out(knobs, values[0], limit):
        return math.inf
    worst, agreed = 0.0, False
    for trial, value in zip(trials.items, values):
        out = trials.output(trial, knobs)
        if value is None or out is RAISES:
            if value is None and out is RAISES:
                continue
            return math.inf
        if value.shape != out.shape:
            return math.inf
        err = float(np.abs(value - out).max(initial=0.0)) / max(trial.scale, trials.scale(trial, knobs))
        if err > limit:
            return math.inf
        worst, agreed = max(worst, err), True
    return worst if agreed else math.nan


def _preference(match):
    """Fewest mistakes, then fewest sites, then a fixed order: the reading named first."""
    return len(match.ids), len(match.knobs), sorted(match.knobs)


def rank(trials, values, candidates):
    """(matches within CLEAR_FACTOR·TOLERANCE, best first; the candidates not ruled out)."""
    limit = settings.CLEAR_FACTOR * settings.TOLERANCE
    fits = [(k, fit(trials, k, values, limit)) for k in candidates]
    found = [Match(k, f) for k, f in fits if f <= limit and not trials.redundant(k)]
    return sorted(found, key=lambda m: (m.fit, _preference(m))), [k for k, f in fits if f != math.inf]


def search(trials, values, more):
    """The best clear match of one mistake, else of two, else None.

    `values[k]` is the student's output on trial k (None where it raised);
    `more()` draws one more trial and appends the student's value to `values`.
    The match's `readings` lists every equivalent explanation, the preferred one first.
    """
    for size in (1, 2):
        candidates = trials.candidates(size)
        while True:
            ranked, candidates = rank(trials, values, candidates)
            if not ranked or ranked[0].fit > settings.TOLERANCE:
                break
            best = ranked[0]
            same = [m for m in ranked if trials.same(m.knobs, best.knobs)]
            rivals = [m for m in ranked if m not in same]
            if not rivals or len(trials) >= settings.MAX_TRIALS:
                readings = sorted(same, key=_preference)
                chosen = readings[0]
                chosen.readings = readings
                return chosen
            more()
    return None
