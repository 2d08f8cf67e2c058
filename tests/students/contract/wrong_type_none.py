"""Computes dL/db correctly into a variable and forgets the `return`: the function returns None."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_db": ("wrong_type",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    d2 = (y_hat - y) * y_hat * (1 - y_hat)
    d1 = d2 * w2 * h * (1 - h)
    grad_b = np.sum(d1 + d2)
