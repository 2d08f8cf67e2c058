"""Outer products with the wrong layer's input AND in the wrong order: np.outer(x, delta2),
np.outer(h1, delta1), and h1 as a column for W3."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW3": ("transposed_result", "wrong_input_factor"),
    "matrix_mlp.df_dW2": ("transposed_result", "wrong_input_factor"),
    "matrix_mlp.df_dW1": ("transposed_result", "wrong_input_factor"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW3(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    return h1[:, None]


def df_dW2(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] * h2 * (1 - h2)
    return np.outer(x, delta2)


def df_dW1(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] * h2 * (1 - h2)
    delta1 = (W2.T @ delta2) * h1 * (1 - h1)
    return np.outer(h1, delta1)
