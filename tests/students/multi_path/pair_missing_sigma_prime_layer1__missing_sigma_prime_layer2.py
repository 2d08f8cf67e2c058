"""No sigmoid derivative anywhere: the backward pass treats both layers as linear."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw1": ("missing_sigma_prime_layer1", "missing_sigma_prime_layer2"),
    "multi_path.dL_dw": ("missing_sigma_prime_layer1", "missing_sigma_prime_layer2"),
    "multi_path.dL_db": ("missing_sigma_prime_layer1", "missing_sigma_prime_layer2"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw1(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    return ((o[0] - t[0]) * w[4] + (o[1] - t[1]) * w[6]) * i[0]


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    e_o = o - t
    e_h = W2.T @ e_o
    return np.concatenate([np.outer(e_h, i).ravel(), np.outer(e_o, h).ravel()])


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    e_o = o - t
    e_h = W2.T @ e_o
    return np.array([e_h.sum(), e_o.sum()])
