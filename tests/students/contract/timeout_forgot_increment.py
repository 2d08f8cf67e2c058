"""A while-loop over the samples that never increments its counter: it never returns."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("timeout",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    grad = 0.0
    n = 0
    while n < len(x):
        h = sigmoid(x[n] * w1 + b)
        y_hat = sigmoid(h * w2 + b)
        grad += (y_hat - y[n]) * y_hat * (1 - y_hat) * h
    return grad
