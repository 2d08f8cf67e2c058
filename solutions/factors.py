"""The chain-rule factors shared by the exercises, each with its mistake knobs.

Every function returns the correct factor unless one of the catalogued
mistakes is in `m`, the set of knobs switched on. A knob is a mistake id
from MISTAKES.md, or `id:site` where the mistake can be made at several
places (a layer, a bias, a path) or read in several ways: `m` may hold the
same mistake at several sites at once (a `sigmoid_prime` helper written
wrong and used for both layers). With `m` empty they are plain math.
"""
import numpy as np

NONE = frozenset()


def sigmoid(z):
    """σ(z) = 1 / (1 + e^-z)."""
    return 1.0 / (1.0 + np.exp(-z))


def loss_grad(pred, target, m=NONE):
    """∂/∂pred of ½(target - pred)²  =  (pred - target)."""
    g = pred - target
    if "sign_flipped" in m:
        g = target - pred                      # (y - ŷ): forgot the inner -1
    if "loss_factor_double" in m:
        g = 2 * g                              # 2(ŷ - y): the ½ did not cancel the 2
    if "loss_factor_half" in m:
        g = g / 2                              # ½(ŷ - y): kept the ½
    return g


def sigma_prime(a, z, layer, m=NONE):
    """σ'(z) = σ(z)(1 - σ(z)) = a(1 - a), with a = σ(z) the layer's activation."""
    if m:
        missing, sigma, of_activation, of_z = _SIGMA_KNOBS[layer]
        if missing in m:
            return np.ones_like(a)             # dropped the factor
        if sigma in m:
            return a                           # σ(z) instead of σ'(z)
        if of_activation in m:
            return sigmoid(a) * (1 - sigmoid(a))   # σ'(a) instead of σ'(z)
        if of_z in m:
            return z * (1 - z)                 # z(1 - z) instead of σ(z)(1 - σ(z))
    return a * (1 - a)


_SIGMA_KNOBS = {layer: (f"missing_sigma_prime_layer{layer}", f"sigma_instead_of_sigma_prime:layer{layer}",
                        f"sigma_prime_of_activation:layer{layer}", f"z_times_one_minus_z:layer{layer}")
                for layer in (1, 2)}


def layer_input(right, wrong, layer, m=NONE, output=None):
    """The input that multiplies δ in ∂L/∂w = δ · input at `layer`; `wrong` is another layer's input,
    `output` the layer's own activation (what the pre-activation feeds, not what feeds it)."""
    if m:
        if f"wrong_input_factor:layer{layer}" in m:
            return wrong
        if f"wrong_input_factor:layer{layer}_output" in m:
            return output
    return right


def total(terms, m=NONE):
    """Σ_n over samples (L is a sum, not a mean)."""
    if "mean_instead_of_sum" in m:
        return np.mean(terms)                  # (1/N) Σ_n
    if "per_sample_not_summed:all" in m:
        return terms                           # the N terms, unsummed
    if "per_sample_not_summed:first" in m:
        return terms[0]                        # only sample 0
    if "per_sample_not_summed:last" in m:
        return terms[-1]                       # a loop that overwrote instead of adding
    return np.add.reduce(terms)


def outer(delta, inp, m=NONE):
    """∂/∂W of a layer z = W @ inp: the outer product δ inpᵀ, shape (len δ, len inp)."""
    if "missing_outer_with_input" in m:
        return delta                           # δ alone: the input never multiplied in
    if "transposed_result" in m:
        return inp[:, None] * delta[None, :]   # inp δᵀ: the transpose
    return delta[:, None] * inp[None, :]       # δ inpᵀ
