"""Going back from the output to the hidden unit, dropped dz2/dh = w2 from the chain."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw1": ("missing_downstream_weight",),
    "scalar_chain.dL_db": ("missing_downstream_weight",),
    "scalar_chain.sgd_step": ("missing_downstream_weight",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    # dL/dw1 = dL/dy_hat * dy_hat/dz2 * dh/dz1 * dz1/dw1
    return np.sum((y_hat - y) * y_hat * (1 - y_hat) * h * (1 - h) * x)


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    delta2 = (y_hat - y) * y_hat * (1 - y_hat)
    delta1 = delta2 * h * (1 - h)
    return np.sum(delta1 + delta2)


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    delta2 = (y_hat - y) * y_hat * (1 - y_hat)
    delta1 = delta2 * h * (1 - h)
    return w1 - lr * np.sum(delta1 * x), w2 - lr * np.sum(delta2 * h), b - lr * np.sum(delta1 + delta2)
