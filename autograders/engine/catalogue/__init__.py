"""The mistake catalogue: one module per exercise, each defining `EXERCISE`.

A catalogue module holds data plus small code: how to draw a trial, the
graded checks (which reference output each one is), and the catalogued
mistakes with their student-facing messages. The mistakes themselves are
computed by the knobs in `solutions/` (see solutions/factors.py), so adding
a mistake is one `Mistake(...)` entry here (plus a knob where it changes a
factor no existing knob covers).
"""
import importlib
import itertools
from dataclasses import dataclass, field
from typing import Callable

EXERCISE_NAMES = ("scalar_chain", "matrix_mlp", "multi_path")


@dataclass(frozen=True)
class Mistake:
    """A catalogued chain-rule mistake, as it applies to one exercise.

    Where it applies is derived from the reference (Exercise.applies), not listed: a mistake is a
    candidate on every check whose output one of its knobs changes.
    """
    id: str                  # the id from MISTAKES.md
    what: str                # what the student computed, one sentence
    why: str                 # why it is wrong
    fix: str                 # the one thing to try
    variants: tuple = ("",)  # sites or readings: the knob is `id` or `id:variant`
    exclusive: tuple = ()    # groups of variants never on together (readings of one factor, a bias followed
                             # into h1 only or h2 only); any other set of variants is one mistake at several sites
    places: dict = field(default_factory=dict)   # variant -> where it is made: "at layer 1 (h)"
    every: str = ""          # where, when it is made at every site a check passes through: "at both layers"
    texts: dict = field(default_factory=dict)    # (check name, variants) -> (what, why, fix) for that reading
    factor: object = None    # the mistake multiplies ∂L/∂(output) by this constant (sign, ½, 2), or by
                             # factor(args) (1/N): every graded value is linear in ∂L/∂(output), so its mutant is
                             # `factor` times the mutant without it and need not be computed (trials.Trials.output)
    linear: bool = True      # False when the mistake makes the answer non-linear in ∂L/∂(output)
                             # (post_update_weights moves a weight by its own gradient)
    moving: tuple = ()       # variants that carry values from one entry of the answer to another (a
                             # permutation, or a later entry computed from an earlier one): with them on,
                             # another mistake may change entries it leaves alone by itself

    def knob(self, variant):
        return self.id if not variant else f"{self.id}:{variant}"

    def knobs(self):
        return tuple(self.knob(v) for v in self.variants)

    def forms(self, live=None):
        """Every knob set that is this one mistake: any non-empty set of its (live) variants that takes
        at most one of each exclusive group; fewest sites first."""
        vs = [v for v in self.variants if live is None or self.knob(v) in live]
        return [frozenset(self.knob(v) for v in combo)
                for r in range(1, len(vs) + 1) for combo in itertools.combinations(vs, r)
                if all(len(set(combo) & set(group)) <= 1 for group in self.exclusive)]

    def variants_of(self, knobs):
        return tuple(v for v in self.variants if self.knob(v) in knobs)

    def where(self, knobs, live=()):
        """Where a form of this mistake is made, in words ('' for a mistake with one place only)."""
        on = self.variants_of(knobs)
        if not any(on):
            return ""
        sites = [v for v in self.variants if self.knob(v) in live]
        if self.every and len(on) > 1 and len(on) == len(sites) and not self.exclusive:
            return self.every
        return " and ".join(self.places.get(v, v) for v in on)

    def text(self, check_name, knobs, live=()):
        """(what, why, fix) of this mistake at the sites in `knobs` on a check, with where it is made."""
        own = self.texts.get((check_name, self.variants_of(knobs)))
        if own:
            return own                     # a reading with its own words (b1 and b2 swapped) says where itself
        what, why, fix = self.what, self.why, self.fix
        where = self.where(knobs, live)
        return (f"{what} Where: {where}." if where else what), why, fix


@dataclass(frozen=True)
class Check:
    """A graded function: its parameters, the kind of value it returns, and the reference."""
    name: str
    params: tuple
    kind: str                          # "float", "array" or "triple" (sgd_step's 3 values)
    compute: Callable                  # compute(args, knobs, known=None) -> output; known = Exercise.layers(args)
    entry_names: Callable = None       # entry_names(shape) -> list of names, for hints
    view: Callable = None              # view(args, value) -> what is compared (default: the value)


#: Draws on which applicability is derived: a knob applies to a check when it changes its output on one of
#: them (or cannot be computed there). Several, so that a knob that raises on some shapes is still seen.
PROBES = 3


