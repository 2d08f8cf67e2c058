"""Outer products written input-first (transposed answers) and delta2 taken as W3 alone, without the
second layer's sigmoid derivative."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW2": ("missing_sigma_prime_layer2", "transposed_result"),
    "matrix_mlp.df_dW1": ("missing_sigma_prime_layer2", "transposed_result"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW2(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    return np.outer(h1, W3)


def df_dW1(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    delta1 = (W3 @ W2)[0] * h1 * (1 - h1)
    return np.outer(x, delta1)
