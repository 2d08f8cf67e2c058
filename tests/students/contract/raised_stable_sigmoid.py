"""A "numerically stable" sigmoid written with `if z >= 0:`, which raises ValueError (truth value of
an array is ambiguous) as soon as it is given the array of samples."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("raised",),
    "scalar_chain.dL_dw1": ("raised",),
}


def stable_sigmoid(z):
    if z >= 0:
        return 1 / (1 + np.exp(-z))
    else:
        return np.exp(z) / (1 + np.exp(z))


def dL_dw2(x, y, w1, w2, b):
    h = stable_sigmoid(x * w1 + b)
    y_hat = stable_sigmoid(h * w2 + b)
    return np.sum((y_hat - y) * y_hat * (1 - y_hat) * h)


def dL_dw1(x, y, w1, w2, b):
    h = stable_sigmoid(x * w1 + b)
    y_hat = stable_sigmoid(h * w2 + b)
    return np.sum((y_hat - y) * y_hat * (1 - y_hat) * w2 * h * (1 - h) * x)
