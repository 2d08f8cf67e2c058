"""Stopped the chain at dL/dh_j and multiplied straight by the input: the hidden sigmoid's
derivative h_j(1 - h_j) is missing."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw1": ("missing_sigma_prime_layer1",),
    "multi_path.dL_dw": ("missing_sigma_prime_layer1",),
    "multi_path.dL_db": ("missing_sigma_prime_layer1",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    dL_dh1 = (o1 - t[0]) * o1 * (1 - o1) * w5 + (o2 - t[1]) * o2 * (1 - o2) * w7
    return dL_dh1 * i[0]


def dL_dw(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    d1 = (o1 - t[0]) * o1 * (1 - o1)
    d2 = (o2 - t[1]) * o2 * (1 - o2)
    e_h1 = d1 * w5 + d2 * w7
    e_h2 = d1 * w6 + d2 * w8
    return np.array([e_h1 * i[0], e_h1 * i[1], e_h2 * i[0], e_h2 * i[1],
                     d1 * h1, d1 * h2, d2 * h1, d2 * h2])


def dL_db(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    d1 = (o1 - t[0]) * o1 * (1 - o1)
    d2 = (o2 - t[1]) * o2 * (1 - o2)
    e_h1 = d1 * w5 + d2 * w7
    e_h2 = d1 * w6 + d2 * w8
    return np.array([e_h1 + e_h2, d1 + d2])
