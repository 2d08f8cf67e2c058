"""Started the running sum at np.nan ("not computed yet") instead of 0, so the result is NaN."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_db": ("not_finite",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_db(x, y, w1, w2, b):
    grad = np.nan
    for n in range(len(x)):
        h = sigmoid(x[n] * w1 + b)
        y_hat = sigmoid(h * w2 + b)
        d2 = (y_hat - y[n]) * y_hat * (1 - y_hat)
        grad += d2 + d2 * w2 * h * (1 - h)
    return grad
