"""df/dW3 taken as W2 h1, the pre-activation of layer 2, instead of h2 = sigma(W2 h1)."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW3": ("activation_instead_of_preactivation_input",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW3(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    a2 = W2 @ h1
    return a2[np.newaxis, :]
