"""The output weights W3 left out of δ2, written with einsum and a named sigmoid derivative."""
import numpy as np

EXPECTED = {
    "matrix_mlp.df_dW1": ("unrecognised",),
}


def df_dW1(x, W1, W2, W3):
    def sig(z):
        return 1.0 / (1.0 + np.exp(-z))
    z1 = np.einsum("jk,k->j", W1, x)
    z2 = np.einsum("ij,j->i", W2, sig(z1))
    d_h2 = sig(z2) * (1.0 - sig(z2))
    d_z1 = np.einsum("ij,i->j", W2, d_h2) * sig(z1) * (1.0 - sig(z1))
    return np.einsum("j,k->jk", d_z1, x)
