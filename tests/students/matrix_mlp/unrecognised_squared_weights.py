"""Back-propagated with the squared weights W3**2 and W2.T**2 (confused with a weight-decay term)."""
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
    return np.outer(W3[0] ** 2 * h2 * (1 - h2), h1)


def df_dW1(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] ** 2 * h2 * (1 - h2)
    delta1 = ((W2.T ** 2) @ delta2) * h1 * (1 - h1)
    return np.outer(delta1, x)
