"""Back to the hidden unit with only (y_hat - y) * h(1 - h): both the output sigmoid's derivative and
the weight w2 left out of the chain."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw1": ("missing_downstream_weight", "missing_sigma_prime_layer2"),
    "scalar_chain.dL_db": ("missing_downstream_weight", "missing_sigma_prime_layer2"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.sum((y_hat - y) * h * (1 - h) * x)


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    e = y_hat - y
    return np.sum(e) + np.sum(e * h * (1 - h))
