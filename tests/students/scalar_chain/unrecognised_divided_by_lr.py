"""sgd_step divides the gradient by the learning rate instead of multiplying: w - grad / lr."""
import numpy as np

EXPECTED = {
    "scalar_chain.sgd_step": ("unrecognised",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    d2 = (y_hat - y) * y_hat * (1 - y_hat)
    d1 = d2 * w2 * h * (1 - h)
    return w1 - np.sum(d1 * x) / lr, w2 - np.sum(d2 * h) / lr, b - np.sum(d1 + d2) / lr
