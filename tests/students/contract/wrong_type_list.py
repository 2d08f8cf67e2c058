"""Correct values, but returned as Python lists (.tolist() "to print nicely") where arrays are asked."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW2": ("wrong_type",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW2(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] * h2 * (1 - h2)
    return np.outer(delta2, h1).tolist()
