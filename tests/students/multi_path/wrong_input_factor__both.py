"""Swapped the inputs of the two layers in the full gradient: w1..w4 multiplied by h, w5..w8 by i."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw": ("wrong_input_factor",),
}
WHERE = {
    "multi_path.dL_dw": "for w1..w4 (h where i belongs) and for w5..w8 (i where h belongs)",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    grad_W1 = np.einsum("j,l->jl", delta_h, h)
    grad_W2 = np.einsum("k,j->kj", delta_o, i)
    return np.concatenate([grad_W1.ravel(), grad_W2.ravel()])
