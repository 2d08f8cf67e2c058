"""Multiplied by the sigmoid's value instead of its slope: o1 (resp. o_k) for the output layer in
dL_dw5 and dL_dh1, h_j for the hidden layer in the others."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": ("sigma_instead_of_sigma_prime",),
    "multi_path.dL_dh1": ("sigma_instead_of_sigma_prime",),
    "multi_path.dL_dw1": ("sigma_instead_of_sigma_prime",),
    "multi_path.dL_dw": ("sigma_instead_of_sigma_prime",),
    "multi_path.dL_db": ("sigma_instead_of_sigma_prime",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw5(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    z_o1 = w5 * h1 + w6 * h2 + b[1]
    o1 = sigmoid(z_o1)
    return (o1 - t[0]) * sigmoid(z_o1) * h1


def dL_dh1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    z_o1 = w5 * h1 + w6 * h2 + b[1]
    z_o2 = w7 * h1 + w8 * h2 + b[1]
    o1, o2 = sigmoid(z_o1), sigmoid(z_o2)
    return (o1 - t[0]) * sigmoid(z_o1) * w5 + (o2 - t[1]) * sigmoid(z_o2) * w7


def dL_dw1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    z_h1 = w1 * i[0] + w2 * i[1] + b[0]
    h1 = sigmoid(z_h1)
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    dL_dh1 = (o1 - t[0]) * o1 * (1 - o1) * w5 + (o2 - t[1]) * o2 * (1 - o2) * w7
    return dL_dh1 * sigmoid(z_h1) * i[0]


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    z_h = W1 @ i + b[0]
    h = sigmoid(z_h)
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * sigmoid(z_h)
    return np.concatenate([np.outer(delta_h, i).ravel(), np.outer(delta_o, h).ravel()])


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    z_h = W1 @ i + b[0]
    h = sigmoid(z_h)
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * sigmoid(z_h)
    return np.array([delta_h.sum(), delta_o.sum()])
