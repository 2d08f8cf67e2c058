"""The `return` is indented into the loop over samples, so every function returns after the
first sample."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("per_sample_not_summed",),
    "scalar_chain.dL_dw1": ("per_sample_not_summed",),
    "scalar_chain.dL_db": ("per_sample_not_summed",),
    "scalar_chain.sgd_step": ("per_sample_not_summed",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    grad = 0.0
    for n in range(len(x)):
        h = sigmoid(x[n] * w1 + b)
        y_hat = sigmoid(h * w2 + b)
        grad += (y_hat - y[n]) * y_hat * (1 - y_hat) * h
        return grad


def dL_dw1(x, y, w1, w2, b):
    grad = 0.0
    for n in range(len(x)):
        h = sigmoid(x[n] * w1 + b)
        y_hat = sigmoid(h * w2 + b)
        grad += (y_hat - y[n]) * y_hat * (1 - y_hat) * w2 * h * (1 - h) * x[n]
        return grad


def dL_db(x, y, w1, w2, b):
    grad = 0.0
    for n in range(len(x)):
        h = sigmoid(x[n] * w1 + b)
        y_hat = sigmoid(h * w2 + b)
        d2 = (y_hat - y[n]) * y_hat * (1 - y_hat)
        grad += d2 + d2 * w2 * h * (1 - h)
        return grad


def sgd_step(x, y, w1, w2, b, lr):
    g1 = g2 = gb = 0.0
    for n in range(len(x)):
        h = sigmoid(x[n] * w1 + b)
        y_hat = sigmoid(h * w2 + b)
        d2 = (y_hat - y[n]) * y_hat * (1 - y_hat)
        d1 = d2 * w2 * h * (1 - h)
        g1 += d1 * x[n]
        g2 += d2 * h
        gb += d1 + d2
        return w1 - lr * g1, w2 - lr * g2, b - lr * gb
