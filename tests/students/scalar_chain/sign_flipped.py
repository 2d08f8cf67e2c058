"""Wrote dL/dy_hat = (y - y_hat), dropping the inner derivative -1 of (y - y_hat)^2: every gradient
is negated and sgd_step walks uphill."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("sign_flipped",),
    "scalar_chain.dL_dw1": ("sign_flipped",),
    "scalar_chain.dL_db": ("sign_flipped",),
    "scalar_chain.sgd_step": ("sign_flipped",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    dL_dyhat = y - y_hat
    dyhat_dz2 = y_hat * (1 - y_hat)
    dz2_dw2 = h
    return np.sum(dL_dyhat * dyhat_dz2 * dz2_dw2)


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    dL_dyhat = y - y_hat
    dyhat_dz2 = y_hat * (1 - y_hat)
    dz2_dh = w2
    dh_dz1 = h * (1 - h)
    dz1_dw1 = x
    return np.sum(dL_dyhat * dyhat_dz2 * dz2_dh * dh_dz1 * dz1_dw1)


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    dL_dz2 = (y - y_hat) * y_hat * (1 - y_hat)
    dL_dz1 = dL_dz2 * w2 * h * (1 - h)
    return np.sum(dL_dz2 + dL_dz1)


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    delta2 = (y - y_hat) * y_hat * (1 - y_hat)
    delta1 = delta2 * w2 * h * (1 - h)
    g_w1 = np.sum(delta1 * x)
    g_w2 = np.sum(delta2 * h)
    g_b = np.sum(delta1 + delta2)
    return w1 - lr * g_w1, w2 - lr * g_w2, b - lr * g_b
