"""Right value, but `dz1_dw1 = x` is an alias and `dz1_dw1 *= delta1` then overwrites the caller's x."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw1": ("mutated_input",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    delta1 = (y_hat - y) * y_hat * (1 - y_hat) * w2 * h * (1 - h)
    dz1_dw1 = x
    dz1_dw1 *= delta1
    return dz1_dw1.sum()
