"""The total error delta2.sum() sent to every unit of layer 1 (W2 as all ones), with a sigma'
helper that returns sigmoid(z) at both layers."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW1": ("missing_downstream_weight", "sigma_instead_of_sigma_prime"),
}
WHERE = {
    "matrix_mlp.df_dW1": "at both layers",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigma_prime(z):
    return sigmoid(z)


def df_dW1(x, W1, W2, W3):
    z1 = W1 @ x
    h1 = sigmoid(z1)
    z2 = W2 @ h1
    delta2 = W3[0] * sigma_prime(z2)
    delta1 = np.sum(delta2) * sigma_prime(z1)
    return delta1[:, None] * x[None, :]
