"""Used tanh's derivative 1 - a^2 for both sigmoid units (from a tanh-network tutorial)."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("unrecognised",),
    "scalar_chain.dL_dw1": ("unrecognised",),
    "scalar_chain.dL_db": ("unrecognised",),
    "scalar_chain.sgd_step": ("unrecognised",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.sum((y_hat - y) * (1 - y_hat ** 2) * h)


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.sum((y_hat - y) * (1 - y_hat ** 2) * w2 * (1 - h ** 2) * x)


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    d2 = (y_hat - y) * (1 - y_hat ** 2)
    d1 = d2 * w2 * (1 - h ** 2)
    return np.sum(d1 + d2)


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    d2 = (y_hat - y) * (1 - y_hat ** 2)
    d1 = d2 * w2 * (1 - h ** 2)
    return w1 - lr * np.sum(d1 * x), w2 - lr * np.sum(d2 * h), b - lr * np.sum(d1 + d2)
