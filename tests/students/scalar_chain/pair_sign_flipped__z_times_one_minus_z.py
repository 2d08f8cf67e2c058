"""Two slips at once: the error written as (y - y_hat), and a sigmoid_prime(z) = z * (1 - z) helper
used at both layers."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("sign_flipped", "z_times_one_minus_z"),
    "scalar_chain.dL_dw1": ("sign_flipped", "z_times_one_minus_z"),
    "scalar_chain.sgd_step": ("sign_flipped", "z_times_one_minus_z"),
}
WHERE = {
    "scalar_chain.dL_dw1": "at both layers",
    "scalar_chain.sgd_step": "at both layers",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return z * (1 - z)


def dL_dw2(x, y, w1, w2, b):
    h = sigmoid(w1 * x + b)
    z2 = w2 * h + b
    return np.sum((y - sigmoid(z2)) * sigmoid_prime(z2) * h)


def dL_dw1(x, y, w1, w2, b):
    z1 = w1 * x + b
    h = sigmoid(z1)
    z2 = w2 * h + b
    return np.sum((y - sigmoid(z2)) * sigmoid_prime(z2) * w2 * sigmoid_prime(z1) * x)


def sgd_step(x, y, w1, w2, b, lr):
    z1 = w1 * x + b
    h = sigmoid(z1)
    z2 = w2 * h + b
    e = (y - sigmoid(z2)) * sigmoid_prime(z2)
    e1 = e * w2 * sigmoid_prime(z1)
    return w1 - lr * (e1 @ x), w2 - lr * (e @ h), b - lr * (e.sum() + e1.sum())
