"""Off-by-one in the sample loop: prediction n is compared with target y[n - 1] (y[-1] for the first)."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("unrecognised",),
    "scalar_chain.dL_dw1": ("unrecognised",),
    "scalar_chain.dL_db": ("unrecognised",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    g = 0.0
    for n in range(len(x)):
        h = sigmoid(x[n] * w1 + b)
        y_hat = sigmoid(h * w2 + b)
        g += (y_hat - y[n - 1]) * y_hat * (1 - y_hat) * h
    return g


def dL_dw1(x, y, w1, w2, b):
    g = 0.0
    for n in range(len(x)):
        h = sigmoid(x[n] * w1 + b)
        y_hat = sigmoid(h * w2 + b)
        g += (y_hat - y[n - 1]) * y_hat * (1 - y_hat) * w2 * h * (1 - h) * x[n]
    return g


def dL_db(x, y, w1, w2, b):
    g = 0.0
    for n in range(len(x)):
        h = sigmoid(x[n] * w1 + b)
        y_hat = sigmoid(h * w2 + b)
        d2 = (y_hat - y[n - 1]) * y_hat * (1 - y_hat)
        g += d2 * (1 + w2 * h * (1 - h))
    return g
