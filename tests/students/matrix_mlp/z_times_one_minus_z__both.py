"""np.dot style with sigmoid_prime(z) = z * (1 - z) fed the pre-activations of both layers."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW2": ("z_times_one_minus_z",),
    "matrix_mlp.df_dW1": ("z_times_one_minus_z",),
}
WHERE = {
    "matrix_mlp.df_dW2": "at layer 2",
    "matrix_mlp.df_dW1": "at both layers",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return z * (1 - z)


def df_dW2(x, W1, W2, W3):
    a1 = np.dot(W1, x)
    h1 = sigmoid(a1)
    a2 = np.dot(W2, h1)
    delta2 = np.dot(W3.T, np.ones(1)) * sigmoid_prime(a2)
    return np.outer(delta2, h1)


def df_dW1(x, W1, W2, W3):
    a1 = np.dot(W1, x)
    h1 = sigmoid(a1)
    a2 = np.dot(W2, h1)
    delta2 = np.dot(W3.T, np.ones(1)) * sigmoid_prime(a2)
    delta1 = np.dot(W2.T, delta2) * sigmoid_prime(a1)
    return np.outer(delta1, x)
