"""Column-vector style with a derivative helper that forgot the (1 - sigma) factor: dsigma(z)
returns sigmoid(z), used for both hidden layers."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW2": ("sigma_instead_of_sigma_prime",),
    "matrix_mlp.df_dW1": ("sigma_instead_of_sigma_prime",),
}
WHERE = {
    "matrix_mlp.df_dW2": "at layer 2",
    "matrix_mlp.df_dW1": "at both layers",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dsigma(z):
    return sigmoid(z)


def df_dW2(x, W1, W2, W3):
    x = x.reshape(-1, 1)
    h1 = sigmoid(W1 @ x)
    z2 = W2 @ h1
    delta2 = W3.T * dsigma(z2)
    return delta2 @ h1.T


def df_dW1(x, W1, W2, W3):
    x = x.reshape(-1, 1)
    z1 = W1 @ x
    h1 = sigmoid(z1)
    z2 = W2 @ h1
    delta2 = W3.T * dsigma(z2)
    delta1 = (W2.T @ delta2) * dsigma(z1)
    return delta1 @ x.T
