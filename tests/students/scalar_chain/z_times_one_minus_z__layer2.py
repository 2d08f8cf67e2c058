"""Output sigmoid's derivative written z2 * (1 - z2) with the pre-activation; hidden layer right."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw1": ("z_times_one_minus_z",),
    "scalar_chain.dL_db": ("z_times_one_minus_z",),
    "scalar_chain.sgd_step": ("z_times_one_minus_z",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    z2 = h * w2 + b
    y_hat = sigmoid(z2)
    return np.sum((y_hat - y) * z2 * (1 - z2) * w2 * h * (1 - h) * x)


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    z2 = h * w2 + b
    y_hat = sigmoid(z2)
    d_out = (y_hat - y) * z2 * (1 - z2)
    return np.sum(d_out + d_out * w2 * h * (1 - h))


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    z2 = h * w2 + b
    y_hat = sigmoid(z2)
    d_out = (y_hat - y) * z2 * (1 - z2)
    d_hid = d_out * w2 * h * (1 - h)
    return w1 - lr * np.sum(d_hid * x), w2 - lr * np.sum(d_out * h), b - lr * np.sum(d_out + d_hid)
