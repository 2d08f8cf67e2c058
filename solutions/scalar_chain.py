"""Exercise 1: one input, two sigmoid units, the same bias b in both layers.

    h = σ(x·w1 + b),   ŷ = σ(h·w2 + b),   L = ½ Σ_n (y_n - ŷ_n)²
"""
import numpy as np

from .factors import NONE, sigmoid, loss_grad, sigma_prime, layer_input, total


def layers(x, w1, w2, b):
    """The forward pass with its pre-activations: (z1, h, z2, ŷ) for every sample."""
    z1 = x * w1 + b
    h = sigmoid(z1)                                                   # layer 1
    z2 = h * w2 + b
    y_hat = sigmoid(z2)                                               # layer 2
    return z1, h, z2, y_hat


def forward(x, w1, w2, b):
    """Return (h, ŷ) for every sample."""
    _, h, _, y_hat = layers(x, w1, w2, b)
    return h, y_hat


def loss(x, y, w1, w2, b):
    """L = ½ Σ_n (y_n - ŷ_n)²."""
    _, y_hat = forward(x, w1, w2, b)
    return 0.5 * np.sum((y - y_hat) ** 2)


def gradients(x, y, w1, w2, b, mistakes=NONE, known=None):
    """{'w1', 'w2', 'b'}: ∂L/∂ of each parameter, summed over the samples.

    `known` is layers(x, w1, w2, b) when the caller has it already (no mistake changes the forward pass).
    """
    m = mistakes
    z1, h, z2, y_hat = known or layers(x, w1, w2, b)
    d2 = loss_grad(y_hat, y, m) * sigma_prime(y_hat, z2, 2, m)        # δ2 = ∂L/∂z2 = (ŷ - y) ŷ(1 - ŷ)
    w2_path = 1.0 if "missing_downstream_weight" in m else w2
    d1 = d2 * w2_path * sigma_prime(h, z1, 1, m)                      # δ1 = ∂L/∂z1 = δ2 w2 h(1 - h)
    db = d1 + d2                                                      # ∂z1/∂b = ∂z2/∂b = 1: b feeds both layers
    if "bias_single_path:layer1" in m:
        db = d1                                                       # b followed into layer 1 only
    if "bias_single_path:layer2" in m:
        db = d2                                                       # b followed into layer 2 only
    return {
        "w2": total(d2 * layer_input(h, x, 2, m, y_hat), m),          # ∂L/∂w2 = Σ δ2 h
        "w1": total(d1 * layer_input(x, h, 1, m), m),                 # ∂L/∂w1 = Σ δ1 x
        "b": total(db, m),                                            # ∂L/∂b  = Σ (δ1 + δ2)
    }


def dL_dw2(x, y, w1, w2, b):
    return gradients(x, y, w1, w2, b)["w2"]


def dL_dw1(x, y, w1, w2, b):
    return gradients(x, y, w1, w2, b)["w1"]


def dL_db(x, y, w1, w2, b):
    return gradients(x, y, w1, w2, b)["b"]


def sgd_step(x, y, w1, w2, b, lr, mistakes=NONE, known=None):
    """One step w <- w - lr ∂L/∂w, every gradient taken at the old weights (`known`: see gradients)."""
    if "post_update_weights:w1_first" in mistakes:                    # w1 updated, then used for w2 and b
        w1 = w1 - lr * gradients(x, y, w1, w2, b, mistakes, known)["w1"]
        w2 = w2 - lr * gradients(x, y, w1, w2, b, mistakes)["w2"]
        return w1, w2, b - lr * gradients(x, y, w1, w2, b, mistakes)["b"]
    if "post_update_weights:w2_first" in mistakes:                    # output layer first, as backprop goes
        w2 = w2 - lr * gradients(x, y, w1, w2, b, mistakes, known)["w2"]
        w1 = w1 - lr * gradients(x, y, w1, w2, b, mistakes)["w1"]
        return w1, w2, b - lr * gradients(x, y, w1, w2, b, mistakes)["b"]
    g = gradients(x, y, w1, w2, b, mistakes, known)
    return w1 - lr * g["w1"], w2 - lr * g["w2"], b - lr * g["b"]
