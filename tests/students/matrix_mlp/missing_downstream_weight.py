"""delta1 = delta2 * h1(1 - h1): went from layer 2 to layer 1 without W2 at all (only runs when
m1 == m2)."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW1": ("missing_downstream_weight",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW1(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3[0] * h2 * (1 - h2)
    delta1 = delta2 * h1 * (1 - h1)
    return np.outer(delta1, x)
