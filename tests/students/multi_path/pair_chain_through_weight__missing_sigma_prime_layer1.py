"""Wrote dz_o/dh1 as h1 (a weight treated as a function of h1) and then left out h1(1 - h1). The
same numbers come from dropping the weights w5, w7 (taken as 1) and using sigma(z) for sigma'(z) at
the hidden layer, so both explanations are given."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw1": ("chain_through_weight", "missing_sigma_prime_layer1"),
    "multi_path.dL_dw": ("chain_through_weight", "missing_sigma_prime_layer1"),
}
READINGS = {
    "multi_path.dL_dw1": [("chain_through_weight", "missing_sigma_prime_layer1"),
                          ("missing_downstream_weight", "sigma_instead_of_sigma_prime")],
    "multi_path.dL_dw": [("chain_through_weight", "missing_sigma_prime_layer1"),
                         ("missing_downstream_weight", "sigma_instead_of_sigma_prime")],
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    dL_dh1 = (o1 - t[0]) * o1 * (1 - o1) * h1 + (o2 - t[1]) * o2 * (1 - o2) * h1
    return dL_dh1 * i[0]


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    dL_dh = delta_o.sum() * h
    return np.concatenate([np.outer(dL_dh, i).ravel(), np.outer(delta_o, h).ravel()])
