"""dL/dw5 = (o1 - t1) * h2: the w6 connection's input, and no o1(1 - o1)."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": ("missing_sigma_prime_layer2", "wrong_weight_index"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw5(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    return (o1 - t[0]) * h2
