"""Remembered sigma' as "s(1 - s)" but plugged in the pre-activation: z2(1 - z2) in dL_dw2,
z1(1 - z1) for the hidden unit elsewhere."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("z_times_one_minus_z",),
    "scalar_chain.dL_dw1": ("z_times_one_minus_z",),
    "scalar_chain.dL_db": ("z_times_one_minus_z",),
    "scalar_chain.sgd_step": ("z_times_one_minus_z",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    z2 = h * w2 + b
    y_hat = sigmoid(z2)
    return np.sum((y_hat - y) * z2 * (1 - z2) * h)


def dL_dw1(x, y, w1, w2, b):
    z1 = x * w1 + b
    h = sigmoid(z1)
    y_hat = sigmoid(h * w2 + b)
    return np.sum((y_hat - y) * y_hat * (1 - y_hat) * w2 * z1 * (1 - z1) * x)


def dL_db(x, y, w1, w2, b):
    z1 = x * w1 + b
    h = sigmoid(z1)
    y_hat = sigmoid(h * w2 + b)
    d_out = (y_hat - y) * y_hat * (1 - y_hat)
    d_hid = d_out * w2 * z1 * (1 - z1)
    return np.sum(d_out + d_hid)


def sgd_step(x, y, w1, w2, b, lr):
    z1 = x * w1 + b
    h = sigmoid(z1)
    y_hat = sigmoid(h * w2 + b)
    d_out = (y_hat - y) * y_hat * (1 - y_hat)
    d_hid = d_out * w2 * z1 * (1 - z1)
    return w1 - lr * np.sum(d_hid * x), w2 - lr * np.sum(d_out * h), b - lr * np.sum(d_out + d_hid)
