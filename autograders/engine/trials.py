"""Random trials for one check and one seed, each far from every catalogued mistake, and the search space.

A trial holds the arguments, its forward pass, the reference output and,
lazily, the output of every mutant (the reference with some mistake knobs
switched on) on those arguments; mistakes only change the backward pass, so
every mutant of a trial starts from the same forward pass. Draws avoid
degenerate points (saturated units, targets equal to outputs, nearly equal
weights); `ambiguous_with_reference` then tells whether
some mistake has come within SEPARATION of the reference on every trial so
far, in which case an answer matching the reference is not yet proof of a
correct derivation and more trials are drawn.

The search space of a check (`space_of`) is derived once per process from the
catalogue and the reference: the singles (each mistake at every allowed set of
the sites the check passes through) and the pairs (two of them, of different
ids, at different factors). `warm()` derives them all at once.
"""
import itertools
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from . import settings
from .catalogue import sites
from .outputs import rel_error, scale_of

RAISES = None          # a mutant that cannot be computed on a trial (e.g. W2 @ δ2 with W2 not square)
MAX_REDRAWS = 500
#: Draws kept (`keep`) for the next Trials of the same check and seed in this process.
MAX_KEPT = 256
_KEPT = OrderedDict()


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
        self.space = space_of(exercise, check.name)
        self._knobs = self.space.info
        self._drawn = ()
        kept = _KEPT.pop((exercise.name, check.name, seed), None)
        if kept is not None:                       # the same draws, already made: taken in order, then more
            self.rng = np.random.default_rng()
            self.rng.bit_generator.state, self._drawn = kept

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
            scale = trial.scales[knobs] = float(np.abs(self.output(trial, knobs)).max(initial=0.0)) or 1e-300
        return scale

    def _derive(self, trial, knobs):
        """A mistake with a constant factor on ∂L/∂(output) (sign, ½, 2) is that factor times the mutant
        without it (the same up to rounding), far cheaper than another backward pass; else computed."""
        plan = self.space.plan(knobs)
        if plan is None:
            return self._compute(trial.args, knobs, trial.known)
        factor, rest = plan
        base = self.output(trial, rest)
        return RAISES if base is RAISES else (factor(trial.args) if callable(factor) else factor) * base

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
        if k < len(self._drawn):
            self.items.append(self._drawn[k])
            return self._drawn[k]
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
        return any(all(self._near_reference(t, knobs) for t in self.items) for knobs in self.space.near)

    def _near_reference(self, trial, knobs):
        out = self.output(trial, knobs)
        if out is RAISES or out.shape != trial.reference.shape:
            return False
        err = rel_error(out, trial.reference, max(trial.scale, self.scale(trial, knobs)))
        return 0 < err < settings.SEPARATION

    def candidates(self, size):
        """The knob sets that are `size` mistakes on this check: each mistake at any allowed set of the
        sites this check passes through; pairs of different ids whose knobs change different factors."""
        return self.space.singles if size == 1 else self.space.pairs

    def redundant(self, knobs):
        """A pair that computes what the reference or a single mistake computes on every trial so far
        (e.g. 2 × ½, or a bias counted through one unit where the other unit's path is dropped anyway):
        the single, or nothing, is the diagnosis."""
        if len(knobs) == 1 or self.space.size(knobs) == 1:
            return False
        return any(all(_close(self.output(t, knobs), self.output(t, other)) for t in self.items)
                   for other in [frozenset()] + self.space.singles)

    def ruled_out(self, knobs, value, limit):
        """True when a pair cannot fit the student's answer on trial 0, judged without computing it: on
        entries one of its mistakes leaves alone the pair computes what the other mistake computes alone
        (known from the singles), and there the answer is already too far for any fit within `limit`."""
        rules = self.space.rules.get(knobs)
        trial = self.items[0]
        if not rules or value is None or value.shape != trial.reference.shape:
            return False
        top = float(np.abs(value).max(initial=0.0))
        for single, entries in rules:
            out = self.output(trial, single)
            if out is RAISES or out.shape != value.shape:
                continue
            d = float(np.abs(value.flat[entries] - out.flat[entries]).max())
            # any fit is max|value - pair| / max(|reference|, |pair|) >= d / max(|reference|, top + d)
            if d > limit * max(trial.scale, top + d):
                return True
        return False

    def same(self, a, b):
        """True when two knob sets compute the same output on every trial so far (equivalent readings)."""
        return all(_close(self.output(t, a), self.output(t, b)) for t in self.items)


