"""Correct: every weight unpacked into its own variable and every derivative written out term by
term, as on the whiteboard."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": (),
    "multi_path.dL_dh1": (),
    "multi_path.dL_dw1": (),
    "multi_path.dL_dw": (),
    "multi_path.dL_db": (),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_dw5(i, t, w, b):
    i1, i2 = i
    t1, t2 = t
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    b1, b2 = b
    h1 = sigmoid(w1 * i1 + w2 * i2 + b1)
    h2 = sigmoid(w3 * i1 + w4 * i2 + b1)
    o1 = sigmoid(w5 * h1 + w6 * h2 + b2)
    dL_do1 = o1 - t1
    do1_dz = o1 * (1 - o1)
    dz_dw5 = h1
    return dL_do1 * do1_dz * dz_dw5


def dL_dh1(i, t, w, b):
    i1, i2 = i
    t1, t2 = t
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    b1, b2 = b
    h1 = sigmoid(w1 * i1 + w2 * i2 + b1)
    h2 = sigmoid(w3 * i1 + w4 * i2 + b1)
    o1 = sigmoid(w5 * h1 + w6 * h2 + b2)
    o2 = sigmoid(w7 * h1 + w8 * h2 + b2)
    through_o1 = (o1 - t1) * o1 * (1 - o1) * w5
    through_o2 = (o2 - t2) * o2 * (1 - o2) * w7
    return through_o1 + through_o2


def dL_dw1(i, t, w, b):
    i1, i2 = i
    t1, t2 = t
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    b1, b2 = b
    h1 = sigmoid(w1 * i1 + w2 * i2 + b1)
    h2 = sigmoid(w3 * i1 + w4 * i2 + b1)
    o1 = sigmoid(w5 * h1 + w6 * h2 + b2)
    o2 = sigmoid(w7 * h1 + w8 * h2 + b2)
    dL_dh1 = (o1 - t1) * o1 * (1 - o1) * w5 + (o2 - t2) * o2 * (1 - o2) * w7
    return dL_dh1 * h1 * (1 - h1) * i1


def dL_dw(i, t, w, b):
    i1, i2 = i
    t1, t2 = t
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    b1, b2 = b
    h1 = sigmoid(w1 * i1 + w2 * i2 + b1)
    h2 = sigmoid(w3 * i1 + w4 * i2 + b1)
    o1 = sigmoid(w5 * h1 + w6 * h2 + b2)
    o2 = sigmoid(w7 * h1 + w8 * h2 + b2)
    d_o1 = (o1 - t1) * o1 * (1 - o1)
    d_o2 = (o2 - t2) * o2 * (1 - o2)
    d_h1 = (d_o1 * w5 + d_o2 * w7) * h1 * (1 - h1)
    d_h2 = (d_o1 * w6 + d_o2 * w8) * h2 * (1 - h2)
    return np.array([d_h1 * i1, d_h1 * i2, d_h2 * i1, d_h2 * i2,
                     d_o1 * h1, d_o1 * h2, d_o2 * h1, d_o2 * h2])


def dL_db(i, t, w, b):
    i1, i2 = i
    t1, t2 = t
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    b1, b2 = b
    h1 = sigmoid(w1 * i1 + w2 * i2 + b1)
    h2 = sigmoid(w3 * i1 + w4 * i2 + b1)
    o1 = sigmoid(w5 * h1 + w6 * h2 + b2)
    o2 = sigmoid(w7 * h1 + w8 * h2 + b2)
    d_o1 = (o1 - t1) * o1 * (1 - o1)
    d_o2 = (o2 - t2) * o2 * (1 - o2)
    d_h1 = (d_o1 * w5 + d_o2 * w7) * h1 * (1 - h1)
    d_h2 = (d_o1 * w6 + d_o2 * w8) * h2 * (1 - h2)
    return np.array([d_h1 + d_h2, d_o1 + d_o2])
