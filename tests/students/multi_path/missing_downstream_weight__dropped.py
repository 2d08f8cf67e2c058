"""Passed each output's delta straight back to the hidden unit with the same index (delta_h = delta_o
* h(1 - h)): the weights w5..w8 between the layers are left out."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dh1": ("missing_downstream_weight",),
    "multi_path.dL_dw1": ("missing_downstream_weight",),
    "multi_path.dL_dw": ("missing_downstream_weight",),
    "multi_path.dL_db": ("missing_downstream_weight",),
}
WHERE = {
    "multi_path.dL_dh1": "left out",
    "multi_path.dL_dw": "left out",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _grads(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    dL_dh = delta_o
    delta_h = dL_dh * h * (1 - h)
    return np.outer(delta_h, i), np.outer(delta_o, h), dL_dh, delta_h, delta_o


def dL_dh1(i, t, w, b):
    return _grads(i, t, w, b)[2][0]


def dL_dw1(i, t, w, b):
    return _grads(i, t, w, b)[0][0, 0]


def dL_dw(i, t, w, b):
    gW1, gW2, *_ = _grads(i, t, w, b)
    return np.hstack([gW1.flatten(), gW2.flatten()])


def dL_db(i, t, w, b):
    *_, delta_h, delta_o = _grads(i, t, w, b)
    return np.array([np.sum(delta_h), np.sum(delta_o)])
