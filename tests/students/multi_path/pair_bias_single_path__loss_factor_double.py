"""Bias gradients through h1 and o1 only, with the loss derivative written 2(o - t)."""
import numpy as np

EXPECTED = {
    "multi_path.dL_db": ("bias_single_path", "loss_factor_double"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = 2 * (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return np.array([delta_h[0], delta_o[0]])
