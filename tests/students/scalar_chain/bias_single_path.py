"""Treated b as the output unit's bias only: dL/db = sum of (y_hat - y) y_hat (1 - y_hat), without
the path through the hidden unit."""
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
    dL_dyhat = y_hat - y
    dyhat_dz2 = y_hat * (1 - y_hat)
    dz2_db = 1
    return np.sum(dL_dyhat * dyhat_dz2 * dz2_db)


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    delta2 = (y_hat - y) * y_hat * (1 - y_hat)
    delta1 = delta2 * w2 * h * (1 - h)
    grad_w1 = np.sum(delta1 * x)
    grad_w2 = np.sum(delta2 * h)
    grad_b = np.sum(delta2)
    return w1 - lr * grad_w1, w2 - lr * grad_w2, b - lr * grad_b
