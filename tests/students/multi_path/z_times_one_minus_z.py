"""sigma' written as z(1 - z) with the net input z: at the output units in dL_dw5 and dL_dh1, at the
hidden units in the others."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": ("z_times_one_minus_z",),
    "multi_path.dL_dh1": ("z_times_one_minus_z",),
    "multi_path.dL_dw1": ("z_times_one_minus_z",),
    "multi_path.dL_dw": ("z_times_one_minus_z",),
    "multi_path.dL_db": ("z_times_one_minus_z",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw5(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    net_o1 = w5 * h1 + w6 * h2 + b[1]
    out_o1 = sigmoid(net_o1)
    return (out_o1 - t[0]) * net_o1 * (1 - net_o1) * h1


def dL_dh1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    net_o1 = w5 * h1 + w6 * h2 + b[1]
    net_o2 = w7 * h1 + w8 * h2 + b[1]
    out_o1, out_o2 = sigmoid(net_o1), sigmoid(net_o2)
    return ((out_o1 - t[0]) * net_o1 * (1 - net_o1) * w5
            + (out_o2 - t[1]) * net_o2 * (1 - net_o2) * w7)


def dL_dw1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    net_h1 = w1 * i[0] + w2 * i[1] + b[0]
    h1 = sigmoid(net_h1)
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    dE_dh1 = (o1 - t[0]) * o1 * (1 - o1) * w5 + (o2 - t[1]) * o2 * (1 - o2) * w7
    return dE_dh1 * net_h1 * (1 - net_h1) * i[0]


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    net_h = W1 @ i + b[0]
    h = sigmoid(net_h)
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * net_h * (1 - net_h)
    return np.concatenate([np.outer(delta_h, i).ravel(), np.outer(delta_o, h).ravel()])


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    net_h = W1 @ i + b[0]
    h = sigmoid(net_h)
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * net_h * (1 - net_h)
    return np.array([delta_h.sum(), delta_o.sum()])
