"""Used dL/do_k = (t_k - o_k), forgetting the inner derivative -1: every gradient has the wrong sign."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": ("sign_flipped",),
    "multi_path.dL_dh1": ("sign_flipped",),
    "multi_path.dL_dw1": ("sign_flipped",),
    "multi_path.dL_dw": ("sign_flipped",),
    "multi_path.dL_db": ("sign_flipped",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw5(i, t, w, b):
    h1 = sigmoid(w[0] * i[0] + w[1] * i[1] + b[0])
    h2 = sigmoid(w[2] * i[0] + w[3] * i[1] + b[0])
    o1 = sigmoid(w[4] * h1 + w[5] * h2 + b[1])
    return (t[0] - o1) * o1 * (1 - o1) * h1


def dL_dh1(i, t, w, b):
    h1 = sigmoid(w[0] * i[0] + w[1] * i[1] + b[0])
    h2 = sigmoid(w[2] * i[0] + w[3] * i[1] + b[0])
    o1 = sigmoid(w[4] * h1 + w[5] * h2 + b[1])
    o2 = sigmoid(w[6] * h1 + w[7] * h2 + b[1])
    return (t[0] - o1) * o1 * (1 - o1) * w[4] + (t[1] - o2) * o2 * (1 - o2) * w[6]


def dL_dw1(i, t, w, b):
    h1 = sigmoid(w[0] * i[0] + w[1] * i[1] + b[0])
    h2 = sigmoid(w[2] * i[0] + w[3] * i[1] + b[0])
    o1 = sigmoid(w[4] * h1 + w[5] * h2 + b[1])
    o2 = sigmoid(w[6] * h1 + w[7] * h2 + b[1])
    dh1 = (t[0] - o1) * o1 * (1 - o1) * w[4] + (t[1] - o2) * o2 * (1 - o2) * w[6]
    return dh1 * h1 * (1 - h1) * i[0]


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (t - o) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return np.concatenate([np.outer(delta_h, i).ravel(), np.outer(delta_o, h).ravel()])


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (t - o) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return np.array([np.sum(delta_h), np.sum(delta_o)])
