"""df_dW3: "f is linear, so the output's error signal is 1 and that is the gradient": returned the
layer's delta, never multiplied by h2."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW3": ("missing_outer_with_input",),
}


def df_dW3(x, W1, W2, W3):
    delta3 = np.ones(W3.shape[0])
    return delta3
