"""Two slips: error written (y - y_hat), and the hidden sigmoid's derivative h(1 - h) left out."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw1": ("missing_sigma_prime_layer1", "sign_flipped"),
    "scalar_chain.dL_db": ("missing_sigma_prime_layer1", "sign_flipped"),
    "scalar_chain.sgd_step": ("missing_sigma_prime_layer1", "sign_flipped"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw1(x, y, w1, w2, b):
    g = 0.0
    for xn, yn in zip(x, y):
        h = sigmoid(xn * w1 + b)
        p = sigmoid(h * w2 + b)
        g += (yn - p) * p * (1 - p) * w2 * xn
    return g


def dL_db(x, y, w1, w2, b):
    g = 0.0
    for xn, yn in zip(x, y):
        h = sigmoid(xn * w1 + b)
        p = sigmoid(h * w2 + b)
        d = (yn - p) * p * (1 - p)
        g += d + d * w2
    return g


def sgd_step(x, y, w1, w2, b, lr):
    g1 = g2 = gb = 0.0
    for xn, yn in zip(x, y):
        h = sigmoid(xn * w1 + b)
        p = sigmoid(h * w2 + b)
        d = (yn - p) * p * (1 - p)
        g1 += d * w2 * xn
        g2 += d * h
        gb += d + d * w2
    return w1 - lr * g1, w2 - lr * g2, b - lr * gb
