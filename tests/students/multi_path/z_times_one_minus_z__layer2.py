"""Output deltas written (o_k - t_k) * net_k * (1 - net_k) with the net input; hidden layer right."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw1": ("z_times_one_minus_z",),
    "multi_path.dL_dw": ("z_times_one_minus_z",),
    "multi_path.dL_db": ("z_times_one_minus_z",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    net1 = w5 * h1 + w6 * h2 + b[1]
    net2 = w7 * h1 + w8 * h2 + b[1]
    d1 = (sigmoid(net1) - t[0]) * net1 * (1 - net1)
    d2 = (sigmoid(net2) - t[1]) * net2 * (1 - net2)
    return (d1 * w5 + d2 * w7) * h1 * (1 - h1) * i[0]


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    net = W2 @ h + b[1]
    o = sigmoid(net)
    delta_o = (o - t) * net * (1 - net)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return np.concatenate([np.outer(delta_h, i).ravel(), np.outer(delta_o, h).ravel()])


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    net = W2 @ h + b[1]
    o = sigmoid(net)
    delta_o = (o - t) * net * (1 - net)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return np.array([delta_h.sum(), delta_o.sum()])
