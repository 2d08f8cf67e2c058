"""In the update, w1's gradient ends with h (the unit w1 feeds) instead of x (what w1 multiplies);
w2 and b are right."""
import numpy as np

EXPECTED = {
    "scalar_chain.sgd_step": ("wrong_input_factor",),
}
WHERE = {
    "scalar_chain.sgd_step": "for w1",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(w1 * x + b)
    y_hat = sigmoid(w2 * h + b)
    delta2 = (y_hat - y) * y_hat * (1 - y_hat)
    delta1 = delta2 * w2 * h * (1 - h)
    grad_w1 = np.dot(delta1, h)
    grad_w2 = np.dot(delta2, h)
    grad_b = delta1.sum() + delta2.sum()
    return (w1 - lr * grad_w1, w2 - lr * grad_w2, b - lr * grad_b)
