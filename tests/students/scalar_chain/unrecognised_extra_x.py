"""Multiplied by the input once too often: an extra factor x at the end of every weight's chain."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("unrecognised",),
    "scalar_chain.dL_dw1": ("unrecognised",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.sum((y_hat - y) * y_hat * (1 - y_hat) * h * x)


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.sum((y_hat - y) * y_hat * (1 - y_hat) * w2 * h * (1 - h) * x * x)
