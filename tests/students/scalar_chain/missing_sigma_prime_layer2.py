"""Chain skips the output sigmoid's derivative y_hat(1 - y_hat): dL/dz2 taken as (y_hat - y)."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("missing_sigma_prime_layer2",),
    "scalar_chain.dL_dw1": ("missing_sigma_prime_layer2",),
    "scalar_chain.dL_db": ("missing_sigma_prime_layer2",),
    "scalar_chain.sgd_step": ("missing_sigma_prime_layer2",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.sum((y_hat - y) * h)


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    error = y_hat - y
    return np.sum(error * w2 * h * (1 - h) * x)


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    error = y_hat - y
    return np.sum(error) + np.sum(error * w2 * h * (1 - h))


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    error = y_hat - y
    hidden_error = error * w2 * h * (1 - h)
    w1_new = w1 - lr * np.sum(hidden_error * x)
    w2_new = w2 - lr * np.sum(error * h)
    b_new = b - lr * np.sum(error + hidden_error)
    return w1_new, w2_new, b_new
