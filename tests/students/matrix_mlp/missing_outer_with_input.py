"""Stopped at the layer's delta: returns the vector delta2 for W2 and delta1 for W1, never
multiplied by the layer's input."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW2": ("missing_outer_with_input",),
    "matrix_mlp.df_dW1": ("missing_outer_with_input",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW2(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] * h2 * (1 - h2)
    return delta2


def df_dW1(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] * h2 * (1 - h2)
    delta1 = W2.T @ delta2 * h1 * (1 - h1)
    return delta1
