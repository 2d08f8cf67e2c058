"""Unpacked the weights with 1-based indices, w[1] ... w[8]: IndexError on w[8]."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw1": ("raised",),
    "multi_path.dL_dw5": ("raised",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw5(i, t, w, b):
    w1, w2, w3, w4 = w[1], w[2], w[3], w[4]
    w5, w6, w7, w8 = w[5], w[6], w[7], w[8]
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    return (o1 - t[0]) * o1 * (1 - o1) * h1


def dL_dw1(i, t, w, b):
    w1, w2, w3, w4 = w[1], w[2], w[3], w[4]
    w5, w6, w7, w8 = w[5], w[6], w[7], w[8]
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    dh1 = (o1 - t[0]) * o1 * (1 - o1) * w5 + (o2 - t[1]) * o2 * (1 - o2) * w7
    return dh1 * h1 * (1 - h1) * i[0]
