"""Correct matrix_mlp gradients from a student who leaves debugging output in: prints to stdout and
stderr and triggers an overflow RuntimeWarning on a value it never uses. None of this may cost marks."""
import sys

import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW3": (),
    "matrix_mlp.df_dW2": (),
    "matrix_mlp.df_dW1": (),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def debug_forward(x, W1, W2):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    print("h1 =", h1, "h2 =", h2)                               # stdout
    print("shapes:", W1.shape, W2.shape, file=sys.stderr)         # stderr
    huge = np.exp(np.float64(1000.0))                             # RuntimeWarning: overflow, unused
    return h1, h2


def df_dW3(x, W1, W2, W3):
    h1, h2 = debug_forward(x, W1, W2)
    return h2.reshape(1, -1)


def df_dW2(x, W1, W2, W3):
    h1, h2 = debug_forward(x, W1, W2)
    delta2 = W3[0] * h2 * (1 - h2)
    print("delta2 =", delta2)
    return np.outer(delta2, h1)


def df_dW1(x, W1, W2, W3):
    h1, h2 = debug_forward(x, W1, W2)
    delta2 = W3[0] * h2 * (1 - h2)
    delta1 = (W2.T @ delta2) * h1 * (1 - h1)
    print("delta1 =", delta1, file=sys.stderr)
    return np.outer(delta1, x)
