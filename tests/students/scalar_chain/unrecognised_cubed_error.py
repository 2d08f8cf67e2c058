"""Differentiated the loss as if it were a fourth power: the error enters cubed, (y_hat - y)**3."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("unrecognised",),
    "scalar_chain.dL_dw1": ("unrecognised",),
    "scalar_chain.dL_db": ("unrecognised",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.sum((y_hat - y) ** 3 * y_hat * (1 - y_hat) * h)


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.sum((y_hat - y) ** 3 * y_hat * (1 - y_hat) * w2 * h * (1 - h) * x)


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    d2 = (y_hat - y) ** 3 * y_hat * (1 - y_hat)
    return np.sum(d2 + d2 * w2 * h * (1 - h))
