"""sgd_step with the error written (y - y_hat) (so it climbs) and w1 updated before the other
gradients are taken."""
import numpy as np

EXPECTED = {
    "scalar_chain.sgd_step": ("post_update_weights", "sign_flipped"),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    w1 = w1 - lr * np.sum((y - y_hat) * y_hat * (1 - y_hat) * w2 * h * (1 - h) * x)
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    w2 = w2 - lr * np.sum((y - y_hat) * y_hat * (1 - y_hat) * h)
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    d2 = (y - y_hat) * y_hat * (1 - y_hat)
    b = b - lr * np.sum(d2 + d2 * w2 * h * (1 - h))
    return w1, w2, b
