"""Forgot both sigmoid derivatives: back-propagated (y_hat - y) through w2 as if both units were linear."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw1": ("missing_sigma_prime_layer1", "missing_sigma_prime_layer2"),
    "scalar_chain.dL_db": ("missing_sigma_prime_layer1", "missing_sigma_prime_layer2"),
    "scalar_chain.sgd_step": ("missing_sigma_prime_layer1", "missing_sigma_prime_layer2"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.sum((y_hat - y) * w2 * x)


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    e = y_hat - y
    return np.sum(e + e * w2)


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    e = y_hat - y
    return w1 - lr * np.sum(e * w2 * x), w2 - lr * np.sum(e * h), b - lr * np.sum(e * (1 + w2))
