"""delta1 = (total error arriving at layer 1) * h1(1 - h1), the total being delta2.sum(): every
hidden unit gets the same error, as if W2 were all ones. Runs for every shape."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW1": ("missing_downstream_weight",),
}
WHERE = {
    "matrix_mlp.df_dW1": "all ones",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def df_dW1(x, W1, W2, W3):
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    delta2 = W3.flatten() * h2 * (1 - h2)
    error_at_layer1 = delta2.sum()
    delta1 = error_at_layer1 * h1 * (1 - h1)
    grad = np.zeros_like(W1)
    for i in range(W1.shape[0]):
        for j in range(W1.shape[1]):
            grad[i, j] = delta1[i] * x[j]
    return grad
