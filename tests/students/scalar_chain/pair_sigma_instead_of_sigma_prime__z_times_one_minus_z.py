"""Two different slips with sigma': the hidden layer's derivative taken as sigmoid(z1) itself, the
output layer's written as z2 * (1 - z2)."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw1": ("sigma_instead_of_sigma_prime", "z_times_one_minus_z"),
    "scalar_chain.dL_db": ("sigma_instead_of_sigma_prime", "z_times_one_minus_z"),
}
WHERE = {
    "scalar_chain.dL_dw1": "at layer 1",
    "scalar_chain.dL_db": "at layer 2",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw1(x, y, w1, w2, b):
    z1 = x * w1 + b
    h = sigmoid(z1)
    z2 = h * w2 + b
    y_hat = sigmoid(z2)
    return np.sum((y_hat - y) * z2 * (1 - z2) * w2 * sigmoid(z1) * x)


def dL_db(x, y, w1, w2, b):
    z1 = x * w1 + b
    h = sigmoid(z1)
    z2 = h * w2 + b
    y_hat = sigmoid(z2)
    through_output = (y_hat - y) * z2 * (1 - z2)
    through_hidden = through_output * w2 * sigmoid(z1)
    return np.sum(through_output + through_hidden)
