"""Added a "bias gradient" of 0.1 to every entry (a leftover from a debugging experiment)."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW3": ("unrecognised",),
    "matrix_mlp.df_dW2": ("unrecognised",),
    "matrix_mlp.df_dW1": ("unrecognised",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW3(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    return h2[None, :] + 0.1


def df_dW2(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] * h2 * (1 - h2)
    return np.outer(delta2, h1) + 0.1


def df_dW1(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] * h2 * (1 - h2)
    delta1 = (W2.T @ delta2) * h1 * (1 - h1)
    return np.outer(delta1, x) + 0.1
