"""Wrote d sigma/dz as sigma(z) itself: at the output layer in dL_dw2, at the hidden layer in the
other functions (the other layer done right)."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("sigma_instead_of_sigma_prime",),
    "scalar_chain.dL_dw1": ("sigma_instead_of_sigma_prime",),
    "scalar_chain.dL_db": ("sigma_instead_of_sigma_prime",),
    "scalar_chain.sgd_step": ("sigma_instead_of_sigma_prime",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    z2 = h * w2 + b
    y_hat = sigmoid(z2)
    dyhat_dz2 = sigmoid(z2)
    return np.sum((y_hat - y) * dyhat_dz2 * h)


def dL_dw1(x, y, w1, w2, b):
    z1 = x * w1 + b
    h = sigmoid(z1)
    y_hat = sigmoid(h * w2 + b)
    dyhat_dz2 = y_hat * (1 - y_hat)
    dh_dz1 = sigmoid(z1)
    return np.sum((y_hat - y) * dyhat_dz2 * w2 * dh_dz1 * x)


def dL_db(x, y, w1, w2, b):
    z1 = x * w1 + b
    h = sigmoid(z1)
    y_hat = sigmoid(h * w2 + b)
    d2 = (y_hat - y) * y_hat * (1 - y_hat)
    d1 = d2 * w2 * sigmoid(z1)
    return np.sum(d1 + d2)


def sgd_step(x, y, w1, w2, b, lr):
    z1 = x * w1 + b
    h = sigmoid(z1)
    y_hat = sigmoid(h * w2 + b)
    d2 = (y_hat - y) * y_hat * (1 - y_hat)
    d1 = d2 * w2 * sigmoid(z1)
    return w1 - lr * np.sum(d1 * x), w2 - lr * np.sum(d2 * h), b - lr * np.sum(d1 + d2)
