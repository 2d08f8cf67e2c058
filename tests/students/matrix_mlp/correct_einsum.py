"""Correct: np.einsum for every product, sigma' from a helper on the pre-activation."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW3": (),
    "matrix_mlp.df_dW2": (),
    "matrix_mlp.df_dW1": (),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)


def df_dW3(x, W1, W2, W3):
    a1 = np.einsum("jk,k->j", W1, x)
    a2 = np.einsum("ij,j->i", W2, sigmoid(a1))
    return np.einsum("o,i->oi", np.ones(1), sigmoid(a2))


def df_dW2(x, W1, W2, W3):
    a1 = np.einsum("jk,k->j", W1, x)
    h1 = sigmoid(a1)
    a2 = np.einsum("ij,j->i", W2, h1)
    d2 = np.einsum("oi,i->i", W3, sigmoid_prime(a2))
    return np.einsum("i,j->ij", d2, h1)


def df_dW1(x, W1, W2, W3):
    a1 = np.einsum("jk,k->j", W1, x)
    h1 = sigmoid(a1)
    a2 = np.einsum("ij,j->i", W2, h1)
    d2 = np.einsum("oi,i->i", W3, sigmoid_prime(a2))
    d1 = np.einsum("ij,i->j", W2, d2) * sigmoid_prime(a1)
    return np.einsum("j,k->jk", d1, x)
