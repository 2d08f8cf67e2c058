"""b1 counted through h2 only and b2 through o1 only."""
import numpy as np

EXPECTED = {
    "multi_path.dL_db": ("bias_single_path",),
}
WHERE = {
    "multi_path.dL_db": "for b1 (through h2 only) and for b2 (through o1 only)",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_db(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    delta_o1 = (o1 - t[0]) * o1 * (1 - o1)
    delta_o2 = (o2 - t[1]) * o2 * (1 - o2)
    delta_h1 = (delta_o1 * w5 + delta_o2 * w7) * h1 * (1 - h1)
    delta_h2 = (delta_o1 * w6 + delta_o2 * w8) * h2 * (1 - h2)
    return np.array([delta_h2, delta_o1])
