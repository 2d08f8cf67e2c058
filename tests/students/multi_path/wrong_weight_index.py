"""Misread which units the numbered weights join: answers the neighbouring connection's gradient
(w6's for w5, w3's for w1, h2's for h1, dL_dw flattened column-wise, the biases swapped)."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": ("wrong_weight_index",),
    "multi_path.dL_dh1": ("wrong_weight_index",),
    "multi_path.dL_dw1": ("wrong_weight_index",),
    "multi_path.dL_dw": ("wrong_weight_index",),
    "multi_path.dL_db": ("wrong_weight_index",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw5(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    # w5 joins h2 to o1 (misread)
    return (o1 - t[0]) * o1 * (1 - o1) * h2


def dL_dh1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    # took the unit whose outgoing weights are w6 and w8
    return (o1 - t[0]) * o1 * (1 - o1) * w6 + (o2 - t[1]) * o2 * (1 - o2) * w8


def dL_dw1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    # w1 read as the connection i1 -> h2
    dL_dh2 = (o1 - t[0]) * o1 * (1 - o1) * w6 + (o2 - t[1]) * o2 * (1 - o2) * w8
    return dL_dh2 * h2 * (1 - h2) * i[0]


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    gW1 = np.outer(delta_h, i)
    gW2 = np.outer(delta_o, h)
    return np.concatenate([gW1.flatten(order="F"), gW2.flatten(order="F")])


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return np.array([delta_o.sum(), delta_h.sum()])
