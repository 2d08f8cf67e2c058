"""Wrote a sigmoid_prime helper that returns the sigmoid itself (forgot the (1 - sigma) part) and
used it wherever a sigma' is needed, so both layers get sigma(z) instead of sigma'(z)."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("sigma_instead_of_sigma_prime",),
    "scalar_chain.dL_dw1": ("sigma_instead_of_sigma_prime",),
    "scalar_chain.dL_db": ("sigma_instead_of_sigma_prime",),
    "scalar_chain.sgd_step": ("sigma_instead_of_sigma_prime",),
}
WHERE = {
    "scalar_chain.dL_dw2": "at layer 2",
    "scalar_chain.dL_dw1": "at both layers",
    "scalar_chain.dL_db": "at both layers",
    "scalar_chain.sgd_step": "at both layers",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z)


def dL_dw2(x, y, w1, w2, b):
    z1 = x * w1 + b
    h = sigmoid(z1)
    z2 = h * w2 + b
    y_hat = sigmoid(z2)
    return np.sum((y_hat - y) * sigmoid_prime(z2) * h)


def dL_dw1(x, y, w1, w2, b):
    z1 = x * w1 + b
    h = sigmoid(z1)
    z2 = h * w2 + b
    y_hat = sigmoid(z2)
    return np.sum((y_hat - y) * sigmoid_prime(z2) * w2 * sigmoid_prime(z1) * x)


def dL_db(x, y, w1, w2, b):
    z1 = x * w1 + b
    h = sigmoid(z1)
    z2 = h * w2 + b
    y_hat = sigmoid(z2)
    dz2 = (y_hat - y) * sigmoid_prime(z2)
    dz1 = dz2 * w2 * sigmoid_prime(z1)
    return np.sum(dz2) + np.sum(dz1)


def sgd_step(x, y, w1, w2, b, lr):
    z1 = x * w1 + b
    h = sigmoid(z1)
    z2 = h * w2 + b
    y_hat = sigmoid(z2)
    dz2 = (y_hat - y) * sigmoid_prime(z2)
    dz1 = dz2 * w2 * sigmoid_prime(z1)
    gw1, gw2, gb = np.sum(dz1 * x), np.sum(dz2 * h), np.sum(dz1 + dz2)
    return w1 - lr * gw1, w2 - lr * gw2, b - lr * gb