_MISSING = object()


@dataclass
class Space:
    """What the diagnosis searches for one check: knob -> (id, factors, factor, linear), the single forms
    (one mistake at a set of sites) and the pairs (two forms of different ids at different factors)."""
    info: dict
    singles: list
    pairs: list
    near: list                    # singles that can come near the reference (not a constant factor)
    rules: dict = field(default_factory=dict)     # pair -> [(single, entries where the pair computes as it)]
    plans: dict = field(default_factory=dict)

    def plan(self, knobs):
        """(factor, the other knobs) when the mutant is a constant times a cheaper one, else None."""
        plan = self.plans.get(knobs, _MISSING)
        if plan is _MISSING:
            info = [self.info[k] for k in knobs]
            scaled = [k for k, (_, _, factor, _) in zip(knobs, info) if factor is not None]
            plan = None
            if scaled and all(linear for *_, linear in info):
                plan = self.info[scaled[0]][2], knobs - {scaled[0]}
            self.plans[knobs] = plan
        return plan

    def size(self, knobs):
        return len({self.info[k][0] for k in knobs})


_SPACES = {}


def space_of(exercise, check_name):
    """The search space of a check, derived from the catalogue and the reference once, then cached."""
    key = (exercise.name, check_name)
    if key not in _SPACES:
        probe = exercise.probe(check_name)
        live = probe.live
        info = {knob: (m.id, frozenset(sites(knob)), m.factor, m.linear)
                for m in exercise.mistakes for knob in m.knobs() if knob in live}
        forms = [(m.id, f) for m in exercise.mistakes for f in m.forms(live)]
        singles = [f for _, f in forms]
        factors = {f: frozenset().union(*(info[k][1] for k in f)) for f in singles}
        pairs = [(a, b) for (ia, a), (ib, b) in itertools.combinations(forms, 2)
                 if ia != ib and not factors[a] & factors[b]]
        near = [f for f in singles if not (len(f) == 1 and info[next(iter(f))][2] is not None)]
        moving = {m.knob(v) for m in exercise.mistakes for v in m.moving}
        _SPACES[key] = Space(info, singles, [a | b for a, b in pairs], near,
                             rules=_kept_entries(pairs, probe, moving))
    return _SPACES[key]


def _kept_entries(pairs, probe, moving):
    """pair -> [(form g, entries)]: the entries the pair's other form leaves as they are, where the pair
    computes what g alone computes (trials.ruled_out). Only for answers of a fixed shape, and never through
    a form that carries values between entries (then the other form's changes may travel)."""
    if not probe.shape:
        return {}
    everything = frozenset(range(int(np.prod(probe.shape))))
    rules = {}
    for a, b in pairs:
        for f, g in ((a, b), (b, a)):
            kept = everything.difference(*(probe.touched.get(k, everything) for k in f))
            if kept and not g & moving:
                rules.setdefault(a | b, []).append((g, np.array(sorted(kept))))
    return rules


def _close(a, b):
    if a is RAISES or b is RAISES:
        return a is b
    return a.shape == b.shape and rel_error(a, b, scale_of(a, b)) <= settings.TOLERANCE


def ids_of(knobs):
    """The mistake ids of a knob set: 'sigma_instead_of_sigma_prime:layer1' -> 'sigma_instead_of_sigma_prime'."""
    return frozenset(k.partition(":")[0] for k in knobs)


def drawn(trials):
    """What `trials` has drawn, as plain data (it pickles): (the generator's state, the trials)."""
    return trials.rng.bit_generator.state, tuple(trials.items)


def keep(exercise_name, check_name, seed, draws):
    """Keep `draws` (`drawn` of a Trials of this check and seed) for the next Trials of the same check and
    seed in this process, which takes them instead of drawing again: the instant-feedback service draws a
    check's trials to send their inputs, then grades the outputs on the same trials, in another process.
    The oldest of more than MAX_KEPT are dropped (that Trials then just draws again)."""
    _KEPT[(exercise_name, check_name, seed)] = draws
    while len(_KEPT) > MAX_KEPT:
        _KEPT.popitem(last=False)


def warm():
    """Derive the search space of every check now: a process that forks kernels calls it once, so that
    no kernel derives it again at its first grade (a few ms per check)."""
    from .catalogue import all_check_ids, load
    for check_id in all_check_ids():
        exercise, check = load(check_id)
        space_of(exercise, check.name)
