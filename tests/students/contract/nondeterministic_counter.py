"""sgd_step decays the learning rate with a global step counter, so every call takes a different step."""
import numpy as np

EXPECTED = {
    "scalar_chain.sgd_step": ("nondeterministic",),
}

step_count = 0


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sgd_step(x, y, w1, w2, b, lr):
    global step_count
    step_count += 1
    lr_now = lr / (1 + 0.1 * step_count)
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    d2 = (y_hat - y) * y_hat * (1 - y_hat)
    d1 = d2 * w2 * h * (1 - h)
    return w1 - lr_now * np.sum(d1 * x), w2 - lr_now * np.sum(d2 * h), b - lr_now * np.sum(d1 + d2)
