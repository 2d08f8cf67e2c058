"""Full gradient with the output layer's weights multiplied by o (the outputs they produce) instead
of h; the hidden layer is right."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw": ("wrong_input_factor",),
}
WHERE = {
    "multi_path.dL_dw": "for w5..w8 (o where h belongs)",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    d1 = (o1 - t[0]) * o1 * (1 - o1)
    d2 = (o2 - t[1]) * o2 * (1 - o2)
    dh1 = (d1 * w5 + d2 * w7) * h1 * (1 - h1)
    dh2 = (d1 * w6 + d2 * w8) * h2 * (1 - h2)
    return np.array([dh1 * i[0], dh1 * i[1], dh2 * i[0], dh2 * i[1], d1 * o1, d1 * o2, d2 * o1, d2 * o2])
