"""In the update, w2's gradient multiplied by the output y_hat instead of h; w1 and b right."""
import numpy as np

EXPECTED = {
    "scalar_chain.sgd_step": ("wrong_input_factor",),
}
WHERE = {
    "scalar_chain.sgd_step": "for w2 (ŷ where h belongs)",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sgd_step(x, y, w1, w2, b, lr):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    g_out = (y_hat - y) * y_hat * (1 - y_hat)
    g_hid = g_out * w2 * h * (1 - h)
    grads = {"w1": g_hid @ x, "w2": g_out @ y_hat, "b": g_hid.sum() + g_out.sum()}
    return w1 - lr * grads["w1"], w2 - lr * grads["w2"], b - lr * grads["b"]
