"""2 * (o - t) for the loss derivative, and sigmoid_prime(z) = z * (1 - z) used at both layers."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw1": ("loss_factor_double", "z_times_one_minus_z"),
    "multi_path.dL_dw": ("loss_factor_double", "z_times_one_minus_z"),
    "multi_path.dL_db": ("loss_factor_double", "z_times_one_minus_z"),
}
WHERE = {
    "multi_path.dL_dw1": "at both layers",
    "multi_path.dL_dw": "at both layers",
    "multi_path.dL_db": "at both layers",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return z * (1 - z)


def _backprop(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    z1 = W1 @ i + b[0]
    h = sigmoid(z1)
    z2 = W2 @ h + b[1]
    o = sigmoid(z2)
    delta_o = 2 * (o - t) * sigmoid_prime(z2)
    delta_h = (W2.T @ delta_o) * sigmoid_prime(z1)
    return np.outer(delta_h, i), np.outer(delta_o, h), delta_h, delta_o


def dL_dw1(i, t, w, b):
    return _backprop(i, t, w, b)[0][0, 0]


def dL_dw(i, t, w, b):
    gW1, gW2, _, _ = _backprop(i, t, w, b)
    return np.append(gW1, gW2)


def dL_db(i, t, w, b):
    _, _, delta_h, delta_o = _backprop(i, t, w, b)
    return np.array([delta_h.sum(), delta_o.sum()])
