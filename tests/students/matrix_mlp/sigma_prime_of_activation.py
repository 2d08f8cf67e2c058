"""Called a correct sigmoid_prime(z) on the activation: sigmoid_prime(h2) in df_dW2,
sigmoid_prime(h1) at the first layer in df_dW1."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW2": ("sigma_prime_of_activation",),
    "matrix_mlp.df_dW1": ("sigma_prime_of_activation",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def df_dW2(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    return np.outer(W3[0] * sigmoid_prime(h2), h1)


def df_dW1(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    a2 = W2 @ h1
    delta2 = W3[0] * sigmoid_prime(a2)
    delta1 = W2.T @ delta2 * sigmoid_prime(h1)
    return np.outer(delta1, x)
