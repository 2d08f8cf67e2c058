"""Used the output error (o_k - t_k) as if it were dL/dz_k: the output sigmoid's derivative
o_k(1 - o_k) is missing everywhere."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": ("missing_sigma_prime_layer2",),
    "multi_path.dL_dh1": ("missing_sigma_prime_layer2",),
    "multi_path.dL_dw1": ("missing_sigma_prime_layer2",),
    "multi_path.dL_dw": ("missing_sigma_prime_layer2",),
    "multi_path.dL_db": ("missing_sigma_prime_layer2",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def hidden_and_output(i, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    return h, o


def dL_dw5(i, t, w, b):
    h, o = hidden_and_output(i, w, b)
    return (o[0] - t[0]) * h[0]


def dL_dh1(i, t, w, b):
    h, o = hidden_and_output(i, w, b)
    return (o[0] - t[0]) * w[4] + (o[1] - t[1]) * w[6]


def dL_dw1(i, t, w, b):
    h, o = hidden_and_output(i, w, b)
    err_h1 = (o[0] - t[0]) * w[4] + (o[1] - t[1]) * w[6]
    return err_h1 * h[0] * (1 - h[0]) * i[0]


def dL_dw(i, t, w, b):
    h, o = hidden_and_output(i, w, b)
    W2 = w[4:].reshape(2, 2)
    err_o = o - t
    delta_h = (W2.T @ err_o) * h * (1 - h)
    return np.concatenate([np.outer(delta_h, i).flatten(), np.outer(err_o, h).flatten()])


def dL_db(i, t, w, b):
    h, o = hidden_and_output(i, w, b)
    W2 = w[4:].reshape(2, 2)
    err_o = o - t
    delta_h = (W2.T @ err_o) * h * (1 - h)
    return np.array([delta_h.sum(), err_o.sum()])
