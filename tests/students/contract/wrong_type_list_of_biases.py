"""dL_db returned as a plain list [dL/db1, dL/db2] instead of an array."""
import numpy as np

EXPECTED = {
    "multi_path.dL_db": ("wrong_type",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return [delta_h[0] + delta_h[1], delta_o[0] + delta_o[1]]
