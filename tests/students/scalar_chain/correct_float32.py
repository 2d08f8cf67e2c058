"""Correct: every intermediate cast to float32 (to "save memory"), gradients returned as float32 scalars."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": (),
    "scalar_chain.dL_dw1": (),
    "scalar_chain.dL_db": (),
    "scalar_chain.sgd_step": (),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def deltas32(x, y, w1, w2, b):
    x, y = x.astype(np.float32), y.astype(np.float32)
    w1, w2, b = np.float32(w1), np.float32(w2), np.float32(b)
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    delta2 = (y_hat - y) * y_hat * (np.float32(1) - y_hat)
    delta1 = delta2 * w2 * h * (np.float32(1) - h)
    return x, h, delta1, delta2


def dL_dw2(x, y, w1, w2, b):
    x32, h, delta1, delta2 = deltas32(x, y, w1, w2, b)
    return np.sum(delta2 * h, dtype=np.float32)


def dL_dw1(x, y, w1, w2, b):
    x32, h, delta1, delta2 = deltas32(x, y, w1, w2, b)
    return np.sum(delta1 * x32, dtype=np.float32)


def dL_db(x, y, w1, w2, b):
    x32, h, delta1, delta2 = deltas32(x, y, w1, w2, b)
    return np.sum(delta1 + delta2, dtype=np.float32)


def sgd_step(x, y, w1, w2, b, lr):
    x32, h, delta1, delta2 = deltas32(x, y, w1, w2, b)
    g1 = float(np.sum(delta1 * x32))
    g2 = float(np.sum(delta2 * h))
    gb = float(np.sum(delta1 + delta2))
    # the weights themselves stay float64: only the gradient went through float32
    return w1 - lr * g1, w2 - lr * g2, b - lr * gb
