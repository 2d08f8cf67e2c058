"""Followed b into the hidden unit only, and a derivative helper applied to the activations
(sigmoid_prime(h), sigmoid_prime(y_hat)) at both layers."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_db": ("bias_single_path", "sigma_prime_of_activation"),
    "scalar_chain.sgd_step": ("bias_single_path", "sigma_prime_of_activation"),
}
WHERE = {
    "scalar_chain.dL_db": "at both layers",
    "scalar_chain.sgd_step": "at both layers",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.sum((y_hat - y) * sigmoid_prime(y_hat) * w2 * sigmoid_prime(h))


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    d2 = (y_hat - y) * sigmoid_prime(y_hat)
    d1 = d2 * w2 * sigmoid_prime(h)
    return w1 - lr * np.sum(d1 * x), w2 - lr * np.sum(d2 * h), b - lr * np.sum(d1)
