"""In df_dW1 the second layer's derivative is a2 * (1 - a2) with a2 = W2 h1, the pre-activation."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW1": ("z_times_one_minus_z",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW1(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    a2 = W2 @ h1
    delta2 = W3[0] * a2 * (1 - a2)
    delta1 = (W2.T @ delta2) * h1 * (1 - h1)
    return np.outer(delta1, x)
