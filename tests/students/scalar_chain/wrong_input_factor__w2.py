"""In the update, w2's gradient ends with the network input x instead of h (the hidden activation
that w2 multiplies); w1 and b are right."""
import numpy as np

EXPECTED = {
    "scalar_chain.sgd_step": ("wrong_input_factor",),
}
WHERE = {
    "scalar_chain.sgd_step": "for w2",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(w1 * x + b)
    y_hat = sigmoid(w2 * h + b)
    err = y_hat - y
    d_out = err * y_hat * (1 - y_hat)
    d_hid = d_out * w2 * h * (1 - h)
    new_w1 = w1 - lr * np.sum(d_hid * x)
    new_w2 = w2 - lr * np.sum(d_out * x)
    new_b = b - lr * np.sum(d_hid + d_out)
    return new_w1, new_w2, new_b
