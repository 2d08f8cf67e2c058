"""Random trials for one check and one seed, each far from every catalogued mistake.

A trial holds the arguments, its forward pass, the reference output and,
lazily, the output of every mutant (the reference with some mistake knobs
switched on) on those arguments; mistakes only change the backward pass, so
every mutant of a trial starts from the same forward pass. Draws avoid
degenerate points (saturated units, targets equal to outputs, nearly equal
weights); `ambiguous_with_reference` then tells whether
some mistake has come within SEPARATION of the reference on every trial so
far, in which case an answer matching the reference is not yet proof of a
correct derivation and more trials are drawn.
"""
import itertools
from dataclasses import dataclass, field

import numpy as np

from . import settings
from .catalogue import site
from .outputs import rel_error, scale_of

RAISES = None          # a mutant that cannot be computed on a trial (e.g. W2 @ δ2 with W2 not square)
MAX_REDRAWS = 500


@dataclass
class Trial:
    index: int
    args: dict
    reference: np.ndarray
    known: tuple = None                            # the forward pass, Exercise.layers(args)
    mutants: dict = field(default_factory=dict)    # frozenset of knobs -> array or RAISES
    scales: dict = field(default_factory=dict)     # frozenset of knobs -> scale_of(mutant)

    def __post_init__(self):
        self.scale = scale_of(self.reference)


class Trials:
    """The trials of one check: trial k is the k-th separated draw from the seeded generator."""

    def __init__(self, exercise, check, seed):
        self.exercise, self.check, self.seed = exercise, check, seed
        self.rng = np.random.default_rng(seed)
        self.items = []
        self.singles, self._knobs = _knobs_of(exercise, check.name)
        self._live = None

    def __len__(self):
        return len(self.items)

    def __getitem__(self, k):
        return self.items[k]

    def output(self, trial, knobs):
        """The mutant with `knobs` on this trial (cached); RAISES if it cannot be computed."""
        out = trial.mutants.get(knobs, _MISSING)
        if out is _MISSING:
            out = trial.mutants[knobs] = self._derive(trial, knobs)
        return out

    def scale(self, trial, knobs):
        """scale_of the mutant with `knobs` on this trial (cached; the mutant must be computable)."""
        scale = trial.scales.get(knobs)
        if scale is None:
            scale = trial.scales[knobs] = scale_of(self.output(trial, knobs))
        return scale

    def _derive(self, trial, knobs):
        """A mistake with a constant factor on ∂L/∂(output) (sign, ½, 2) is that factor times the mutant
        without it (the same up to rounding), far cheaper than another backward pass; else computed."""
        info = [self._knobs[k] for k in knobs]
        scaled = [k for k, (_, _, factor, _) in zip(knobs, info) if factor is not None]
        if not scaled or not all(linear for *_, linear in info):
            return self._compute(trial.args, knobs, trial.known)
        base = self.output(trial, knobs - {scaled[0]})
        return RAISES if base is RAISES else self._knobs[scaled[0]][2] * base

    def _compute(self, args, knobs, known=None):
        """The check's output with `knobs` on; the caller silences NumPy's floating-point warnings."""
        try:
            out = np.asarray(self.check.compute(args, knobs, known), dtype=np.float64)
        except (ValueError, IndexError):
            return RAISES
        return out if np.isfinite(out).all() else RAISES

    def draw(self):
        """Append the next trial: the first non-degenerate draw."""
        k = len(self.items)
        for _ in range(MAX_REDRAWS):
            args = self.exercise.draw(self.rng, k)
            if args is None:
                continue
            known = self.exercise.layers(args) if self.exercise.layers else None
            reference = self._compute(args, frozenset(), known)
            if reference is not RAISES and self._well_conditioned(args, reference):
                break
        else:
            raise RuntimeError(f"{self.exercise.name}.draw found no non-degenerate trial in {MAX_REDRAWS} tries")
        trial = Trial(k, args, reference, known)
        trial.mutants[frozenset()] = reference
        self.items.append(trial)
        return trial

    def _well_conditioned(self, args, exact):
        """False when the answer cancels so much that a correct float32 computation misses the tolerance.

        A gradient that is a small difference of large terms (two paths that nearly cancel)
        is a degenerate draw: float32 rounding alone would look like a mistake there.
        """
        single = {name: np.float32(v) if isinstance(v, float) else
                  v.astype(np.float32) if isinstance(v, np.ndarray) and v.dtype == np.float64 else v
                  for name, v in args.items()}
        rounded = self._compute(single, frozenset())
        if rounded is RAISES:
            return True
        return rel_error(rounded, exact, scale_of(exact)) <= settings.TOLERANCE / 10

    def ambiguous_with_reference(self):
        """True while some single mistake is within SEPARATION of the reference on every trial."""
        return any(all(self._near_reference(t, knobs) for t in self.items) for knobs in self.singles)

    def _near_reference(self, trial, knobs):
        out = self.output(trial, knobs)
        if out is RAISES or out.shape != trial.reference.shape:
            return False
        err = rel_error(out, trial.reference, max(trial.scale, self.scale(trial, knobs)))
        return 0 < err < settings.SEPARATION

    def candidates(self, size):
        """Knob sets of `size` mistakes that change this check's output (pairs: of different ids)."""
        if self._live is None:              # trial 0 never changes, nor which singles change it
            self._live = [s for s in self.singles if self._changes(self.items[0], s)]
        live = self._live
        if size == 1:
            return live
        knob = self._knobs
        return [frozenset([ka, kb]) for (ka,), (kb,) in itertools.combinations(live, 2)
                if knob[ka][0] != knob[kb][0] and knob[ka][1] != knob[kb][1]]   # ids differ, sites differ

    def redundant(self, pair):
        """A pair that computes what the reference or one of its singles computes (e.g. 2 × ½)."""
        first = self.items[0]
        out = self.output(first, pair)
        return _close(out, first.reference) or any(_close(out, self.output(first, frozenset([k]))) for k in pair)

    def _changes(self, trial, knobs):
        out = self.output(trial, knobs)
        return not _close(out, trial.reference)


_MISSING = object()
_KNOBS = {}


def _knobs_of(exercise, check_name):
    """The single-knob sets of a check, and knob -> (mistake id, site, factor, linear); built once."""
    key = (exercise.name, check_name)
    if key not in _KNOBS:
        info = {knob: (m.id, site(knob), m.factor, m.linear)
                for m in exercise.mistakes_for(check_name) for knob in m.knobs()}
        _KNOBS[key] = [frozenset([knob]) for knob in info], info
    return _KNOBS[key]


def _close(a, b):
    if a is RAISES or b is RAISES:
        return a is b
    return a.shape == b.shape and rel_error(a, b, scale_of(a, b)) <= settings.TOLERANCE


def ids_of(knobs):
    """The mistake ids of a knob set: 'sigma_instead_of_sigma_prime:layer1' -> 'sigma_instead_of_sigma_prime'."""
    return frozenset(k.partition(":")[0] for k in knobs)
