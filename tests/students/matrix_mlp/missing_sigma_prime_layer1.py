"""Back-propagated through W2 transposed but forgot the first layer's sigmoid derivative h1(1 - h1)."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW1": ("missing_sigma_prime_layer1",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW1(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] * h2 * (1 - h2)
    delta1 = W2.T @ delta2
    return np.outer(delta1, x)
