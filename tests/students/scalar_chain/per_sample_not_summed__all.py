"""Vectorised over the samples and forgot the final np.sum: returns the array of N per-sample
terms (and sgd_step returns three arrays)."""
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
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return (y_hat - y) * y_hat * (1 - y_hat) * h


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return (y_hat - y) * y_hat * (1 - y_hat) * w2 * h * (1 - h) * x


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    delta2 = (y_hat - y) * y_hat * (1 - y_hat)
    delta1 = delta2 * w2 * h * (1 - h)
    return delta1 + delta2


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    delta2 = (y_hat - y) * y_hat * (1 - y_hat)
    delta1 = delta2 * w2 * h * (1 - h)
    w1_new = w1 - lr * delta1 * x
    w2_new = w2 - lr * delta2 * h
    b_new = b - lr * (delta1 + delta2)
    return w1_new, w2_new, b_new
