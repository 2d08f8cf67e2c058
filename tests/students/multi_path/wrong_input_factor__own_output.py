"""Ended every weight's chain with the output of the unit the weight feeds: o1 for w5 (instead of
h1), h1 for w1 (instead of i1)."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": ("wrong_input_factor",),
    "multi_path.dL_dw1": ("wrong_input_factor",),
    "multi_path.dL_dw": ("wrong_input_factor",),
}
WHERE = {
    "multi_path.dL_dw5": "for w5..w8 (o where h belongs)",
    "multi_path.dL_dw1": "for w1..w4 (h where i belongs)",
    "multi_path.dL_dw": "for w1..w4 (h where i belongs) and for w5..w8 (o where h belongs)",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _forward(i, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    return W2, h, o


def dL_dw5(i, t, w, b):
    _, _, o = _forward(i, w, b)
    return (o[0] - t[0]) * o[0] * (1 - o[0]) * o[0]


def dL_dw1(i, t, w, b):
    W2, h, o = _forward(i, w, b)
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return delta_h[0] * h[0]


def dL_dw(i, t, w, b):
    W2, h, o = _forward(i, w, b)
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return np.concatenate([np.outer(delta_h, h).ravel(), np.outer(delta_o, o).ravel()])
