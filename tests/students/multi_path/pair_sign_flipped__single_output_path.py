"""Error written (t - o) and h1 followed to the loss through o1 only."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dh1": ("sign_flipped", "single_output_path"),
    "multi_path.dL_dw1": ("sign_flipped", "single_output_path"),
    "multi_path.dL_dw": ("sign_flipped", "single_output_path"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dh1(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    return (t[0] - o[0]) * o[0] * (1 - o[0]) * w[4]


def dL_dw1(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    return (t[0] - o[0]) * o[0] * (1 - o[0]) * w[4] * h[0] * (1 - h[0]) * i[0]


def dL_dw(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (t - o) * o * (1 - o)
    delta_h = W2[0] * delta_o[0] * h * (1 - h)
    return np.concatenate([np.outer(delta_h, i).ravel(), np.outer(delta_o, h).ravel()])
