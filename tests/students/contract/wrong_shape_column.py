"""All eight weight gradients right, but stacked into an (8, 1) column instead of shape (8,)."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw": ("wrong_shape",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return np.vstack([np.outer(delta_h, i).reshape(-1, 1), np.outer(delta_o, h).reshape(-1, 1)])
