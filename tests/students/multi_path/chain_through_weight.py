"""Wrote terms like dw5/dh1 and dw7/dh1 in the chain and evaluated them as h1: each path from an
output back to h1 carries h1 where the weight belongs."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dh1": ("chain_through_weight",),
    "multi_path.dL_dw1": ("chain_through_weight",),
    "multi_path.dL_dw": ("chain_through_weight",),
    "multi_path.dL_db": ("chain_through_weight",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dh1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    dL_dzo1 = (o1 - t[0]) * o1 * (1 - o1)
    dL_dzo2 = (o2 - t[1]) * o2 * (1 - o2)
    dzo1_dh1 = h1            # "dz_o1/dw5 * dw5/dh1"
    dzo2_dh1 = h1
    return dL_dzo1 * dzo1_dh1 + dL_dzo2 * dzo2_dh1


def dL_dw1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    dL_dzo1 = (o1 - t[0]) * o1 * (1 - o1)
    dL_dzo2 = (o2 - t[1]) * o2 * (1 - o2)
    dL_dh1 = dL_dzo1 * h1 + dL_dzo2 * h1
    return dL_dh1 * h1 * (1 - h1) * i[0]


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    dL_dh = np.array([delta_o[0] * h[0] + delta_o[1] * h[0],
                      delta_o[0] * h[1] + delta_o[1] * h[1]])
    delta_h = dL_dh * h * (1 - h)
    return np.concatenate([np.outer(delta_h, i).ravel(), np.outer(delta_o, h).ravel()])


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    dL_dh = (delta_o[0] + delta_o[1]) * h
    delta_h = dL_dh * h * (1 - h)
    return np.array([delta_h.sum(), delta_o.sum()])
