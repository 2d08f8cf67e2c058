"""A sigmoid_prime helper that returns sigmoid(z) (the (1 - sigma) forgotten), used for the output
units and the hidden units alike."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": ("sigma_instead_of_sigma_prime",),
    "multi_path.dL_dh1": ("sigma_instead_of_sigma_prime",),
    "multi_path.dL_dw1": ("sigma_instead_of_sigma_prime",),
    "multi_path.dL_dw": ("sigma_instead_of_sigma_prime",),
    "multi_path.dL_db": ("sigma_instead_of_sigma_prime",),
}
WHERE = {
    "multi_path.dL_dw5": "at layer 2",
    "multi_path.dL_dh1": "at layer 2",
    "multi_path.dL_dw1": "at both layers",
    "multi_path.dL_dw": "at both layers",
    "multi_path.dL_db": "at both layers",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z)


def forward(i, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    z_h1 = w1 * i[0] + w2 * i[1] + b[0]
    z_h2 = w3 * i[0] + w4 * i[1] + b[0]
    h1, h2 = sigmoid(z_h1), sigmoid(z_h2)
    z_o1 = w5 * h1 + w6 * h2 + b[1]
    z_o2 = w7 * h1 + w8 * h2 + b[1]
    return z_h1, z_h2, h1, h2, z_o1, z_o2, sigmoid(z_o1), sigmoid(z_o2)


def dL_dw5(i, t, w, b):
    z_h1, z_h2, h1, h2, z_o1, z_o2, o1, o2 = forward(i, w, b)
    return (o1 - t[0]) * sigmoid_prime(z_o1) * h1


def dL_dh1(i, t, w, b):
    z_h1, z_h2, h1, h2, z_o1, z_o2, o1, o2 = forward(i, w, b)
    return (o1 - t[0]) * sigmoid_prime(z_o1) * w[4] + (o2 - t[1]) * sigmoid_prime(z_o2) * w[6]


def dL_dw1(i, t, w, b):
    z_h1, z_h2, h1, h2, z_o1, z_o2, o1, o2 = forward(i, w, b)
    dh1 = (o1 - t[0]) * sigmoid_prime(z_o1) * w[4] + (o2 - t[1]) * sigmoid_prime(z_o2) * w[6]
    return dh1 * sigmoid_prime(z_h1) * i[0]


def _deltas(i, t, w, b):
    z_h1, z_h2, h1, h2, z_o1, z_o2, o1, o2 = forward(i, w, b)
    d_o1 = (o1 - t[0]) * sigmoid_prime(z_o1)
    d_o2 = (o2 - t[1]) * sigmoid_prime(z_o2)
    d_h1 = (d_o1 * w[4] + d_o2 * w[6]) * sigmoid_prime(z_h1)
    d_h2 = (d_o1 * w[5] + d_o2 * w[7]) * sigmoid_prime(z_h2)
    return h1, h2, d_o1, d_o2, d_h1, d_h2


def dL_dw(i, t, w, b):
    h1, h2, d_o1, d_o2, d_h1, d_h2 = _deltas(i, t, w, b)
    return np.array([d_h1 * i[0], d_h1 * i[1], d_h2 * i[0], d_h2 * i[1],
                     d_o1 * h1, d_o1 * h2, d_o2 * h1, d_o2 * h2])


def dL_db(i, t, w, b):
    h1, h2, d_o1, d_o2, d_h1, d_h2 = _deltas(i, t, w, b)
    return np.array([d_h1 + d_h2, d_o1 + d_o2])
