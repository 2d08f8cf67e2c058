"""Multiplied by the sigmoid instead of its derivative: sigma(W2 h1) in df_dW2, sigma(W1 x) at the
first layer in df_dW1."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW2": ("sigma_instead_of_sigma_prime",),
    "matrix_mlp.df_dW1": ("sigma_instead_of_sigma_prime",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW2(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    a2 = W2 @ h1
    delta2 = W3[0] * sigmoid(a2)
    return np.outer(delta2, h1)


def df_dW1(x, W1, W2, W3):
    a1 = W1 @ x
    h1 = sigmoid(a1)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] * h2 * (1 - h2)
    delta1 = (W2.T @ delta2) * sigmoid(a1)
    return np.outer(delta1, x)
