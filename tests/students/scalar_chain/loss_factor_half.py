"""Kept the 1/2 of the loss in front after differentiating: dL/dy_hat = 0.5 * (y_hat - y), every
gradient half as big."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("loss_factor_half",),
    "scalar_chain.dL_dw1": ("loss_factor_half",),
    "scalar_chain.dL_db": ("loss_factor_half",),
    "scalar_chain.sgd_step": ("loss_factor_half",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    err = 0.5 * (y_hat - y)
    return np.sum(err * y_hat * (1 - y_hat) * h)


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    err = 0.5 * (y_hat - y)
    return np.sum(err * y_hat * (1 - y_hat) * w2 * h * (1 - h) * x)


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    err = 0.5 * (y_hat - y)
    d2 = err * y_hat * (1 - y_hat)
    d1 = d2 * w2 * h * (1 - h)
    return np.sum(d1) + np.sum(d2)


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    err = 0.5 * (y_hat - y)
    d2 = err * y_hat * (1 - y_hat)
    d1 = d2 * w2 * h * (1 - h)
    return (w1 - lr * np.sum(d1 * x),
            w2 - lr * np.sum(d2 * h),
            b - lr * np.sum(d1 + d2))
