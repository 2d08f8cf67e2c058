"""The answer from the original question: df/dW1 = W3 * sigma'(W2 h1) * sigma'(W1 x), everything
elementwise (no W2 transpose, no outer product with x)."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW1": ("elementwise_chain",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def df_dW1(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    return W3 * sigmoid_prime(W2 @ h1) * sigmoid_prime(W1 @ x)
