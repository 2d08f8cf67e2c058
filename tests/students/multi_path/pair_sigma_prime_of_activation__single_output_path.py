"""h1's error taken from o1 alone, and sigmoid_prime applied to the activations o1 and h1."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw1": ("sigma_prime_of_activation", "single_output_path"),
}
WHERE = {
    "multi_path.dL_dw1": "at both layers",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(x):
    return sigmoid(x) * (1 - sigmoid(x))


def dL_dw1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    return (o1 - t[0]) * sigmoid_prime(o1) * w5 * sigmoid_prime(h1) * i[0]
