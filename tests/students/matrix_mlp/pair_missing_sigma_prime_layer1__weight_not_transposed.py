"""delta1 = W2 @ delta2: W2 not transposed and the first layer's sigmoid derivative forgotten."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW1": ("missing_sigma_prime_layer1", "weight_not_transposed"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW1(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] * h2 * (1 - h2)
    return np.outer(W2 @ delta2, x)
