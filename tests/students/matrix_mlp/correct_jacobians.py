"""Correct: local Jacobians multiplied out (df/dh2 = W3, dh2/dh1 = diag(sigma'2) W2, ...), with
column vectors throughout."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW3": (),
    "matrix_mlp.df_dW2": (),
    "matrix_mlp.df_dW1": (),
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def jacobian_chain(x, W1, W2, W3):
    x_col = x.reshape(-1, 1)
    h1 = sigmoid(W1 @ x_col)                     # (m1, 1)
    h2 = sigmoid(W2 @ h1)                        # (m2, 1)
    df_dh2 = W3                                  # (1, m2)
    dh2_da2 = np.diag(h2[:, 0] * (1 - h2[:, 0]))  # (m2, m2)
    df_da2 = df_dh2 @ dh2_da2                    # (1, m2)
    da2_dh1 = W2                                 # (m2, m1)
    dh1_da1 = np.diag(h1[:, 0] * (1 - h1[:, 0]))  # (m1, m1)
    df_da1 = df_da2 @ da2_dh1 @ dh1_da1          # (1, m1)
    return {"W3": h2.T, "W2": df_da2.T @ h1.T, "W1": df_da1.T @ x_col.T}


def df_dW3(x, W1, W2, W3):
    return jacobian_chain(x, W1, W2, W3)["W3"]


def df_dW2(x, W1, W2, W3):
    return jacobian_chain(x, W1, W2, W3)["W2"]


def df_dW1(x, W1, W2, W3):
    return jacobian_chain(x, W1, W2, W3)["W1"]
