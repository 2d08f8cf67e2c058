"""In df_dW1 the second layer's derivative is sigmoid_prime(h2) (sigmoid applied twice); the first
layer uses sigmoid_prime(W1 x) correctly."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW1": ("sigma_prime_of_activation",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def df_dW1(x, W1, W2, W3):
    a1 = W1 @ x
    h1 = sigmoid(a1)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] * sigmoid_prime(h2)
    delta1 = W2.T @ delta2 * sigmoid_prime(a1)
    return np.outer(delta1, x)
