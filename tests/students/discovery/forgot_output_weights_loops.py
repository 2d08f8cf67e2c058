"""The output weights W3 left out of δ2, written with loops (same misconception as the vectorised file)."""
import math

import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW1": ("unrecognised",),
}


def df_dW1(x, W1, W2, W3):
    m1, n = W1.shape
    m2 = W2.shape[0]
    h1 = [1 / (1 + math.exp(-sum(W1[j, k] * x[k] for k in range(n)))) for j in range(m1)]
    h2 = [1 / (1 + math.exp(-sum(W2[i, j] * h1[j] for j in range(m1)))) for i in range(m2)]
    grad = np.zeros((m1, n))
    for j in range(m1):
        back = sum(W2[i, j] * h2[i] * (1 - h2[i]) for i in range(m2))
        for k in range(n):
            grad[j, k] = back * h1[j] * (1 - h1[j]) * x[k]
    return grad
