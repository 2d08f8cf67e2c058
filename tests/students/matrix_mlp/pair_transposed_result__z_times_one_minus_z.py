"""A sigmoid_prime(z) = z(1 - z) helper at both layers, and the outer product taken the other way
round, np.outer(x, delta)."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW2": ("transposed_result", "z_times_one_minus_z"),
    "matrix_mlp.df_dW1": ("transposed_result", "z_times_one_minus_z"),
}
WHERE = {
    "matrix_mlp.df_dW1": "at both layers",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return z * (1 - z)


def df_dW2(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    a2 = W2 @ h1
    delta2 = W3[0] * sigmoid_prime(a2)
    return np.outer(h1, delta2)


def df_dW1(x, W1, W2, W3):
    a1 = W1 @ x
    h1 = sigmoid(a1)
    a2 = W2 @ h1
    delta2 = W3[0] * sigmoid_prime(a2)
    delta1 = (W2.T @ delta2) * sigmoid_prime(a1)
    return np.outer(x, delta1)
