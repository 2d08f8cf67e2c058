"""Averaged the per-sample gradients with np.mean, as for an MSE loss, although L is a sum over
the samples."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("mean_instead_of_sum",),
    "scalar_chain.dL_dw1": ("mean_instead_of_sum",),
    "scalar_chain.dL_db": ("mean_instead_of_sum",),
    "scalar_chain.sgd_step": ("mean_instead_of_sum",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.mean((y_hat - y) * y_hat * (1 - y_hat) * h)


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.mean((y_hat - y) * y_hat * (1 - y_hat) * w2 * h * (1 - h) * x)


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    delta_out = (y_hat - y) * y_hat * (1 - y_hat)
    delta_hidden = delta_out * w2 * h * (1 - h)
    return np.mean(delta_out + delta_hidden)


def sgd_step(x, y, w1, w2, b, lr):
    N = len(x)
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    delta_out = (y_hat - y) * y_hat * (1 - y_hat)
    delta_hidden = delta_out * w2 * h * (1 - h)
    grad_w1 = (delta_hidden * x).sum() / N
    grad_w2 = (delta_out * h).sum() / N
    grad_b = (delta_out + delta_hidden).sum() / N
    return w1 - lr * grad_w1, w2 - lr * grad_w2, b - lr * grad_b
