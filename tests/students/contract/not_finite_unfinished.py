"""Unfinished: the gradient array starts as NaN and only the output-layer weights w5..w8 are filled in."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw": ("not_finite",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw(i, t, w, b):
    grad = np.full(8, np.nan)
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    grad[4:] = np.outer(delta_o, h).ravel()
    # TODO: w1..w4
    return grad
