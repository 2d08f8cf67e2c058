"""Correct: one plain loop over the samples, each gradient accumulated with +=, a scalar sigmoid
from math.exp."""
import math

EXPECTED = {
    "scalar_chain.dL_dw2": (),
    "scalar_chain.dL_dw1": (),
    "scalar_chain.dL_db": (),
    "scalar_chain.sgd_step": (),
}


def sig(z):
    return 1.0 / (1.0 + math.exp(-z))


def dL_dw2(x, y, w1, w2, b):
    grad = 0.0
    for n in range(len(x)):
        h = sig(x[n] * w1 + b)
        y_hat = sig(h * w2 + b)
        grad += (y_hat - y[n]) * y_hat * (1 - y_hat) * h
    return grad


def dL_dw1(x, y, w1, w2, b):
    grad = 0.0
    for n in range(len(x)):
        h = sig(x[n] * w1 + b)
        y_hat = sig(h * w2 + b)
        grad += (y_hat - y[n]) * y_hat * (1 - y_hat) * w2 * h * (1 - h) * x[n]
    return grad


def dL_db(x, y, w1, w2, b):
    grad = 0.0
    for n in range(len(x)):
        h = sig(x[n] * w1 + b)
        y_hat = sig(h * w2 + b)
        through_output = (y_hat - y[n]) * y_hat * (1 - y_hat)
        through_hidden = through_output * w2 * h * (1 - h)
        grad += through_output + through_hidden
    return grad


def sgd_step(x, y, w1, w2, b, lr):
    g1 = g2 = gb = 0.0
    for n in range(len(x)):
        h = sig(x[n] * w1 + b)
        y_hat = sig(h * w2 + b)
        d2 = (y_hat - y[n]) * y_hat * (1 - y_hat)
        d1 = d2 * w2 * h * (1 - h)
        g1 += d1 * x[n]
        g2 += d2 * h
        gb += d1 + d2
    return w1 - lr * g1, w2 - lr * g2, b - lr * gb
