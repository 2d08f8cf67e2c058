"""Both sigmoids treated as linear and the outer product written input-first: three catalogued mistakes
at once, which grading (singles and pairs) does not search, so it is unrecognised; discovery names it."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW1": ("unrecognised",),
}
TRIPLE = ("missing_sigma_prime_layer1", "missing_sigma_prime_layer2", "transposed_result")


def df_dW1(x, W1, W2, W3):
    return np.outer(x, (W3 @ W2)[0])
