"""dL/dw by central finite differences, perturbing each of the 8 weights by h = 1e-6 in a loop."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw": ("numerical_gradient",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def loss(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    return 0.5 * np.sum((t - o) ** 2)


def dL_dw(i, t, w, b):
    h = 1e-6
    grad = np.zeros(8)
    for k in range(8):
        w_plus = w.copy()
        w_plus[k] += h
        w_minus = w.copy()
        w_minus[k] -= h
        grad[k] = (loss(i, t, w_plus, b) - loss(i, t, w_minus, b)) / (2 * h)
    return grad
