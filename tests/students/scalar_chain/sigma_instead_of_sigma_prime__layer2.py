"""Used sigma(z2) = y_hat for the output sigmoid's derivative (the hidden layer's h(1 - h) is right)."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw1": ("sigma_instead_of_sigma_prime",),
    "scalar_chain.dL_db": ("sigma_instead_of_sigma_prime",),
    "scalar_chain.sgd_step": ("sigma_instead_of_sigma_prime",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    delta_out = (y_hat - y) * y_hat
    return np.sum(delta_out * w2 * h * (1 - h) * x)


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    delta_out = (y_hat - y) * y_hat
    delta_hidden = delta_out * w2 * h * (1 - h)
    return np.sum(delta_out) + np.sum(delta_hidden)


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    delta_out = (y_hat - y) * y_hat
    delta_hidden = delta_out * w2 * h * (1 - h)
    return (w1 - lr * np.sum(delta_hidden * x),
            w2 - lr * np.sum(delta_out * h),
            b - lr * np.sum(delta_out + delta_hidden))
