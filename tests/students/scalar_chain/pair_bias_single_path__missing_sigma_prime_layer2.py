"""Treated b as a plain output offset: dL/db = sum(y_hat - y), i.e. one path only and no output
sigmoid derivative."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_db": ("bias_single_path", "missing_sigma_prime_layer2"),
    "scalar_chain.sgd_step": ("bias_single_path", "missing_sigma_prime_layer2"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.sum(y_hat - y)


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    err = y_hat - y
    new_w1 = w1 - lr * np.sum(err * w2 * h * (1 - h) * x)
    new_w2 = w2 - lr * np.sum(err * h)
    new_b = b - lr * np.sum(err)
    return new_w1, new_w2, new_b
