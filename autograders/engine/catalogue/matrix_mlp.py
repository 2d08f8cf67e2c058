"""Mistakes of exercise 2 (∂f/∂W for f = W3 σ(W2 σ(W1 x)), any shapes)."""
import numpy as np

from solutions import matrix_mlp as ref
from . import Check, Exercise, Mistake, common
from .draws import unsaturated

PARAMS = ("x", "W1", "W2", "W3")
ALL = ("df_dW3", "df_dW2", "df_dW1")

#: Trial 0 has the published shapes, trial 1 a square W2 between non-square W1 and W3,
#: later trials random shapes with n, m1, m2 all different.
FIXED_SHAPES = [(2, 2, 2), (3, 4, 4)]


def _shape(rng, k):
    if k < len(FIXED_SHAPES):
        return FIXED_SHAPES[k]
    while True:
        n, m1, m2 = (int(v) for v in rng.integers(2, 7, 3))
        if len({n, m1, m2}) == 3:
            return n, m1, m2


def draw(rng, k=0):
    """Trial k: x ~U(-2, 2), weights ~N(0, 1.5²), no saturated unit, no near-symmetric W2."""
    n, m1, m2 = _shape(rng, k)
    x = rng.uniform(-2, 2, n)
    W1 = rng.normal(0, 1.5, (m1, n))
    W2 = rng.normal(0, 1.5, (m2, m1))
    W3 = rng.normal(0, 1.5, (1, m2))
    if np.abs(x).min() <= 0.05:
        return None                          # an input near 0 hides a missing outer product
    h1, h2, _ = ref.forward(x, W1, W2, W3)
    return dict(x=x, W1=W1, W2=W2, W3=W3) if unsaturated(h1, h2, margin=0.03) else None


def _layers(a):
    return ref.layers(a["x"], a["W1"], a["W2"], a["W3"])


def _grad(key):
    return lambda a, m, known=None: ref.gradients(a["x"], a["W1"], a["W2"], a["W3"], m, known)[key]


def _entries(shape):
    return [f"[{i}, {j}]" for i, j in np.ndindex(*shape)] if len(shape) == 2 else None


CHECKS = {name: Check(name, PARAMS, "array", _grad(name[-2:]), _entries) for name in ALL}

MISTAKES = [
    *common.sigma_prime_mistakes("h1", "h2"),
    Mistake(
        "elementwise_chain",
        what="The factors are multiplied elementwise, W3 * σ'(W2 h1) * σ'(W1 x): "
             "the answer has no W2ᵀ and no outer product with x.",
        why="Going back through h2 = σ(W2 h1) needs the matrix W2ᵀ to map the layer-2 signal "
            "onto the m1 units of layer 1, and ∂/∂W1 of W1 x is an outer product with x, "
            "which is what gives the answer W1's shape (m1, n).",
        fix="Track the shape of every factor: the result must have W1's shape."),
    Mistake(
        "missing_outer_with_input",
        what="You returned the layer's δ vector, not a matrix shaped like the weights.",
        why="Weight W[i, j] multiplies input j into unit i, so ∂f/∂W[i, j] = δ_i · input_j: "
            "an outer product of δ with the layer's input.",
        fix="Combine δ with the layer's input so the result has the weight matrix's shape."),
    Mistake(
        "transposed_result",
        what="Your answer is the transpose of the gradient (it has the shape of Wᵀ, or "
             "the entries of Wᵀ).",
        why="∂f/∂W has W's shape: row i belongs to output unit i, column j to input j, "
            "so the δ of the layer indexes the rows and its input the columns.",
        fix="Check the order of the two factors of the outer product (and any stray .T).",
        moving=("",)),
    Mistake(
        "weight_not_transposed",
        what="Going back from layer 2 to layer 1 you multiplied by W2 where W2ᵀ belongs "
             "(this only runs when W2 is square).",
        why="W2 maps layer 1 to layer 2; sending the signal back from the m2 units of layer 2 "
            "to the m1 units of layer 1 goes through the transpose, W2ᵀ.",
        fix="Check the shapes: the back-propagated vector must have m1 entries for any m1, m2."),
    Mistake(
        "missing_downstream_weight",
        what="The chain from layer 2 back to layer 1 leaves out the weights W2.",
        why="h2 = σ(W2 h1), so ∂h2/∂h1 involves W2: every path from f back to W1 passes "
            "through the weights of layer 2, each unit of layer 1 along its own weights.",
        fix="Write the chain one factor per layer and check the step from layer 2 to h1: "
            "it is W2ᵀ δ2.",
        variants=("dropped", "ones"), exclusive=(("dropped", "ones"),),
        places={"dropped": "δ2 is passed back to layer 1 as it is (this only runs when m1 = m2)",
                "ones": "W2 is taken as all ones: the total Σ δ2 is sent to every unit of layer 1"}),
    Mistake(
        "wrong_input_factor",
        what="The outer product uses the wrong input: another layer's input, or the layer's own "
             "output, where the vector the weights multiply belongs.",
        why="∂(W a)/∂W involves the vector that W multiplies in the forward pass: "
            "W1 multiplies x, W2 multiplies h1, W3 multiplies h2.",
        fix="For the weight asked, look at the line of the forward pass where it is used "
            "and take the vector it multiplies there.",
        variants=("layer1", "layer2", "layer2_output", "layer3"), exclusive=(("layer2", "layer2_output"),),
        places={"layer1": "for W1 (h1 where x belongs)", "layer2": "for W2 (x where h1 belongs)",
                "layer2_output": "for W2 (h2 where h1 belongs)", "layer3": "for W3 (h1 where h2 belongs)"}),
    Mistake(
        "activation_instead_of_preactivation_input",
        what="You used the pre-activation W2 h1 where the activation h2 = σ(W2 h1) belongs.",
        why="f = W3 h2: what W3 multiplies is the activation h2, after the sigmoid.",
        fix="Apply the sigmoid: the factor is h2 = σ(W2 h1)."),
]


def describe(a):
    (m1, n), m2 = a["W1"].shape, a["W2"].shape[0]
    return f"n = {n}, m1 = {m1}, m2 = {m2}"


EXERCISE = Exercise("matrix_mlp", CHECKS, MISTAKES, draw, describe, _layers)
