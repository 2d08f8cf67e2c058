"""Returned the biases in the order (b2, b1), and followed b1 into h2 only."""
import numpy as np

EXPECTED = {
    "multi_path.dL_db": ("bias_single_path", "wrong_weight_index"),
}
WHERE = {
    "multi_path.dL_db": "for b1 (through h2 only)",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return np.array([delta_o[0] + delta_o[1], delta_h[1]])
