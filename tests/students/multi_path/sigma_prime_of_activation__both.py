"""Matrix style; the derivative helper is given the activations (h, o) and applies the sigmoid to
them again, at both layers."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dw5": ("sigma_prime_of_activation",),
    "multi_path.dL_dh1": ("sigma_prime_of_activation",),
    "multi_path.dL_dw1": ("sigma_prime_of_activation",),
    "multi_path.dL_dw": ("sigma_prime_of_activation",),
    "multi_path.dL_db": ("sigma_prime_of_activation",),
}
WHERE = {
    "multi_path.dL_dw5": "at layer 2",
    "multi_path.dL_dw1": "at both layers",
    "multi_path.dL_dw": "at both layers",
    "multi_path.dL_db": "at both layers",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dsigmoid(a):
    return sigmoid(a) * (1 - sigmoid(a))


def backward(i, t, w, b):
    W1 = np.array([[w[0], w[1]], [w[2], w[3]]])
    W2 = np.array([[w[4], w[5]], [w[6], w[7]]])
    h = sigmoid(W1 @ i + b[0])
    o = sigmoid(W2 @ h + b[1])
    delta_o = (o - t) * dsigmoid(o)
    dL_dh = W2.T @ delta_o
    delta_h = dL_dh * dsigmoid(h)
    return {"W1": np.outer(delta_h, i), "W2": np.outer(delta_o, h), "h": dL_dh,
            "b": np.array([delta_h.sum(), delta_o.sum()])}


def dL_dw5(i, t, w, b):
    return backward(i, t, w, b)["W2"][0, 0]


def dL_dh1(i, t, w, b):
    return backward(i, t, w, b)["h"][0]


def dL_dw1(i, t, w, b):
    return backward(i, t, w, b)["W1"][0, 0]


def dL_dw(i, t, w, b):
    g = backward(i, t, w, b)
    return np.concatenate([g["W1"].ravel(), g["W2"].ravel()])


def dL_db(i, t, w, b):
    return backward(i, t, w, b)["b"]
