"""Correct: explicit loops over every entry, one scalar chain-rule sum per weight."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW3": (),
    "matrix_mlp.df_dW2": (),
    "matrix_mlp.df_dW1": (),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def layers_by_loops(x, W1, W2):
    m1, n = W1.shape
    m2 = W2.shape[0]
    h1 = np.zeros(m1)
    for j in range(m1):
        s = 0.0
        for k in range(n):
            s += W1[j, k] * x[k]
        h1[j] = sigmoid(s)
    h2 = np.zeros(m2)
    for i in range(m2):
        s = 0.0
        for j in range(m1):
            s += W2[i, j] * h1[j]
        h2[i] = sigmoid(s)
    return h1, h2


def df_dW3(x, W1, W2, W3):
    h1, h2 = layers_by_loops(x, W1, W2)
    grad = np.zeros(W3.shape)
    for i in range(W3.shape[1]):
        grad[0, i] = h2[i]
    return grad


def df_dW2(x, W1, W2, W3):
    h1, h2 = layers_by_loops(x, W1, W2)
    grad = np.zeros(W2.shape)
    for i in range(W2.shape[0]):
        for j in range(W2.shape[1]):
            grad[i, j] = W3[0, i] * h2[i] * (1 - h2[i]) * h1[j]
    return grad


def df_dW1(x, W1, W2, W3):
    h1, h2 = layers_by_loops(x, W1, W2)
    m1, n = W1.shape
    grad = np.zeros(W1.shape)
    for j in range(m1):
        back = 0.0
        for i in range(W2.shape[0]):
            back += W3[0, i] * h2[i] * (1 - h2[i]) * W2[i, j]
        for k in range(n):
            grad[j, k] = back * h1[j] * (1 - h1[j]) * x[k]
    return grad
