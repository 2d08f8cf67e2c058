"""dL/dh1 = (o1 - t1) h1 + (o2 - t2) h1: the weights replaced by h1 ("dw/dh1") and the output
sigmoids' derivatives forgotten."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dh1": ("chain_through_weight", "missing_sigma_prime_layer2"),
    "multi_path.dL_dw1": ("chain_through_weight", "missing_sigma_prime_layer2"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dh1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    return (o1 - t[0]) * h1 + (o2 - t[1]) * h1


def dL_dw1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    dL_dh1 = (o1 - t[0]) * h1 + (o2 - t[1]) * h1
    return dL_dh1 * h1 * (1 - h1) * i[0]
