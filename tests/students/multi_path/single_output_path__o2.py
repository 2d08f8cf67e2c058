"""Took the hidden units' error from o2 alone (w7 for h1, w8 for h2), forgetting the path through o1."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dh1": ("single_output_path",),
    "multi_path.dL_dw1": ("single_output_path",),
    "multi_path.dL_dw": ("single_output_path",),
    "multi_path.dL_db": ("single_output_path",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dh1(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    return (o[1] - t[1]) * o[1] * (1 - o[1]) * w[6]


def dL_dw1(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    dh1 = (o[1] - t[1]) * o[1] * (1 - o[1]) * w[6]
    return dh1 * h[0] * (1 - h[0]) * i[0]


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    dL_dh = W2[1] * delta_o[1]
    delta_h = dL_dh * h * (1 - h)
    return np.concatenate([np.outer(delta_h, i).ravel(), np.outer(delta_o, h).ravel()])


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    delta_h = W2[1] * delta_o[1] * h * (1 - h)
    return np.array([delta_h.sum(), delta_o.sum()])
