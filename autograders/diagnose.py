"""Name the mistake: compare the student's outputs with every mutant, then every pair of mutants.

A candidate fits when, on every trial, the student and the mutant agree within
TOLERANCE, or both fail (the student's code raised where the mutant cannot be
computed, e.g. W2 @ δ2 with a non-square W2), and they agree on at least one
trial. The best fit must beat the runner-up (another diagnosis) by
CLEAR_FACTOR, else more trials are drawn.
"""
import math
from dataclasses import dataclass

from . import settings
from .outputs import rel_error, scale_of
from .trials import RAISES, ids_of


@dataclass
class Match:
    knobs: frozenset
    fit: float

    @property
    def ids(self):
        return tuple(sorted(ids_of(self.knobs)))


def fit(trials, knobs, values, limit):
    """Worst relative disagreement over the trials, or inf once it passes `limit`."""
    worst, agreed = 0.0, False
    for trial, value in zip(trials.items, values):
        out = trials.output(trial, knobs)
        if value is None or out is RAISES:
            if value is None and out is RAISES:
                continue
            return math.inf
        err = rel_error(value, out, max(trial.scale, scale_of(out)))
        if err > limit:
            return math.inf
        worst, agreed = max(worst, err), True
    return worst if agreed else math.inf


def rank(trials, values, size):
    """Matches of `size` mistakes within CLEAR_FACTOR·TOLERANCE, best first."""
    limit = settings.CLEAR_FACTOR * settings.TOLERANCE
    found = [Match(k, fit(trials, k, values, limit)) for k in trials.candidates(size)]
    found = [m for m in found if m.fit <= limit and not (size > 1 and trials.redundant(m.knobs))]
    return sorted(found, key=lambda m: (m.fit, sorted(m.knobs)))


def search(trials, values, more):
    """The best clear match of one mistake, else of two, else None.

    `values[k]` is the student's output on trial k (None where it raised);
    `more()` draws one more trial and appends the student's value to `values`.
    """
    for size in (1, 2):
        while True:
            ranked = rank(trials, values, size)
            if not ranked or ranked[0].fit > settings.TOLERANCE:
                break
            best = ranked[0]
            rivals = [m for m in ranked[1:] if m.ids != best.ids]
            if not rivals or len(trials) >= settings.MAX_TRIALS:
                return best
            more()
    return None