@dataclass
class Exercise:
    name: str
    checks: dict
    mistakes: list
    draw: Callable                     # draw(rng, k) -> args dict for trial k, or None for a degenerate draw
    describe: Callable = field(default=lambda args: "")   # one-line description of a trial
    layers: Callable = None            # layers(args) -> the forward pass, shared by every mutant of a trial
    _probed: dict = field(default_factory=dict, repr=False)

    def probe(self, check_name):
        """What each knob does to this check on probe draws (see Probe); derived once, then cached."""
        if check_name not in self._probed:
            self._probed[check_name] = _probe(self, self.checks[check_name])
        return self._probed[check_name]

    def live_knobs(self, check_name):
        """The knobs that change this check's output: the factors its computation passes through."""
        return self.probe(check_name).live

    def mistakes_for(self, check_name):
        live = self.live_knobs(check_name)
        return [m for m in self.mistakes if any(k in live for k in m.knobs())]

    def applies(self, mistake_id, check_name):
        return any(m.id == mistake_id for m in self.mistakes_for(check_name))


@dataclass(frozen=True)
class Probe:
    live: frozenset          # knobs that change the output on some probe draw
    shape: tuple             # the output's shape when it is the same on every draw, else None
    touched: dict            # knob -> flat indices of the entries it changes (when `shape` is fixed)


def _probe(exercise, check):
    """Knobs that change the check's output on a probe draw, and which entries. One that cannot be computed
    on some shapes (W2 @ δ2 with W2 not square) counts where it can be: it raises in a factor this check
    may not use."""
    import numpy as np
    rng, probes = np.random.default_rng(20240601), []
    while len(probes) < PROBES:
        args = exercise.draw(rng, len(probes))
        if args is not None:
            probes.append(args)
    live, touched = set(), {}
    with np.errstate(all="ignore"):
        refs = [np.asarray(check.compute(a, frozenset()), dtype=float) for a in probes]
        shape = refs[0].shape if len({r.shape for r in refs}) == 1 else None
        for knob in (k for m in exercise.mistakes for k in m.knobs()):
            changed = np.zeros(shape or (), bool)
            for args, ref in zip(probes, refs):
                try:
                    out = np.asarray(check.compute(args, frozenset([knob])), dtype=float)
                except (ValueError, IndexError):
                    continue
                if out.shape != ref.shape:
                    live.add(knob)
                    changed |= True
                    continue
                differs = ~np.isclose(out, ref, rtol=1e-9, atol=1e-12)
                if differs.any():
                    live.add(knob)
                    if shape is not None:
                        changed |= differs
            touched[knob] = frozenset(np.flatnonzero(changed).tolist())
    return Probe(frozenset(live), shape, touched)


#: The factor a knob changes (see solutions/). Two mistakes at one factor cannot be made at once (drop σ' AND
#: use σ instead of σ' at one layer), so such pairs are not searched; a knob may change several factors.
SITES = {
    "missing_sigma_prime_layer1": ("σ'1",), "missing_sigma_prime_layer2": ("σ'2",),
    "mean_instead_of_sum": ("sum",), "per_sample_not_summed": ("sum",),
    "missing_outer_with_input": ("outer",), "transposed_result": ("outer",),
    "missing_downstream_weight": ("back",), "weight_not_transposed": ("back",), "single_output_path": ("back",),
    "chain_through_weight": ("back",), "wrong_weight_index:downstream": ("back",),
    "elementwise_chain": ("back", "outer", "input1"),
    "activation_instead_of_preactivation_input": ("input3",),
}


def sites(knob):
    """The factors a knob changes; the layer-wise σ' mistakes change σ' of their layer, wrong_input_factor
    the input of its layer."""
    name, _, variant = knob.partition(":")
    if name in ("sigma_instead_of_sigma_prime", "sigma_prime_of_activation", "z_times_one_minus_z"):
        return ("σ'" + variant[-1],)
    if name == "wrong_input_factor":
        return ("input" + variant[-1],)
    return SITES.get(knob, SITES.get(name, (knob,)))


def split_check_id(check_id):
    exercise, _, name = str(check_id).partition(".")
    return exercise, name


def load(check_id):
    """(Exercise, Check) for a check id such as 'matrix_mlp.df_dW1'; KeyError if unknown."""
    exercise_name, check_name = split_check_id(check_id)
    if exercise_name not in EXERCISE_NAMES:
        raise KeyError(f"unknown check id {check_id!r}: exercises are {', '.join(EXERCISE_NAMES)}")
    exercise = importlib.import_module(f"{__name__}.{exercise_name}").EXERCISE
    if check_name not in exercise.checks:
        raise KeyError(f"unknown check id {check_id!r}: {exercise_name} has "
                       + ", ".join(f"{exercise_name}.{c}" for c in exercise.checks))
    return exercise, exercise.checks[check_name]


def all_check_ids():
    return [f"{e}.{c}" for e in EXERCISE_NAMES
            for c in importlib.import_module(f"{__name__}.{e}").EXERCISE.checks]


def mistake_ids():
    """Every catalogued mistake id, across exercises."""
    ids = []
    for e in EXERCISE_NAMES:
        for m in importlib.import_module(f"{__name__}.{e}").EXERCISE.mistakes:
            if m.id not in ids:
                ids.append(m.id)
    return ids
