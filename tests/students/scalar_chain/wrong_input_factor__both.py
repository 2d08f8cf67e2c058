"""Mixed up which input goes with which weight everywhere: w1's chain ends with h and w2's with x,
in a loop over the samples."""
EXPECTED = {
    "scalar_chain.dL_dw2": ("wrong_input_factor",),
    "scalar_chain.dL_dw1": ("wrong_input_factor",),
    "scalar_chain.sgd_step": ("wrong_input_factor",),
}
WHERE = {
    "scalar_chain.dL_dw2": "for w2",
    "scalar_chain.dL_dw1": "for w1",
    "scalar_chain.sgd_step": "for w1 (h where x belongs) and for w2 (x where h belongs)",
}
import math


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def _gradients(x, y, w1, w2, b):
    gw1 = gw2 = gb = 0.0
    for n in range(len(x)):
        h = sigmoid(w1 * x[n] + b)
        y_hat = sigmoid(w2 * h + b)
        d2 = (y_hat - y[n]) * y_hat * (1 - y_hat)
        d1 = d2 * w2 * h * (1 - h)
        gw2 = gw2 + d2 * x[n]
        gw1 = gw1 + d1 * h
        gb = gb + d1 + d2
    return gw1, gw2, gb


def dL_dw2(x, y, w1, w2, b):
    return _gradients(x, y, w1, w2, b)[1]


def dL_dw1(x, y, w1, w2, b):
    return _gradients(x, y, w1, w2, b)[0]


def sgd_step(x, y, w1, w2, b, lr):
    gw1, gw2, gb = _gradients(x, y, w1, w2, b)
    return w1 - lr * gw1, w2 - lr * gw2, b - lr * gb
