"""The released stubs left untouched: they raise NotImplementedError."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW2": ("raised",),
    "matrix_mlp.df_dW1": ("raised",),
}


def df_dW2(x, W1, W2, W3):
    # YOUR CODE HERE
    raise NotImplementedError()


def df_dW1(x, W1, W2, W3):
    # YOUR CODE HERE
    raise NotImplementedError()
