"""The squared-weights misconception (W3 and W2 squared entrywise on the way back) written with loops."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW1": ("unrecognised",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW1(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] ** 2 * h2 * (1 - h2)
    delta1 = np.zeros(len(h1))
    for j in range(len(h1)):
        for i in range(len(h2)):
            delta1[j] += W2[i, j] ** 2 * delta2[i]
    delta1 = delta1 * h1 * (1 - h1)
    out = np.zeros(W1.shape)
    for j in range(W1.shape[0]):
        for k in range(W1.shape[1]):
            out[j, k] = delta1[j] * x[k]
    return out
