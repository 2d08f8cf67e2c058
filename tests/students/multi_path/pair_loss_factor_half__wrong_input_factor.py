"""Kept the 1/2 of the loss and multiplied by the wrong layer's input (i1 for w5, h1 for w1)."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": ("loss_factor_half", "wrong_input_factor"),
    "multi_path.dL_dw1": ("loss_factor_half", "wrong_input_factor"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw5(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    return 0.5 * (o1 - t[0]) * o1 * (1 - o1) * i[0]


def dL_dw1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    dL_dh1 = 0.5 * (o1 - t[0]) * o1 * (1 - o1) * w5 + 0.5 * (o2 - t[1]) * o2 * (1 - o2) * w7
    return dL_dh1 * h1 * (1 - h1) * h1
