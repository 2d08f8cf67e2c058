"""def sigmoid_prime(z): return z * (1 - z), the shortcut a(1 - a) applied to the pre-activation,
and the helper used for both layers: the commonest way to write this mistake."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw2": ("z_times_one_minus_z",),
    "scalar_chain.dL_dw1": ("z_times_one_minus_z",),
    "scalar_chain.dL_db": ("z_times_one_minus_z",),
    "scalar_chain.sgd_step": ("z_times_one_minus_z",),
}
WHERE = {
    "scalar_chain.dL_dw2": "at layer 2",
    "scalar_chain.dL_dw1": "at both layers",
    "scalar_chain.dL_db": "at both layers",
    "scalar_chain.sgd_step": "at both layers",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return z * (1 - z)


def backprop(x, y, w1, w2, b):
    cache = {}
    cache["z1"] = x * w1 + b
    cache["h"] = sigmoid(cache["z1"])
    cache["z2"] = cache["h"] * w2 + b
    cache["y_hat"] = sigmoid(cache["z2"])
    dL_dyhat = cache["y_hat"] - y
    dL_dz2 = dL_dyhat * sigmoid_prime(cache["z2"])
    dL_dh = dL_dz2 * w2
    dL_dz1 = dL_dh * sigmoid_prime(cache["z1"])
    return {"w1": np.sum(dL_dz1 * x), "w2": np.sum(dL_dz2 * cache["h"]), "b": np.sum(dL_dz1) + np.sum(dL_dz2)}


def dL_dw2(x, y, w1, w2, b):
    return backprop(x, y, w1, w2, b)["w2"]


def dL_dw1(x, y, w1, w2, b):
    return backprop(x, y, w1, w2, b)["w1"]


def dL_db(x, y, w1, w2, b):
    return backprop(x, y, w1, w2, b)["b"]


def sgd_step(x, y, w1, w2, b, lr):
    g = backprop(x, y, w1, w2, b)
    return w1 - lr * g["w1"], w2 - lr * g["w2"], b - lr * g["b"]
