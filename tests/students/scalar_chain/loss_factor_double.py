"""Differentiated the square as 2(y_hat - y) and forgot that the 1/2 in L cancels the 2: every
gradient twice too big (written as a loop over samples)."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("loss_factor_double",),
    "scalar_chain.dL_dw1": ("loss_factor_double",),
    "scalar_chain.dL_db": ("loss_factor_double",),
    "scalar_chain.sgd_step": ("loss_factor_double",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    total = 0.0
    for xn, yn in zip(x, y):
        h = sigmoid(w1 * xn + b)
        out = sigmoid(w2 * h + b)
        total += 2 * (out - yn) * out * (1 - out) * h
    return total


def dL_dw1(x, y, w1, w2, b):
    total = 0.0
    for xn, yn in zip(x, y):
        h = sigmoid(w1 * xn + b)
        out = sigmoid(w2 * h + b)
        total += 2 * (out - yn) * out * (1 - out) * w2 * h * (1 - h) * xn
    return total


def dL_db(x, y, w1, w2, b):
    total = 0.0
    for xn, yn in zip(x, y):
        h = sigmoid(w1 * xn + b)
        out = sigmoid(w2 * h + b)
        d_out = 2 * (out - yn) * out * (1 - out)
        total += d_out + d_out * w2 * h * (1 - h)
    return total


def sgd_step(x, y, w1, w2, b, lr):
    g1 = g2 = gb = 0.0
    for xn, yn in zip(x, y):
        h = sigmoid(w1 * xn + b)
        out = sigmoid(w2 * h + b)
        d_out = 2 * (out - yn) * out * (1 - out)
        d_hid = d_out * w2 * h * (1 - h)
        g1 += d_hid * xn
        g2 += d_out * h
        gb += d_out + d_hid
    return w1 - lr * g1, w2 - lr * g2, b - lr * gb
