"""A correct sigmoid_prime(z) helper called on activations: sigmoid_prime(o_k) at the output layer in
dL_dw5 and dL_dh1, sigmoid_prime(h_j) at the hidden layer in the others."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": ("sigma_prime_of_activation",),
    "multi_path.dL_dh1": ("sigma_prime_of_activation",),
    "multi_path.dL_dw1": ("sigma_prime_of_activation",),
    "multi_path.dL_dw": ("sigma_prime_of_activation",),
    "multi_path.dL_db": ("sigma_prime_of_activation",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def dL_dw5(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    return (o[0] - t[0]) * sigmoid_prime(o[0]) * h[0]


def dL_dh1(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * sigmoid_prime(o)
    return delta_o[0] * w[4] + delta_o[1] * w[6]


def dL_dw1(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    z_o = W2 @ h + b[1]
    o = sigmoid(z_o)
    delta_o = (o - t) * sigmoid_prime(z_o)
    return (delta_o[0] * w[4] + delta_o[1] * w[6]) * sigmoid_prime(h[0]) * i[0]


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    z_o = W2 @ h + b[1]
    o = sigmoid(z_o)
    delta_o = (o - t) * sigmoid_prime(z_o)
    delta_h = (W2.T @ delta_o) * sigmoid_prime(h)
    return np.concatenate([np.outer(delta_h, i).ravel(), np.outer(delta_o, h).ravel()])


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    z_o = W2 @ h + b[1]
    o = sigmoid(z_o)
    delta_o = (o - t) * sigmoid_prime(z_o)
    delta_h = (W2.T @ delta_o) * sigmoid_prime(h)
    return np.array([delta_h.sum(), delta_o.sum()])
