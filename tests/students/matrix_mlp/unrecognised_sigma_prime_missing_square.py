"""Derived sigma'(z) = e^-z / (1 + e^-z) by hand, forgetting the square in the denominator."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW2": ("unrecognised",),
    "matrix_mlp.df_dW1": ("unrecognised",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dsig(z):
    return np.exp(-z) / (1 + np.exp(-z))


def df_dW2(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    a2 = W2 @ h1
    return np.outer(W3[0] * dsig(a2), h1)


def df_dW1(x, W1, W2, W3):
    a1 = W1 @ x
    h1 = sigmoid(a1)
    a2 = W2 @ h1
    delta2 = W3[0] * dsig(a2)
    delta1 = (W2.T @ delta2) * dsig(a1)
    return np.outer(delta1, x)
