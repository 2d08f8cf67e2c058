"""Followed b into the hidden unit only (as if it were the hidden layer's bias) and missed that it
also enters z2 directly."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_db": ("bias_single_path",),
    "scalar_chain.sgd_step": ("bias_single_path",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    # same chain as for w1, with dz1/db = 1 instead of x
    return np.sum((y_hat - y) * y_hat * (1 - y_hat) * w2 * h * (1 - h))


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    delta2 = (y_hat - y) * y_hat * (1 - y_hat)
    delta1 = delta2 * w2 * h * (1 - h)
    return w1 - lr * np.sum(delta1 * x), w2 - lr * np.sum(delta2 * h), b - lr * np.sum(delta1)
