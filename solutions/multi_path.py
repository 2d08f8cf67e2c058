"""Exercise 3: the 2-2-2 network where a hidden unit reaches L through both outputs.

    h1 = σ(w1 i1 + w2 i2 + b1)      h2 = σ(w3 i1 + w4 i2 + b1)
    o1 = σ(w5 h1 + w6 h2 + b2)      o2 = σ(w7 h1 + w8 h2 + b2)
    L  = ½[(t1 - o1)² + (t2 - o2)²]

In matrix form W1 = [[w1, w2], [w3, w4]] and W2 = [[w5, w6], [w7, w8]]
(row k holds the weights INTO unit k), so z1 = W1 i + b1 and z2 = W2 h + b2.
"""
import numpy as np

from .factors import NONE, sigmoid, loss_grad, sigma_prime, layer_input, outer


def layers(i, w, b):
    """The forward pass with its pre-activations: (z1, h, z2, o), each of shape (2,)."""
    W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
    z1 = W1 @ i + b[0]
    h = sigmoid(z1)                                                   # hidden layer (layer 1)
    z2 = W2 @ h + b[1]
    o = sigmoid(z2)                                                   # output layer (layer 2)
    return z1, h, z2, o


def forward(i, w, b):
    """Return (h, o), each of shape (2,)."""
    _, h, _, o = layers(i, w, b)
    return h, o


def loss(i, t, w, b):
    """L = ½ Σ_k (t_k - o_k)²."""
    _, o = forward(i, w, b)
    return 0.5 * np.sum((t - o) ** 2)


def gradients(i, t, w, b, mistakes=NONE, known=None):
    """All gradients: 'w' (8,), 'b' (2,), 'h' (2,) = ∂L/∂h, and the single ones asked for.

    `known` is layers(i, w, b) when the caller has it already (no mistake changes the forward pass).
    """
    m = mistakes
    W2 = w[4:].reshape(2, 2)
    z1, h, z2, o = known or layers(i, w, b)
    d2 = loss_grad(o, t, m) * sigma_prime(o, z2, 2, m)                # δo_k = (o_k - t_k) o_k(1 - o_k)
    gW2 = outer(d2, layer_input(h, i, 2, m, o), m)                    # ∂L/∂W2[k, j] = δo_k h_j
    dh = W2.T @ d2                                                    # ∂L/∂h_j = Σ_k δo_k W2[k, j]: both outputs
    if "single_output_path:o1" in m:
        dh = W2[0] * d2[0]                                            # only the path through o1
    if "single_output_path:o2" in m:
        dh = W2[1] * d2[1]                                            # only the path through o2
    if "chain_through_weight" in m:
        dh = d2.sum() * h                                             # "∂w/∂h": h_j where W2[k, j] belongs
    if "missing_downstream_weight:ones" in m:
        dh = d2.sum() * np.ones(2)                                    # w5..w8 taken as 1: Σ δo to each h_j
    if "missing_downstream_weight:dropped" in m:
        dh = d2                                                       # w5..w8 dropped: δo_j passed to h_j
    if "wrong_weight_index:downstream" in m:
        dh = W2 @ d2                                                  # w6, w8 used for w5, w7
    d1 = dh * sigma_prime(h, z1, 1, m)                                # δh_j = ∂L/∂h_j h_j(1 - h_j)
    gW1 = outer(d1, layer_input(i, h, 1, m), m)                       # ∂L/∂W1[j, l] = δh_j i_l
    gb1 = d1.sum()                                                    # ∂L/∂b1 = δh1 + δh2: b1 feeds h1 and h2
    gb2 = d2.sum()                                                    # ∂L/∂b2 = δo1 + δo2: b2 feeds o1 and o2
    if "bias_single_path:b1_h1" in m:
        gb1 = d1[0]                                                   # b1 followed into h1 only
    if "bias_single_path:b1_h2" in m:
        gb1 = d1[1]                                                   # b1 followed into h2 only
    if "bias_single_path:b2_o1" in m:
        gb2 = d2[0]                                                   # b2 followed into o1 only
    if "bias_single_path:b2_o2" in m:
        gb2 = d2[1]                                                   # b2 followed into o2 only
    gb = np.array([gb1, gb2])
    g = {
        "w": np.concatenate((gW1, gW2), axis=None),
        "b": gb,
        "h": dh,
        "w5": gW2[0, 0],
        "w1": gW1[0, 0],
        "h1": dh[0],
    }
    if "wrong_weight_index:target" in m:                              # the neighbouring connection's gradient
        g.update(w=np.concatenate((gW1.T, gW2.T), axis=None), b=gb[::-1],
                 w5=gW2[0, 1], w1=gW1[1, 0], h1=dh[1])
    return g


def dL_dw5(i, t, w, b):
    return gradients(i, t, w, b)["w5"]


def dL_dh1(i, t, w, b):
    return gradients(i, t, w, b)["h1"]


def dL_dw1(i, t, w, b):
    return gradients(i, t, w, b)["w1"]


def dL_dw(i, t, w, b):
    return gradients(i, t, w, b)["w"]


def dL_db(i, t, w, b):
    return gradients(i, t, w, b)["b"]
