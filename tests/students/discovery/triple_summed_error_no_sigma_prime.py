"""Three catalogued mistakes at once, which grading (singles and pairs) does not search, so it is
unrecognised; discovery names the triple: sigma instead of sigma' at layer 2, W2 replaced by ones
(every unit gets the summed error), and no sigma' at layer 1."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW1": ("unrecognised",),
}
TRIPLE = ("sigma_instead_of_sigma_prime", "missing_downstream_weight", "missing_sigma_prime_layer1")


def df_dW1(x, W1, W2, W3):
    h1 = 1 / (1 + np.exp(-(W1 @ x)))
    h2 = 1 / (1 + np.exp(-(W2 @ h1)))
    delta2 = W3[0] * h2
    delta1 = delta2.sum() * np.ones_like(h1)
    return np.outer(delta1, x)
