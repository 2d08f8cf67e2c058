"""Read W2 the wrong way round everywhere: going back to the hidden layer with W2 @ delta (w6 used
for w7) AND returning the neighbouring connection's gradient (h2's for h1, i1 -> h2 for w1, dL_dw
flattened column by column, the biases in the order b2, b1)."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dh1": ("wrong_weight_index",),
    "multi_path.dL_dw1": ("wrong_weight_index",),
    "multi_path.dL_dw": ("wrong_weight_index",),
    "multi_path.dL_db": ("wrong_weight_index",),
}
WHERE = {
    "multi_path.dL_dh1": "on the way back to the hidden layer (w6 and w8 used for w5 and w7) and in the gradient",
    "multi_path.dL_db": "b1 and b2 are swapped",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _grads(i, t, w, b):
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * o * (1 - o)
    dL_dh = W2 @ delta_o
    delta_h = dL_dh * h * (1 - h)
    return np.outer(delta_h, i), np.outer(delta_o, h), dL_dh, delta_h, delta_o


def dL_dh1(i, t, w, b):
    return _grads(i, t, w, b)[2][1]


def dL_dw1(i, t, w, b):
    return _grads(i, t, w, b)[0][1, 0]


def dL_dw(i, t, w, b):
    gW1, gW2, *_ = _grads(i, t, w, b)
    return np.concatenate([gW1.flatten("F"), gW2.flatten("F")])


def dL_db(i, t, w, b):
    *_, delta_h, delta_o = _grads(i, t, w, b)
    return np.array([delta_o.sum(), delta_h.sum()])
