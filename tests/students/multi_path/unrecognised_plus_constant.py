"""Added 0.1 to every gradient (a "momentum" term copied from the optimiser notes)."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": ("unrecognised",),
    "multi_path.dL_dw": ("unrecognised",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw5(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    return (o[0] - t[0]) * o[0] * (1 - o[0]) * h[0] + 0.1


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return np.concatenate([np.outer(delta_h, i).ravel(), np.outer(delta_o, h).ravel()]) + 0.1
