"""df/dW3 returned as the column vector W2 h1: the pre-activation instead of h2, and transposed."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW3": ("activation_instead_of_preactivation_input", "transposed_result"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW3(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x).reshape(-1, 1)
    return W2 @ h1
