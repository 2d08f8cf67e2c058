"""Correct: index loops over units and weights (weight w[2*k + j] goes from input j into unit k),
sums over both outputs accumulated with +=."""
import math

import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": (),
    "multi_path.dL_dh1": (),
    "multi_path.dL_dw1": (),
    "multi_path.dL_dw": (),
    "multi_path.dL_db": (),
}


def logistic(z):
    return 1.0 / (1.0 + math.exp(-z))


def run_loops(i, t, w, b):
    h = [0.0, 0.0]
    for k in range(2):
        z = b[0]
        for j in range(2):
            z += w[2 * k + j] * i[j]
        h[k] = logistic(z)
    o = [0.0, 0.0]
    for k in range(2):
        z = b[1]
        for j in range(2):
            z += w[4 + 2 * k + j] * h[j]
        o[k] = logistic(z)
    delta_o = [(o[k] - t[k]) * o[k] * (1 - o[k]) for k in range(2)]
    dL_dh = [0.0, 0.0]
    for j in range(2):
        for k in range(2):
            dL_dh[j] += delta_o[k] * w[4 + 2 * k + j]
    delta_h = [dL_dh[j] * h[j] * (1 - h[j]) for j in range(2)]
    grad = np.zeros(8)
    for k in range(2):
        for j in range(2):
            grad[2 * k + j] = delta_h[k] * i[j]
            grad[4 + 2 * k + j] = delta_o[k] * h[j]
    grad_b = np.zeros(2)
    for k in range(2):
        grad_b[0] += delta_h[k]
        grad_b[1] += delta_o[k]
    return grad, grad_b, dL_dh


def dL_dw5(i, t, w, b):
    grad, grad_b, dL_dh = run_loops(i, t, w, b)
    return grad[4]


def dL_dh1(i, t, w, b):
    grad, grad_b, dL_dh = run_loops(i, t, w, b)
    return dL_dh[0]


def dL_dw1(i, t, w, b):
    grad, grad_b, dL_dh = run_loops(i, t, w, b)
    return grad[0]


def dL_dw(i, t, w, b):
    grad, grad_b, dL_dh = run_loops(i, t, w, b)
    return grad


def dL_db(i, t, w, b):
    grad, grad_b, dL_dh = run_loops(i, t, w, b)
    return grad_b
