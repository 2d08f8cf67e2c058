"""Used 2(y_hat - y) for the loss derivative and multiplied each chain by the wrong layer's input
(x for w2, h for w1)."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("loss_factor_double", "wrong_input_factor"),
    "scalar_chain.dL_dw1": ("loss_factor_double", "wrong_input_factor"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.sum(2 * (y_hat - y) * y_hat * (1 - y_hat) * x)


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.sum(2 * (y_hat - y) * y_hat * (1 - y_hat) * w2 * h * (1 - h) * h)
