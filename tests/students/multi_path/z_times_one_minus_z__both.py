"""def sigmoid_prime(z): return z * (1 - z), called with the net inputs of both layers, in loops
over the units."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": ("z_times_one_minus_z",),
    "multi_path.dL_dh1": ("z_times_one_minus_z",),
    "multi_path.dL_dw1": ("z_times_one_minus_z",),
    "multi_path.dL_dw": ("z_times_one_minus_z",),
    "multi_path.dL_db": ("z_times_one_minus_z",),
}
WHERE = {
    "multi_path.dL_dh1": "at layer 2",
    "multi_path.dL_dw1": "at both layers",
    "multi_path.dL_dw": "at both layers",
    "multi_path.dL_db": "at both layers",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return z * (1 - z)


def _all(i, t, w, b):
    W1 = w[:4].reshape(2, 2)
    W2 = w[4:].reshape(2, 2)
    zh = [W1[j, 0] * i[0] + W1[j, 1] * i[1] + b[0] for j in range(2)]
    h = [sigmoid(z) for z in zh]
    zo = [W2[k, 0] * h[0] + W2[k, 1] * h[1] + b[1] for k in range(2)]
    o = [sigmoid(z) for z in zo]
    do = [(o[k] - t[k]) * sigmoid_prime(zo[k]) for k in range(2)]
    dh = [sum(do[k] * W2[k, j] for k in range(2)) for j in range(2)]
    dzh = [dh[j] * sigmoid_prime(zh[j]) for j in range(2)]
    gW1 = [[dzh[j] * i[l] for l in range(2)] for j in range(2)]
    gW2 = [[do[k] * h[j] for j in range(2)] for k in range(2)]
    return gW1, gW2, dh, dzh, do


def dL_dw5(i, t, w, b):
    return _all(i, t, w, b)[1][0][0]


def dL_dh1(i, t, w, b):
    return _all(i, t, w, b)[2][0]


def dL_dw1(i, t, w, b):
    return _all(i, t, w, b)[0][0][0]


def dL_dw(i, t, w, b):
    gW1, gW2, *_ = _all(i, t, w, b)
    return np.array(gW1[0] + gW1[1] + gW2[0] + gW2[1])


def dL_db(i, t, w, b):
    _, _, _, dzh, do = _all(i, t, w, b)
    return np.array([dzh[0] + dzh[1], do[0] + do[1]])
