"""dL/db = sum of 2 (y_hat - y) y_hat (1 - y_hat): b followed into the output unit only, with the
2 of the square kept. The same number comes out of dropping w2 and h(1 - h) on the hidden path
(delta1 = delta2), so both explanations are given."""
import numpy as np

EXPECTED = {
    "scalar_chain.dL_db": ("bias_single_path", "loss_factor_double"),
}
READINGS = {
    "scalar_chain.dL_db": [("bias_single_path", "loss_factor_double"),
                           ("missing_downstream_weight", "missing_sigma_prime_layer1")],
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def dL_db(x, y, w1, w2, b):
    h = sigmoid(x * w1 + b)
    y_hat = sigmoid(h * w2 + b)
    return float(np.sum(2 * (y_hat - y) * y_hat * (1 - y_hat)))
