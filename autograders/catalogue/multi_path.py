"""Mistakes of exercise 3 (the 2-2-2 network: h1 reaches L through o1 and o2)."""
import numpy as np

from solutions import multi_path as ref
from . import Check, Exercise, Mistake, common
from .draws import far_apart, targets_away_from, unsaturated

PARAMS = ("i", "t", "w", "b")
ALL = ("dL_dw5", "dL_dh1", "dL_dw1", "dL_dw", "dL_db")
THROUGH_HIDDEN = ("dL_dh1", "dL_dw1", "dL_dw", "dL_db")
LAYER1 = ("dL_dw1", "dL_dw", "dL_db")


def draw(rng, k=0):
    """i ~U(-2, 2), t in (0, 1), weights and biases ~N(0, 1.5²), no degeneracy."""
    i = rng.uniform(-2, 2, 2)
    w = rng.normal(0, 1.5, 8)
    b = rng.normal(0, 1.5, 2)
    if not (far_apart(w, gap=0.02) and far_apart(i, gap=0.1)):
        return None                          # nearly equal weights hide index mistakes
    h, o = ref.forward(i, w, b)
    if not (unsaturated(h, o) and abs(h[0] - h[1]) > 0.02 and abs(o[0] - o[1]) > 0.02):
        return None
    return dict(i=i, t=targets_away_from(o, rng), w=w, b=b)


def _layers(a):
    return ref.layers(a["i"], a["w"], a["b"])


def _grad(key):
    return lambda a, m, known=None: ref.gradients(a["i"], a["t"], a["w"], a["b"], m, known)[key]


CHECKS = {
    "dL_dw5": Check("dL_dw5", PARAMS, "float", _grad("w5")),
    "dL_dh1": Check("dL_dh1", PARAMS, "float", _grad("h1")),
    "dL_dw1": Check("dL_dw1", PARAMS, "float", _grad("w1")),
    "dL_dw": Check("dL_dw", PARAMS, "array", _grad("w"),
                   lambda shape: [f"w{k + 1}" for k in range(8)]),
    "dL_db": Check("dL_db", PARAMS, "array", _grad("b"), lambda shape: ["b1", "b2"]),
}

MISTAKES = [
    common.sign_flipped(ALL, "o", "t"),
    common.loss_factor_double(ALL, "o", "t"),
    common.loss_factor_half(ALL, "o", "t"),
    *common.sigma_prime_mistakes(LAYER1, ALL, "h", "o"),
    Mistake(
        "wrong_input_factor", ("dL_dw5", "dL_dw1"),
        what="The chain ends with the wrong layer's input: i1 where h1 belongs, or h1 where i1 belongs.",
        why="∂z/∂w is what the weight multiplies in the forward pass: w5 multiplies h1 "
            "(o1 = σ(w5·h1 + …)), w1 multiplies i1 (h1 = σ(w1·i1 + …)).",
        fix="For the weight asked, find the one term of the forward pass it appears in "
            "and take what it multiplies there."),
    Mistake(
        "missing_downstream_weight", ("dL_dh1", "dL_dw1"),
        what="The paths from the outputs back to h1 leave out the weights w5 and w7.",
        why="z_o1 = w5·h1 + …, so ∂z_o1/∂h1 = w5 (and w7 for o2): each path back to h1 "
            "is scaled by the weight it runs along.",
        fix="Write each path from L to h1 one factor per step, including the weight it crosses."),
    Mistake(
        "bias_single_path", ("dL_db",),
        what="Each bias is counted through only one of the two units it feeds.",
        why="b1 is added in both h1 and h2, and b2 in both o1 and o2, so L depends on each "
            "bias through two units; the total derivative adds both paths.",
        fix="Find every unit a bias enters and add one chain-rule term per unit.",
        variants=("first", "second")),
    Mistake(
        "single_output_path", ("dL_dh1", "dL_dw1", "dL_dw"),
        what="∂L/∂h1 counts only one output: h1 reaches L through o1 AND o2.",
        why="h1 feeds both output units (via w5 and w7), so L changes through both when h1 "
            "changes; the multivariable chain rule sums over every path.",
        fix="Draw every path from h1 to L in the diagram and add one term per path.",
        variants=("o1", "o2")),
    Mistake(
        "chain_through_weight", ("dL_dh1", "dL_dw1", "dL_dw"),
        what="A path from an output back to h1 carries h1 where the weight w5 or w7 belongs "
             "(a term like ∂w7/∂h1).",
        why="Weights are not functions of the activations: z_o1 = w5·h1 + w6·h2 + b2, so "
            "∂z_o1/∂h1 is the weight w5, while h1 is what ∂z_o1/∂w5 gives.",
        fix="For each path, differentiate the output's pre-activation with respect to h1 "
            "(not to a weight)."),
    Mistake(
        "wrong_weight_index", ALL,
        what="A weight of a neighbouring connection is used: e.g. w6 for w5, w3 for w1, "
             "or the slots of dL_dw swapped.",
        why="In the diagram w5 joins h1 to o1, w6 joins h2 to o1, w7 joins h1 to o2; "
            "w1 joins i1 to h1, w2 i2 to h1, w3 i1 to h2 — easy to misread.",
        fix="Label each weight on the diagram with the two units it joins and re-read your "
            "terms against it.",
        variants=("downstream", "target")),
]


def describe(a):
    return "one sample, i and t of length 2"


EXERCISE = Exercise("multi_path", CHECKS, MISTAKES, draw, describe, _layers)
