"""sgd_step goes "backwards like backprop": updates w2, then takes the w1 gradient with the new w2,
then the b gradient with both new weights."""
import numpy as np

EXPECTED = {
    "scalar_chain.sgd_step": ("post_update_weights",),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sgd_step(x, y, w1, w2, b, lr):
    params = {"w1": w1, "w2": w2, "b": b}
    for name in ["w2", "w1", "b"]:
        h = sigmoid(x * params["w1"] + params["b"])
        y_hat = sigmoid(h * params["w2"] + params["b"])
        d2 = (y_hat - y) * y_hat * (1 - y_hat)
        d1 = d2 * params["w2"] * h * (1 - h)
        if name == "w2":
            grad = np.sum(d2 * h)
        elif name == "w1":
            grad = np.sum(d1 * x)
        else:
            grad = np.sum(d1 + d2)
        params[name] = params[name] - lr * grad
    return params["w1"], params["w2"], params["b"]
