"""Took dz/dw to be the output of the unit the weight feeds: w2's gradient ends with y_hat instead
of h (w1's, in the update, with h instead of x)."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("wrong_input_factor",),
    "scalar_chain.sgd_step": ("wrong_input_factor",),
}
WHERE = {
    "scalar_chain.dL_dw2": "for w2 (ŷ where h belongs)",
    "scalar_chain.sgd_step": "for w1 (h where x belongs) and for w2 (ŷ where h belongs)",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return np.sum((y_hat - y) * y_hat * (1 - y_hat) * y_hat)


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    delta_out = (y_hat - y) * y_hat * (1 - y_hat)
    delta_hid = delta_out * w2 * h * (1 - h)
    return (w1 - lr * np.sum(delta_hid * h),
            w2 - lr * np.sum(delta_out * y_hat),
            b - lr * np.sum(delta_out + delta_hid))
