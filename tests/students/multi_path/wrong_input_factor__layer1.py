"""The hidden layer's weights w1..w4 get delta_h times h (the unit's own output) instead of the
input i they multiply; the output layer is right."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw1": ("wrong_input_factor",),
    "multi_path.dL_dw": ("wrong_input_factor",),
}
WHERE = {
    "multi_path.dL_dw1": "for w1..w4",
    "multi_path.dL_dw": "for w1..w4",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw1(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_h = (W2.T @ ((o - t) * o * (1 - o))) * h * (1 - h)
    return delta_h[0] * h[0]


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return np.concatenate([np.outer(delta_h, h).ravel(), np.outer(delta_o, h).ravel()])
