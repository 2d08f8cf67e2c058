"""Used the squared error (o - t)^2 itself where its derivative (o - t) belongs."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": ("unrecognised",),
    "multi_path.dL_dh1": ("unrecognised",),
    "multi_path.dL_dw1": ("unrecognised",),
    "multi_path.dL_dw": ("unrecognised",),
    "multi_path.dL_db": ("unrecognised",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw5(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    return (o[0] - t[0]) ** 2 * o[0] * (1 - o[0]) * h[0]


def dL_dh1(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) ** 2 * o * (1 - o)
    return delta_o[0] * w[4] + delta_o[1] * w[6]


def dL_dw1(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) ** 2 * o * (1 - o)
    return (delta_o[0] * w[4] + delta_o[1] * w[6]) * h[0] * (1 - h[0]) * i[0]


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) ** 2 * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return np.concatenate([np.outer(delta_h, i).ravel(), np.outer(delta_o, h).ravel()])


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) ** 2 * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return np.array([delta_h.sum(), delta_o.sum()])
