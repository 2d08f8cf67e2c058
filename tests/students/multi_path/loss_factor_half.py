"""Kept the 1/2 of L after differentiating: dL/do_k = 0.5 (o_k - t_k), everything halved."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": ("loss_factor_half",),
    "multi_path.dL_dh1": ("loss_factor_half",),
    "multi_path.dL_dw1": ("loss_factor_half",),
    "multi_path.dL_dw": ("loss_factor_half",),
    "multi_path.dL_db": ("loss_factor_half",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw5(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    dE_do1 = 0.5 * (o1 - t[0])
    return dE_do1 * o1 * (1 - o1) * h1


def dL_dh1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    dE_do1 = 0.5 * (o1 - t[0])
    dE_do2 = 0.5 * (o2 - t[1])
    return dE_do1 * o1 * (1 - o1) * w5 + dE_do2 * o2 * (1 - o2) * w7


def dL_dw1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    dE_do1 = 0.5 * (o1 - t[0])
    dE_do2 = 0.5 * (o2 - t[1])
    dE_dh1 = dE_do1 * o1 * (1 - o1) * w5 + dE_do2 * o2 * (1 - o2) * w7
    return dE_dh1 * h1 * (1 - h1) * i[0]


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = 0.5 * (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return np.append(np.outer(delta_h, i), np.outer(delta_o, h))


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = 0.5 * (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return np.array([delta_h[0] + delta_h[1], delta_o[0] + delta_o[1]])
