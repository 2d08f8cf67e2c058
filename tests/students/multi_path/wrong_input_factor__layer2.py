"""The output layer's weights w5..w8 get delta_o times the network inputs i instead of the hidden
activations h they multiply; the hidden layer is right."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": ("wrong_input_factor",),
    "multi_path.dL_dw": ("wrong_input_factor",),
}
WHERE = {
    "multi_path.dL_dw5": "for w5..w8",
    "multi_path.dL_dw": "for w5..w8",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw5(i, t, w, b):
    h1 = sigmoid(w[0] * i[0] + w[1] * i[1] + b[0])
    h2 = sigmoid(w[2] * i[0] + w[3] * i[1] + b[0])
    o1 = sigmoid(w[4] * h1 + w[5] * h2 + b[1])
    return (o1 - t[0]) * o1 * (1 - o1) * i[0]


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    delta_h = (W2.T @ delta_o) * h * (1 - h)
    return np.concatenate([np.outer(delta_h, i).ravel(), np.outer(delta_o, i).ravel()])
