"""The reference gradients against independent oracles: complex-step and central differences.

The oracles differentiate the forward pass / loss only; they never call `gradients`.
"""
import numpy as np
import pytest

from solutions import matrix_mlp, multi_path, scalar_chain

H = 1e-30          # complex step: exact to rounding, no cancellation


def complex_step(f, x):
    """∂f/∂x for every entry of x (a float or an array), by the complex step."""
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        xc = x.astype(complex)
        xc[idx] += 1j * H
        grad[idx] = np.imag(f(xc)) / H
    return grad


def central(f, x, h=1e-6):
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[idx] += h
        down[idx] -= h
        grad[idx] = (f(up) - f(down)) / (2 * h)
    return grad


@pytest.mark.parametrize("seed", range(5))
def test_scalar_chain_against_complex_step(seed):
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(-2, 2, 5), rng.uniform(0, 1, 5)
    w1, w2, b = rng.normal(0, 1.5, 3)
    L = scalar_chain.loss
    np.testing.assert_allclose(scalar_chain.dL_dw1(x, y, w1, w2, b), complex_step(lambda v: L(x, y, v, w2, b), w1), rtol=1e-12)
    np.testing.assert_allclose(scalar_chain.dL_dw2(x, y, w1, w2, b), complex_step(lambda v: L(x, y, w1, v, b), w2), rtol=1e-12)
    np.testing.assert_allclose(scalar_chain.dL_db(x, y, w1, w2, b), complex_step(lambda v: L(x, y, w1, w2, v), b), rtol=1e-12)
    np.testing.assert_allclose(scalar_chain.dL_db(x, y, w1, w2, b), central(lambda v: L(x, y, w1, w2, v), b), rtol=1e-6)


def test_sgd_step_takes_every_gradient_at_the_old_weights():
    rng = np.random.default_rng(7)
    x, y = rng.uniform(-2, 2, 4), rng.uniform(0, 1, 4)
    w1, w2, b = rng.normal(0, 1.5, 3)
    lr = 0.3
    L = scalar_chain.loss
    want = [w1 - lr * complex_step(lambda v: L(x, y, v, w2, b), w1),
            w2 - lr * complex_step(lambda v: L(x, y, w1, v, b), w2),
            b - lr * complex_step(lambda v: L(x, y, w1, w2, v), b)]
    np.testing.assert_allclose(scalar_chain.sgd_step(x, y, w1, w2, b, lr), want, rtol=1e-12)


@pytest.mark.parametrize("shape", [(2, 2, 2), (4, 3, 5), (1, 6, 2), (5, 1, 3)])
def test_matrix_mlp_against_complex_step(shape):
    n, m1, m2 = shape
    rng = np.random.default_rng(n * 100 + m1 * 10 + m2)
    x = rng.uniform(-2, 2, n)
    W1, W2, W3 = rng.normal(0, 1.5, (m1, n)), rng.normal(0, 1.5, (m2, m1)), rng.normal(0, 1.5, (1, m2))
    f = lambda x, W1, W2, W3: matrix_mlp.forward(x, W1, W2, W3)[2][0]
    for name, got, want in [
        ("df_dW1", matrix_mlp.df_dW1(x, W1, W2, W3), complex_step(lambda V: f(x, V, W2, W3), W1)),
        ("df_dW2", matrix_mlp.df_dW2(x, W1, W2, W3), complex_step(lambda V: f(x, W1, V, W3), W2)),
        ("df_dW3", matrix_mlp.df_dW3(x, W1, W2, W3), complex_step(lambda V: f(x, W1, W2, V), W3)),
    ]:
        assert got.shape == want.shape, f"{name} shape {got.shape} != {want.shape} for n, m1, m2 = {shape}"
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15, err_msg=f"{name}, n, m1, m2 = {shape}")
    np.testing.assert_allclose(matrix_mlp.df_dW1(x, W1, W2, W3), central(lambda V: f(x, V, W2, W3), W1),
                               rtol=1e-6, atol=1e-9, err_msg=f"df_dW1 vs central differences, {shape}")


@pytest.mark.parametrize("seed", range(5))
def test_multi_path_against_complex_step(seed):
    rng = np.random.default_rng(seed)
    i, t = rng.uniform(-2, 2, 2), rng.uniform(0, 1, 2)
    w, b = rng.normal(0, 1.5, 8), rng.normal(0, 1.5, 2)
    L = multi_path.loss
    dw = complex_step(lambda v: L(i, t, v, b), w)
    np.testing.assert_allclose(multi_path.dL_dw(i, t, w, b), dw, rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(multi_path.dL_dw(i, t, w, b), central(lambda v: L(i, t, v, b), w), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(multi_path.dL_db(i, t, w, b), complex_step(lambda v: L(i, t, w, v), b), rtol=1e-12)
    assert multi_path.dL_dw5(i, t, w, b) == pytest.approx(dw[4], rel=1e-12)
    assert multi_path.dL_dw1(i, t, w, b) == pytest.approx(dw[0], rel=1e-12)

    def loss_given_h1(h1):                  # L as a function of h1 alone, the rest of the forward pass fixed
        h, _ = multi_path.forward(i, w, b)
        h = np.array([h1, h[1]], dtype=complex)
        o = 1 / (1 + np.exp(-(w[4:].reshape(2, 2) @ h + b[1])))
        return 0.5 * np.sum((t - o) ** 2)
    h1 = multi_path.forward(i, w, b)[0][0]
    assert multi_path.dL_dh1(i, t, w, b) == pytest.approx(complex_step(loss_given_h1, h1), rel=1e-12)
