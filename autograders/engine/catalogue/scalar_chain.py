"""Mistakes of exercise 1 (one input, two sigmoid units, a bias used twice)."""
import numpy as np

from solutions import scalar_chain as ref
from . import Check, Exercise, Mistake, common
from .draws import far_apart, targets_away_from, unsaturated

PARAMS = ("x", "y", "w1", "w2", "b")
GRADS = ("dL_dw2", "dL_dw1", "dL_db")
ALL = GRADS + ("sgd_step",)


def draw(rng, k=0):
    """N >= 3 samples, weights ~N(0, 1.5²), inputs ~U(-2, 2), targets in (0, 1), no degeneracy.

    N changes from one trial to the next (3, 4, 5, 6, 3, ...), so that no constant like 1/N can pass
    for another on every trial (mean_instead_of_sum with loss_factor_double is loss_factor_half at N = 4).
    """
    n = 3 + k % 4
    x = rng.uniform(-2, 2, n)
    w1, w2, b = (float(v) for v in rng.normal(0, 1.5, 3))
    lr = float(rng.uniform(0.05, 1.0))
    if not (far_apart([w1, w2, b, 0.0], gap=0.1) and np.ptp(x) > 0.5):
        return None                          # nearly equal weights, or the inputs bunched together
    h, y_hat = ref.forward(x, w1, w2, b)
    if not unsaturated(h, y_hat):
        return None
    return dict(x=x, y=targets_away_from(y_hat, rng), w1=w1, w2=w2, b=b, lr=lr)


def _layers(a):
    return ref.layers(a["x"], a["w1"], a["w2"], a["b"])


def _grad(key):
    return lambda a, m, known=None: ref.gradients(a["x"], a["y"], a["w1"], a["w2"], a["b"], m, known)[key]


def _step(a, m, known=None):
    """The step taken, w_new - w: gradient mistakes are compared at their own scale, not |w|'s.

    Unless a weight is updated between gradients (post_update_weights), the step is -lr times the
    gradients at the old weights, read off one backward pass (the same up to rounding)."""
    if not any(k.startswith("post_update_weights") for k in m):
        g = ref.gradients(a["x"], a["y"], a["w1"], a["w2"], a["b"], m, known)
        return -a["lr"] * np.array([g["w1"], g["w2"], g["b"]])
    new = np.array(ref.sgd_step(a["x"], a["y"], a["w1"], a["w2"], a["b"], a["lr"], m, known))
    return _taken(a, new)


def _taken(a, new):
    old = np.array([a["w1"], a["w2"], a["b"]])
    return new - old.reshape((3,) + (1,) * (new.ndim - 1))


def _step_names(shape):
    return ["w1_new", "w2_new", "b_new"]


CHECKS = {
    "dL_dw2": Check("dL_dw2", PARAMS, "float", _grad("w2")),
    "dL_dw1": Check("dL_dw1", PARAMS, "float", _grad("w1")),
    "dL_db": Check("dL_db", PARAMS, "float", _grad("b")),
    "sgd_step": Check("sgd_step", PARAMS + ("lr",), "triple", _step, _step_names, view=_taken),
}

MISTAKES = [
    common.sign_flipped("ŷ", "y"),
    common.loss_factor_double("ŷ", "y"),
    common.loss_factor_half("ŷ", "y"),
    Mistake(
        "mean_instead_of_sum",
        what="Your answer is the gradient divided by the number of samples N.",
        why="L = ½ Σ_n (y_n - ŷ_n)² is a sum over the samples, not a mean, so its gradient "
            "is the sum of the per-sample gradients.",
        fix="Add up the per-sample terms instead of averaging them.",
        factor=lambda args: 1.0 / len(args["x"])),
    Mistake(
        "per_sample_not_summed",
        what="Your answer is not the sum over the samples: it returns the per-sample terms, "
             "or only one of them.",
        why="Every sample contributes to L, so ∂L/∂w is the sum of the N per-sample "
            "contributions (a loop that assigns `g = ...` instead of `g += ...` keeps only the last).",
        fix="Accumulate the per-sample terms into one number: np.sum(...) or `+=` in the loop.",
        variants=("all", "first", "last"), exclusive=(("all", "first", "last"),),
        places={"all": "all N terms returned", "first": "only the first sample kept",
                "last": "only the last sample kept"}),
    Mistake(
        "post_update_weights",
        what="The step updates one weight and then computes the next gradient with the new value.",
        why="Gradient descent takes every gradient at the same point, the old weights; "
            "updating in between mixes two different points.",
        fix="Compute all three gradients first, then update all three weights.",
        variants=("w1_first", "w2_first"), exclusive=(("w1_first", "w2_first"),),
        places={"w1_first": "w1 updated first", "w2_first": "w2 updated first"}, linear=False,
        moving=("w1_first", "w2_first")),
    *common.sigma_prime_mistakes("h", "ŷ"),
    Mistake(
        "wrong_input_factor",
        what="The chain ends with the wrong input factor: another layer's input, or the layer's own "
             "output, where the input the weight multiplies belongs.",
        why="∂z/∂w is the input that w multiplies in that layer: z1 = x·w1 + b and z2 = h·w2 + b.",
        fix="For the weight asked, look at the one line of the forward pass where it appears "
            "and take what it multiplies there.",
        variants=("layer1", "layer2", "layer2_output"), exclusive=(("layer2", "layer2_output"),),
        places={"layer1": "for w1 (h where x belongs)", "layer2": "for w2 (x where h belongs)",
                "layer2_output": "for w2 (ŷ where h belongs)"}),
    Mistake(
        "missing_downstream_weight",
        what="The chain from the output back to layer 1 leaves out the weight w2.",
        why="z2 = h·w2 + b, so ∂z2/∂h = w2: every path from L back to layer 1 passes through w2.",
        fix="Write the chain from L to w1 one factor per step and check the step from z2 to h."),
    Mistake(
        "bias_single_path",
        what="The bias b is counted through only one of the two layers it feeds.",
        why="The same b appears in z1 = x·w1 + b and in z2 = h·w2 + b, so L depends on b "
            "through both; the total derivative adds the two paths.",
        fix="Find every place b enters the forward pass and add one chain-rule term per place.",
        variants=("layer1", "layer2"), exclusive=(("layer1", "layer2"),),
        places={"layer1": "for b (through layer 1 only)", "layer2": "for b (through layer 2 only)"}),
]


def describe(a):
    return f"N = {len(a['x'])} samples"


EXERCISE = Exercise("scalar_chain", CHECKS, MISTAKES, draw, describe, _layers)
