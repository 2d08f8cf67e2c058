"""Mistakes of exercise 3 (the 2-2-2 network: h1 reaches L through o1 and o2)."""
from solutions import multi_path as ref
from . import Check, Exercise, Mistake, common
from .draws import far_apart, targets_away_from, unsaturated

PARAMS = ("i", "t", "w", "b")
ALL = ("dL_dw5", "dL_dh1", "dL_dw1", "dL_dw", "dL_db")


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

SWAPPED_BIASES = (
    "b1 and b2 are swapped: the first entry you return is the gradient for b2 and the second "
    "the gradient for b1.",
    "b1 is the bias of the hidden units h1 and h2, b2 the bias of the output units o1 and o2; "
    "dL_db returns them in that order, [∂L/∂b1, ∂L/∂b2].",
    "Check which units each bias enters, and return ∂L/∂b1 first.")

MISTAKES = [
    common.sign_flipped("o", "t"),
    common.loss_factor_double("o", "t"),
    common.loss_factor_half("o", "t"),
    *common.sigma_prime_mistakes("h", "o"),
    Mistake(
        "wrong_input_factor",
        what="The chain ends with the wrong input factor: another layer's input, or the layer's own "
             "output, where what the weight multiplies belongs.",
        why="∂z/∂w is what the weight multiplies in the forward pass: w5 multiplies h1 "
            "(o1 = σ(w5·h1 + …)), w1 multiplies i1 (h1 = σ(w1·i1 + …)).",
        fix="For the weight asked, find the one term of the forward pass it appears in "
            "and take what it multiplies there.",
        variants=("layer1", "layer2", "layer2_output"), exclusive=(("layer2", "layer2_output"),),
        places={"layer1": "for w1..w4 (h where i belongs)", "layer2": "for w5..w8 (i where h belongs)",
                "layer2_output": "for w5..w8 (o where h belongs)"}),
    Mistake(
        "missing_downstream_weight",
        what="The paths from the outputs back to the hidden layer leave out the weights w5..w8.",
        why="z_o1 = w5·h1 + …, so ∂z_o1/∂h1 = w5 (and w7 for o2): each path back to h1 "
            "is scaled by the weight it runs along.",
        fix="Write each path from L to h1 one factor per step, including the weight it crosses.",
        variants=("ones", "dropped"), exclusive=(("ones", "dropped"),),
        places={"ones": "the weights are taken as 1, so δo1 + δo2 reaches each hidden unit",
                "dropped": "the weights are left out, so δo1 goes to h1 and δo2 to h2"}),
    Mistake(
        "bias_single_path",
        what="A bias is counted through only one of the two units it feeds.",
        why="b1 is added in both h1 and h2, and b2 in both o1 and o2, so L depends on each "
            "bias through two units; the total derivative adds both paths.",
        fix="Find every unit a bias enters and add one chain-rule term per unit.",
        variants=("b1_h1", "b1_h2", "b2_o1", "b2_o2"), exclusive=(("b1_h1", "b1_h2"), ("b2_o1", "b2_o2")),
        places={"b1_h1": "for b1 (through h1 only)", "b1_h2": "for b1 (through h2 only)",
                "b2_o1": "for b2 (through o1 only)", "b2_o2": "for b2 (through o2 only)"}),
    Mistake(
        "single_output_path",
        what="∂L/∂h1 counts only one output: h1 reaches L through o1 AND o2.",
        why="h1 feeds both output units (via w5 and w7), so L changes through both when h1 "
            "changes; the multivariable chain rule sums over every path.",
        fix="Draw every path from h1 to L in the diagram and add one term per path.",
        variants=("o1", "o2"), exclusive=(("o1", "o2"),),
        places={"o1": "only the path through o1 is counted", "o2": "only the path through o2 is counted"}),
    Mistake(
        "chain_through_weight",
        what="A path from an output back to h1 carries h1 where the weight w5 or w7 belongs "
             "(a term like ∂w7/∂h1).",
        why="Weights are not functions of the activations: z_o1 = w5·h1 + w6·h2 + b2, so "
            "∂z_o1/∂h1 is the weight w5, while h1 is what ∂z_o1/∂w5 gives.",
        fix="For each path, differentiate the output's pre-activation with respect to h1 "
            "(not to a weight)."),
    Mistake(
        "wrong_weight_index",
        what="A weight of a neighbouring connection is used: e.g. w6 for w5, w3 for w1, "
             "or the slots of dL_dw swapped.",
        why="In the diagram w5 joins h1 to o1, w6 joins h2 to o1, w7 joins h1 to o2; "
            "w1 joins i1 to h1, w2 i2 to h1, w3 i1 to h2 — easy to misread.",
        fix="Label each weight on the diagram with the two units it joins and re-read your "
            "terms against it.",
        variants=("downstream", "target"), moving=("target",),
        places={"downstream": "on the way back to the hidden layer (w6 and w8 used for w5 and w7)",
                "target": "in the gradient returned (the neighbouring connection's)"},
        texts={("dL_db", ("target",)): SWAPPED_BIASES,
               ("dL_db", ("downstream", "target")): (
                   SWAPPED_BIASES[0] + " Also, on the way back to the hidden layer a weight of the "
                   "neighbouring connection is used (w6 and w8 for w5 and w7).",
                   SWAPPED_BIASES[1] + " And w5 joins h1 to o1, w6 joins h2 to o1.",
                   "Label each bias and weight on the diagram with the units it joins and re-read "
                   "your terms against it.")}),
]


def describe(a):
    return "one sample, i and t of length 2"


EXERCISE = Exercise("multi_path", CHECKS, MISTAKES, draw, describe, _layers)
