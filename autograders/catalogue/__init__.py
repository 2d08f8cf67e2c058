"""The mistake catalogue: one module per exercise, each defining `EXERCISE`.

A catalogue module holds data plus small code: how to draw a trial, the
graded checks (which reference output each one is), and the catalogued
mistakes with their student-facing messages. The mistakes themselves are
computed by the knobs in `solutions/` (see solutions/factors.py), so adding
a mistake is one `Mistake(...)` entry here (plus a knob where it changes a
factor no existing knob covers).
"""
import importlib
from dataclasses import dataclass, field
from typing import Callable

EXERCISE_NAMES = ("scalar_chain", "matrix_mlp", "multi_path")


@dataclass(frozen=True)
class Mistake:
    """A catalogued chain-rule mistake, as it applies to one exercise."""
    id: str                  # the id from MISTAKES.md
    checks: tuple            # names of the checks it applies to
    what: str                # what the student computed, one sentence
    why: str                 # why it is wrong
    fix: str                 # the one thing to try
    variants: tuple = ("",)  # knob variants: the knob is `id` or `id:variant`
    factor: float = None     # the mistake multiplies ∂L/∂(output) by this constant (sign, ½, 2); every
                             # graded value is linear in ∂L/∂(output), so its mutant is `factor` times
                             # the mutant without it and need not be computed (trials.Trials.output)
    linear: bool = True      # False when the mistake makes the answer non-linear in ∂L/∂(output)
                             # (post_update_weights moves a weight by its own gradient)

    def knobs(self):
        return tuple(self.id if not v else f"{self.id}:{v}" for v in self.variants)


@dataclass(frozen=True)
class Check:
    """A graded function: its parameters, the kind of value it returns, and the reference."""
    name: str
    params: tuple
    kind: str                          # "float", "array" or "triple" (sgd_step's 3 values)
    compute: Callable                  # compute(args, knobs, known=None) -> output; known = Exercise.layers(args)
    entry_names: Callable = None       # entry_names(shape) -> list of names, for hints
    view: Callable = None              # view(args, value) -> what is compared (default: the value)


@dataclass
class Exercise:
    name: str
    checks: dict
    mistakes: list
    draw: Callable                     # draw(rng) -> args dict, or None for a degenerate draw
    describe: Callable = field(default=lambda args: "")   # one-line description of a trial
    layers: Callable = None            # layers(args) -> the forward pass, shared by every mutant of a trial

    def mistakes_for(self, check_name):
        return [m for m in self.mistakes if check_name in m.checks]


#: Knobs that change the same factor (see solutions/): a student cannot make two of them at once
#: (drop σ' AND use σ instead of σ' at one layer), so such pairs are not searched.
SITES = {
    "missing_sigma_prime_layer1": "σ'1", "missing_sigma_prime_layer2": "σ'2",
    "mean_instead_of_sum": "sum", "per_sample_not_summed": "sum",
    "missing_outer_with_input": "outer", "transposed_result": "outer",
    "missing_downstream_weight": "back", "weight_not_transposed": "back", "single_output_path": "back",
    "chain_through_weight": "back", "wrong_weight_index:downstream": "back",
}


def site(knob):
    """The factor a knob changes; knobs of the layer-wise σ' mistakes share the site of their layer."""
    name, _, variant = knob.partition(":")
    if name in ("sigma_instead_of_sigma_prime", "sigma_prime_of_activation", "z_times_one_minus_z"):
        return "σ'" + variant[-1]
    return SITES.get(knob, SITES.get(name, knob))


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
