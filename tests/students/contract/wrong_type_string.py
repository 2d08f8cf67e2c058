"""Returns the gradient formatted for printing, f"{grad:.6f}": a string, not a number."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": ("wrong_type",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw5(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    grad = (o[0] - t[0]) * o[0] * (1 - o[0]) * h[0]
    return f"{grad:.6f}"
