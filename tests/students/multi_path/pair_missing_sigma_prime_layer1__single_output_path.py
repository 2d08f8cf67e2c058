"""Hidden units' error taken from o1 only, and the hidden sigmoid's derivative forgotten."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw1": ("missing_sigma_prime_layer1", "single_output_path"),
    "multi_path.dL_dw": ("missing_sigma_prime_layer1", "single_output_path"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    return (o1 - t[0]) * o1 * (1 - o1) * w5 * i[0]


def dL_dw(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    d_o1 = (o1 - t[0]) * o1 * (1 - o1)
    d_o2 = (o2 - t[1]) * o2 * (1 - o2)
    return np.array([d_o1 * w5 * i[0], d_o1 * w5 * i[1], d_o1 * w6 * i[0], d_o1 * w6 * i[1],
                     d_o1 * h1, d_o1 * h2, d_o2 * h1, d_o2 * h2])
