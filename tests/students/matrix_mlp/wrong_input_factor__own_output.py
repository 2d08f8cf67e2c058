"""df_dW2 as the outer product of delta2 with the layer's own output h2 instead of its input h1
(only the right shape when m1 = m2)."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW2": ("wrong_input_factor",),
}
WHERE = {
    "matrix_mlp.df_dW2": "for W2 (h2 where h1 belongs)",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW2(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3.ravel() * h2 * (1 - h2)
    return np.outer(delta2, h2)
