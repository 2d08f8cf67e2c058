"""Used tanh's derivative 1 - a^2 for every sigmoid unit."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": ("unrecognised",),
    "multi_path.dL_dh1": ("unrecognised",),
    "multi_path.dL_dw1": ("unrecognised",),
    "multi_path.dL_db": ("unrecognised",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw5(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    return (o[0] - t[0]) * (1 - o[0] ** 2) * h[0]


def dL_dh1(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * (1 - o ** 2)
    return delta_o @ W2[:, 0]


def dL_dw1(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * (1 - o ** 2)
    return (delta_o @ W2[:, 0]) * (1 - h[0] ** 2) * i[0]


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * (1 - o ** 2)
    delta_h = (W2.T @ delta_o) * (1 - h ** 2)
    return np.array([delta_h.sum(), delta_o.sum()])
