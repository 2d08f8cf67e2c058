"""Differentiated a mean squared error without the ½: 2 * mean(...) over the samples. With 4
samples that is the same as half the gradient, so it only shows on other sample counts."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("loss_factor_double", "mean_instead_of_sum"),
    "scalar_chain.dL_dw1": ("loss_factor_double", "mean_instead_of_sum"),
    "scalar_chain.dL_db": ("loss_factor_double", "mean_instead_of_sum"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.mean(2 * (y_hat - y) * y_hat * (1 - y_hat) * h)


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.mean(2 * (y_hat - y) * y_hat * (1 - y_hat) * w2 * h * (1 - h) * x)


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    d2 = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    return np.mean(d2 + d2 * w2 * h * (1 - h))
