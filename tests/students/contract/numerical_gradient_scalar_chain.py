"""dL/dw1 by central finite differences of the student's own loss, h = 1e-6, instead of the chain rule."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw1": ("numerical_gradient",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def loss(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return 0.5 * np.sum((y - y_hat) ** 2)


def dL_dw1(x, y, w1, w2, b):
    eps = 1e-6
    return (loss(x, y, w1 + eps, w2, b) - loss(x, y, w1 - eps, w2, b)) / (2 * eps)
