"""Propagated delta2 back with W2 @ delta2 instead of W2.T @ delta2 (only runs when W2 is square)."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW1": ("weight_not_transposed",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW1(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] * h2 * (1 - h2)
    delta1 = (W2 @ delta2) * h1 * (1 - h1)
    return np.outer(delta1, x)
