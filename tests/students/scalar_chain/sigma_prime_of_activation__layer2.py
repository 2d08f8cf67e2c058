"""Output layer's derivative computed as sigmoid_prime(y_hat) (sigmoid applied twice); the hidden
layer uses sigmoid_prime(z1) correctly."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw1": ("sigma_prime_of_activation",),
    "scalar_chain.dL_db": ("sigma_prime_of_activation",),
    "scalar_chain.sgd_step": ("sigma_prime_of_activation",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def dL_dw1(x, y, w1, w2, b):
    z1 = x * w1 + b
    h = sigmoid(z1)
    y_hat = sigmoid(h * w2 + b)
    return np.sum((y_hat - y) * sigmoid_prime(y_hat) * w2 * sigmoid_prime(z1) * x)


def dL_db(x, y, w1, w2, b):
    z1 = x * w1 + b
    h = sigmoid(z1)
    y_hat = sigmoid(h * w2 + b)
    d2 = (y_hat - y) * sigmoid_prime(y_hat)
    d1 = d2 * w2 * sigmoid_prime(z1)
    return np.sum(d2 + d1)


def sgd_step(x, y, w1, w2, b, lr):
    z1 = x * w1 + b
    h = sigmoid(z1)
    y_hat = sigmoid(h * w2 + b)
    d2 = (y_hat - y) * sigmoid_prime(y_hat)
    d1 = d2 * w2 * sigmoid_prime(z1)
    return w1 - lr * np.sum(d1 * x), w2 - lr * np.sum(d2 * h), b - lr * np.sum(d1 + d2)
