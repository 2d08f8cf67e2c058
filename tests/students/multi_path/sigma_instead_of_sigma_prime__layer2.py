"""The output deltas are written (o_k - t_k) * o_k: sigma(z) where sigma'(z) belongs at the output
layer (hidden layer right)."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw1": ("sigma_instead_of_sigma_prime",),
    "multi_path.dL_dw": ("sigma_instead_of_sigma_prime",),
    "multi_path.dL_db": ("sigma_instead_of_sigma_prime",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    delta_o1 = (o1 - t[0]) * o1
    delta_o2 = (o2 - t[1]) * o2
    return (delta_o1 * w5 + delta_o2 * w7) * h1 * (1 - h1) * i[0]


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return np.concatenate([np.outer(delta_h, i).ravel(), np.outer(delta_o, h).ravel()])


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return np.array([delta_h.sum(), delta_o.sum()])
