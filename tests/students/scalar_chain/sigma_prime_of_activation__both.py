"""A derivative helper dsig(a) = sigmoid(a) * (1 - sigmoid(a)) called with the activations h and
y_hat (which are already sigmoids), one sample at a time in a loop."""
import math

EXPECTED = {
    "scalar_chain.dL_dw2": ("sigma_prime_of_activation",),
    "scalar_chain.dL_dw1": ("sigma_prime_of_activation",),
    "scalar_chain.dL_db": ("sigma_prime_of_activation",),
    "scalar_chain.sgd_step": ("sigma_prime_of_activation",),
}
WHERE = {
    "scalar_chain.dL_dw2": "at layer 2",
    "scalar_chain.dL_dw1": "at both layers",
    "scalar_chain.dL_db": "at both layers",
    "scalar_chain.sgd_step": "at both layers",
}


def sig(z):
    return 1.0 / (1.0 + math.exp(-z))


def dsig(a):
    return sig(a) * (1 - sig(a))


def _grads(x, y, w1, w2, b):
    g_w1 = g_w2 = g_b = 0.0
    for xn, yn in zip(x, y):
        h = sig(w1 * xn + b)
        y_hat = sig(w2 * h + b)
        d_out = (y_hat - yn) * dsig(y_hat)
        d_hid = d_out * w2 * dsig(h)
        g_w2 += d_out * h
        g_w1 += d_hid * xn
        g_b += d_out + d_hid
    return g_w1, g_w2, g_b


def dL_dw2(x, y, w1, w2, b):
    return _grads(x, y, w1, w2, b)[1]


def dL_dw1(x, y, w1, w2, b):
    return _grads(x, y, w1, w2, b)[0]


def dL_db(x, y, w1, w2, b):
    return _grads(x, y, w1, w2, b)[2]


def sgd_step(x, y, w1, w2, b, lr):
    g_w1, g_w2, g_b = _grads(x, y, w1, w2, b)
    return w1 - lr * g_w1, w2 - lr * g_w2, b - lr * g_b
