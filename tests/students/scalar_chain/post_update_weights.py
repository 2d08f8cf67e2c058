"""sgd_step updates w1 first and then computes the w2 and b gradients with the NEW w1 (and the b
gradient with the new w2 too), instead of taking every gradient at the old weights."""
import numpy as np

EXPECTED = {
    "scalar_chain.sgd_step": ("post_update_weights",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    d2 = (y_hat - y) * y_hat * (1 - y_hat)
    w1 = w1 - lr * np.sum(d2 * w2 * h * (1 - h) * x)

    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    d2 = (y_hat - y) * y_hat * (1 - y_hat)
    w2 = w2 - lr * np.sum(d2 * h)

    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    d2 = (y_hat - y) * y_hat * (1 - y_hat)
    b = b - lr * np.sum(d2 + d2 * w2 * h * (1 - h))
    return w1, w2, b
