"""Wrote sigma' as a(1 - a) with the pre-activation a = W h: at layer 2 in df_dW2, at layer 1 in
df_dW1."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW2": ("z_times_one_minus_z",),
    "matrix_mlp.df_dW1": ("z_times_one_minus_z",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW2(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    a2 = W2 @ h1
    return np.outer(W3[0] * a2 * (1 - a2), h1)


def df_dW1(x, W1, W2, W3):
    a1 = W1 @ x
    h1 = sigmoid(a1)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] * h2 * (1 - h2)
    delta1 = (W2.T @ delta2) * a1 * (1 - a1)
    return np.outer(delta1, x)
