"""Left a quick training-step check in the function: `w -= 0.1 * grad` updates the caller's weights."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw": ("mutated_input",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    grad = np.concatenate([np.outer(delta_h, i).ravel(), np.outer(delta_o, h).ravel()])
    w -= 0.1 * grad          # does the loss go down? (forgot to remove)
    return grad
