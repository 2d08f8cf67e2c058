"""Averaged over the samples and used y_hat itself as the output sigmoid's derivative."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("mean_instead_of_sum", "sigma_instead_of_sigma_prime"),
    "scalar_chain.dL_dw1": ("mean_instead_of_sum", "sigma_instead_of_sigma_prime"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.mean((y_hat - y) * y_hat * h)


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.mean((y_hat - y) * y_hat * w2 * h * (1 - h) * x)
