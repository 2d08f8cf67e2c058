"""Correct: vectorised numpy over the samples, one named chain-rule factor per line."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": (),
    "scalar_chain.dL_dw1": (),
    "scalar_chain.dL_db": (),
    "scalar_chain.sgd_step": (),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def forward(x, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return h, y_hat


def dL_dw2(x, y, w1, w2, b):
    h, y_hat = forward(x, w1, w2, b)
    dL_dyhat = y_hat - y
    dyhat_dz2 = y_hat * (1 - y_hat)
    dz2_dw2 = h
    return np.sum(dL_dyhat * dyhat_dz2 * dz2_dw2)


def dL_dw1(x, y, w1, w2, b):
    h, y_hat = forward(x, w1, w2, b)
    dL_dyhat = y_hat - y
    dyhat_dz2 = y_hat * (1 - y_hat)
    dz2_dh = w2
    dh_dz1 = h * (1 - h)
    dz1_dw1 = x
    return np.sum(dL_dyhat * dyhat_dz2 * dz2_dh * dh_dz1 * dz1_dw1)


def dL_db(x, y, w1, w2, b):
    h, y_hat = forward(x, w1, w2, b)
    dL_dz2 = (y_hat - y) * y_hat * (1 - y_hat)
    dL_dz1 = dL_dz2 * w2 * h * (1 - h)
    # b appears in z1 and in z2, with dz1/db = dz2/db = 1
    return np.sum(dL_dz2) + np.sum(dL_dz1)


def sgd_step(x, y, w1, w2, b, lr):
    h, y_hat = forward(x, w1, w2, b)
    dL_dz2 = (y_hat - y) * y_hat * (1 - y_hat)
    dL_dz1 = dL_dz2 * w2 * h * (1 - h)
    grad_w1 = np.sum(dL_dz1 * x)
    grad_w2 = np.sum(dL_dz2 * h)
    grad_b = np.sum(dL_dz1 + dL_dz2)
    return w1 - lr * grad_w1, w2 - lr * grad_w2, b - lr * grad_b
