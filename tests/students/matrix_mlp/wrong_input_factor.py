"""Each outer product uses the input of the wrong layer: h1 for W3, x for W2, h1 for W1."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW3": ("wrong_input_factor",),
    "matrix_mlp.df_dW2": ("wrong_input_factor",),
    "matrix_mlp.df_dW1": ("wrong_input_factor",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW3(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    return h1.reshape(1, -1)


def df_dW2(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] * h2 * (1 - h2)
    return np.outer(delta2, x)


def df_dW1(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] * h2 * (1 - h2)
    delta1 = (W2.T @ delta2) * h1 * (1 - h1)
    return np.outer(delta1, h1)
