"""Chain from L back to the hidden unit skips dh/dz1 = h(1 - h): treats h as if it were linear in z1."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_dw1": ("missing_sigma_prime_layer1",),
    "scalar_chain.dL_db": ("missing_sigma_prime_layer1",),
    "scalar_chain.sgd_step": ("missing_sigma_prime_layer1",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw1(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    # dL/dw1 = dL/dy_hat * dy_hat/dz2 * dz2/dh * dh/dw1
    dL_dyhat = y_hat - y
    dyhat_dz2 = y_hat * (1 - y_hat)
    dz2_dh = w2
    dh_dw1 = x
    return np.sum(dL_dyhat * dyhat_dz2 * dz2_dh * dh_dw1)


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    dL_dz2 = (y_hat - y) * y_hat * (1 - y_hat)
    via_output = dL_dz2
    via_hidden = dL_dz2 * w2
    return np.sum(via_output + via_hidden)


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    dL_dz2 = (y_hat - y) * y_hat * (1 - y_hat)
    dL_dz1 = dL_dz2 * w2
    return (w1 - lr * np.sum(dL_dz1 * x),
            w2 - lr * np.sum(dL_dz2 * h),
            b - lr * np.sum(dL_dz1 + dL_dz2))
