"""Output layer's derivative computed as sigmoid_prime(o) (sigmoid applied to the output again);
hidden layer correct."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw1": ("sigma_prime_of_activation",),
    "multi_path.dL_dw": ("sigma_prime_of_activation",),
    "multi_path.dL_db": ("sigma_prime_of_activation",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def dL_dw1(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    z_h = W1 @ i + b[0]
    h = sigmoid(z_h)
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * sigmoid_prime(o)
    return (W2[:, 0] @ delta_o) * sigmoid_prime(z_h[0]) * i[0]


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    z_h = W1 @ i + b[0]
    h = sigmoid(z_h)
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * sigmoid_prime(o)
    delta_h = (W2.T @ delta_o) * sigmoid_prime(z_h)
    return np.concatenate([np.outer(delta_h, i).ravel(), np.outer(delta_o, h).ravel()])


def dL_db(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    z_h = W1 @ i + b[0]
    h = sigmoid(z_h)
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * sigmoid_prime(o)
    delta_h = (W2.T @ delta_o) * sigmoid_prime(z_h)
    return np.array([delta_h.sum(), delta_o.sum()])
