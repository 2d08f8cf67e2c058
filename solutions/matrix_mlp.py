"""Exercise 2: ∂f/∂W for f = W3 σ(W2 σ(W1 x)), any shapes.

    x (n,)   W1 (m1, n)   W2 (m2, m1)   W3 (1, m2)
    h1 = σ(W1 x),   h2 = σ(W2 h1),   f = W3 h2   (shape (1,))
"""
import numpy as np

from .factors import NONE, sigmoid, sigma_prime, layer_input, outer


def layers(x, W1, W2, W3):
    """The forward pass with its pre-activations: (a1, h1, a2, h2, f)."""
    a1 = W1 @ x
    h1 = sigmoid(a1)                                                  # layer 1
    a2 = W2 @ h1
    h2 = sigmoid(a2)                                                  # layer 2
    return a1, h1, a2, h2, W3 @ h2


def forward(x, W1, W2, W3):
    """Return (h1, h2, f)."""
    _, h1, _, h2, f = layers(x, W1, W2, W3)
    return h1, h2, f


def gradients(x, W1, W2, W3, mistakes=NONE, known=None):
    """{'W1', 'W2', 'W3'}: ∂f/∂W of each weight matrix, same shape as W.

    `known` is layers(x, W1, W2, W3) when the caller has it already (no mistake changes the forward pass).
    """
    m = mistakes
    a1, h1, a2, h2, _ = known or layers(x, W1, W2, W3)
    d3 = np.ones(1)                                                   # δ3 = ∂f/∂f = 1 (linear output)
    h2_in = a2 if "activation_instead_of_preactivation_input" in m else h2
    g3 = outer(d3, layer_input(h2_in, h1, 3, m), m)                   # ∂f/∂W3 = δ3 h2ᵀ
    d2 = (W3.T @ d3) * sigma_prime(h2, a2, 2, m)                      # δ2 = W3ᵀ δ3 ⊙ h2(1 - h2)
    g2 = outer(d2, layer_input(h1, x, 2, m, h2), m)                   # ∂f/∂W2 = δ2 h1ᵀ
    back = W2.T @ d2                                                  # W2ᵀ δ2
    if "weight_not_transposed" in m:
        back = W2 @ d2                                                # W2 δ2: needs a square W2
    if "missing_downstream_weight:dropped" in m:
        back = d2                                                     # no W2ᵀ at all: needs m1 = m2
    if "missing_downstream_weight:ones" in m:
        back = d2.sum() * np.ones(len(h1))                            # W2 taken as all ones: Σ δ2 to every unit
    d1 = back * sigma_prime(h1, a1, 1, m)                             # δ1 = W2ᵀ δ2 ⊙ h1(1 - h1)
    g1 = outer(d1, layer_input(x, h1, 1, m), m)                       # ∂f/∂W1 = δ1 xᵀ
    if "elementwise_chain" in m:                                      # the posted answer: W3 * σ'(W2 h1) * σ'(W1 x)
        g1 = W3 * sigma_prime(h2, a2, 2, m) * sigma_prime(h1, a1, 1, m)
    return {"W1": g1, "W2": g2, "W3": g3}


def df_dW3(x, W1, W2, W3):
    return gradients(x, W1, W2, W3)["W3"]


def df_dW2(x, W1, W2, W3):
    return gradients(x, W1, W2, W3)["W2"]


def df_dW1(x, W1, W2, W3):
    return gradients(x, W1, W2, W3)["W1"]
