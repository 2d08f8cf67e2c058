"""Used sigmoid_prime(h2) (sigma applied to the activation) and built the outer product input-first."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW2": ("sigma_prime_of_activation", "transposed_result"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def df_dW2(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] * sigmoid_prime(h2)
    return np.outer(h1, delta2)
