"""Wrote a correct sigmoid_prime(z) helper but called it on the activation (sigmoid_prime(y_hat) in
dL_dw2, sigmoid_prime(h) elsewhere) instead of on the pre-activation."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("sigma_prime_of_activation",),
    "scalar_chain.dL_dw1": ("sigma_prime_of_activation",),
    "scalar_chain.dL_db": ("sigma_prime_of_activation",),
    "scalar_chain.sgd_step": ("sigma_prime_of_activation",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def dL_dw2(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.sum((y_hat - y) * sigmoid_prime(y_hat) * h)


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    z2 = h * w2 + b
    y_hat = sigmoid(z2)
    return np.sum((y_hat - y) * sigmoid_prime(z2) * w2 * sigmoid_prime(h) * x)


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    z2 = h * w2 + b
    y_hat = sigmoid(z2)
    d2 = (y_hat - y) * sigmoid_prime(z2)
    d1 = d2 * w2 * sigmoid_prime(h)
    return np.sum(d2 + d1)


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    z2 = h * w2 + b
    y_hat = sigmoid(z2)
    d2 = (y_hat - y) * sigmoid_prime(z2)
    d1 = d2 * w2 * sigmoid_prime(h)
    return w1 - lr * np.sum(d1 * x), w2 - lr * np.sum(d2 * h), b - lr * np.sum(d1 + d2)
