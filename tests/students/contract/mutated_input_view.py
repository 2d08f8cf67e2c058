"""`delta2 = W3[0]` is a view into W3, and `delta2 *= h2 * (1 - h2)` changes the caller's W3."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW2": ("mutated_input",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW2(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0]
    delta2 *= h2 * (1 - h2)
    return np.outer(delta2, h1)
