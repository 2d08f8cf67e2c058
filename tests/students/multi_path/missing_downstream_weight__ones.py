"""The total error arriving at the hidden layer, delta_o1 + delta_o2, sent to both hidden units
(the weights w5..w8 taken as 1), in the full gradient and the biases."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw": ("missing_downstream_weight",),
    "multi_path.dL_db": ("missing_downstream_weight",),
}
WHERE = {
    "multi_path.dL_dw": "taken as 1",
    "multi_path.dL_db": "taken as 1",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _deltas(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h = sigmoid(np.array([w1 * i[0] + w2 * i[1], w3 * i[0] + w4 * i[1]]) + b[0])
    o = sigmoid(np.array([w5 * h[0] + w6 * h[1], w7 * h[0] + w8 * h[1]]) + b[1])
    delta_o = (o - t) * o * (1 - o)
    error_at_hidden = delta_o[0] + delta_o[1]
    delta_h = error_at_hidden * h * (1 - h)
    return h, delta_h, delta_o


def dL_dw(i, t, w, b):
    h, delta_h, delta_o = _deltas(i, t, w, b)
    out = []
    for j in range(2):
        for l in range(2):
            out.append(delta_h[j] * i[l])
    for k in range(2):
        for j in range(2):
            out.append(delta_o[k] * h[j])
    return np.array(out)


def dL_db(i, t, w, b):
    h, delta_h, delta_o = _deltas(i, t, w, b)
    return np.array([delta_h.sum(), delta_o.sum()])
