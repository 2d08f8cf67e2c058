"""Each bias counted through the second unit it feeds only (h2 for b1, o2 for b2), as the last
assignment in a loop that should have added."""
import numpy as np

EXPECTED = {
    "multi_path.dL_db": ("bias_single_path",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    grad = np.zeros(2)
    for k in range(2):
        grad[0] = delta_h[k]
        grad[1] = delta_o[k]
    return grad
