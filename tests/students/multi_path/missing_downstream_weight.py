"""Summed the two output deltas to get dL/dh1 but left out the weights w5 and w7 they travel along."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dh1": ("missing_downstream_weight",),
    "multi_path.dL_dw1": ("missing_downstream_weight",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dh1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    return (o1 - t[0]) * o1 * (1 - o1) + (o2 - t[1]) * o2 * (1 - o2)


def dL_dw1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    delta_o1 = (o1 - t[0]) * o1 * (1 - o1)
    delta_o2 = (o2 - t[1]) * o2 * (1 - o2)
    return (delta_o1 + delta_o2) * h1 * (1 - h1) * i[0]
