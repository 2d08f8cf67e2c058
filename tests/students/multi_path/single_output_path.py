"""Followed h1 to the loss through o1 only (the path through o2 via w7 is forgotten), and the same
for h2 in the full gradient."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dh1": ("single_output_path",),
    "multi_path.dL_dw1": ("single_output_path",),
    "multi_path.dL_dw": ("single_output_path",),
    "multi_path.dL_db": ("single_output_path",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dh1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    # dL/dh1 = dL/do1 * do1/dz_o1 * dz_o1/dh1
    return (o1 - t[0]) * o1 * (1 - o1) * w5


def dL_dw1(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    return (o1 - t[0]) * o1 * (1 - o1) * w5 * h1 * (1 - h1) * i[0]


def dL_dw(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    d_o1 = (o1 - t[0]) * o1 * (1 - o1)
    d_o2 = (o2 - t[1]) * o2 * (1 - o2)
    d_h1 = d_o1 * w5 * h1 * (1 - h1)
    d_h2 = d_o1 * w6 * h2 * (1 - h2)
    return np.array([d_h1 * i[0], d_h1 * i[1], d_h2 * i[0], d_h2 * i[1],
                     d_o1 * h1, d_o1 * h2, d_o2 * h1, d_o2 * h2])


def dL_db(i, t, w, b):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sigmoid(w1 * i[0] + w2 * i[1] + b[0])
    h2 = sigmoid(w3 * i[0] + w4 * i[1] + b[0])
    o1 = sigmoid(w5 * h1 + w6 * h2 + b[1])
    o2 = sigmoid(w7 * h1 + w8 * h2 + b[1])
    d_o1 = (o1 - t[0]) * o1 * (1 - o1)
    d_o2 = (o2 - t[1]) * o2 * (1 - o2)
    d_h1 = d_o1 * w5 * h1 * (1 - h1)
    d_h2 = d_o1 * w6 * h2 * (1 - h2)
    return np.array([d_h1 + d_h2, d_o1 + d_o2])
