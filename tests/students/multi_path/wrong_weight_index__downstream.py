"""Going back from the outputs to h1, used w6 where w7 belongs (row-major reading of W2): dL/dh_j =
sum_k W2[j, k] delta_k, i.e. W2 @ delta instead of W2.T @ delta."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dh1": ("wrong_weight_index",),
    "multi_path.dL_dw1": ("wrong_weight_index",),
    "multi_path.dL_dw": ("wrong_weight_index",),
    "multi_path.dL_db": ("wrong_weight_index",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dh1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    return (o1 - t[0]) * o1 * (1 - o1) * w5 + (o2 - t[1]) * o2 * (1 - o2) * w6


def dL_dw1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    dL_dh1 = (o1 - t[0]) * o1 * (1 - o1) * w5 + (o2 - t[1]) * o2 * (1 - o2) * w6
    return dL_dh1 * h1 * (1 - h1) * i[0]


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2 @ delta_o) * h * (1 - h)
    return np.concatenate([np.outer(delta_h, i).ravel(), np.outer(delta_o, h).ravel()])


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2 @ delta_o) * h * (1 - h)
    return np.array([delta_h.sum(), delta_o.sum()])
