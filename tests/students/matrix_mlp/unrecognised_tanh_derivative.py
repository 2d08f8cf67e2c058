"""Used tanh's derivative 1 - h^2 for both sigmoid layers."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW2": ("unrecognised",),
    "matrix_mlp.df_dW1": ("unrecognised",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW2(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    return np.outer(W3[0] * (1 - h2 ** 2), h1)


def df_dW1(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] * (1 - h2 ** 2)
    delta1 = (W2.T @ delta2) * (1 - h1 ** 2)
    return np.outer(delta1, x)
