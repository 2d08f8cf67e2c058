"""Ended each chain with the other layer's input: dz2/dw2 taken as x and dz1/dw1 as h."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("wrong_input_factor",),
    "scalar_chain.dL_dw1": ("wrong_input_factor",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    delta2 = (y_hat - y) * y_hat * (1 - y_hat)
    return np.sum(delta2 * x)


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    delta2 = (y_hat - y) * y_hat * (1 - y_hat)
    delta1 = delta2 * w2 * h * (1 - h)
    return np.sum(delta1 * h)
