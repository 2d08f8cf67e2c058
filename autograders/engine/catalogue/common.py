"""Mistakes met in more than one exercise, with messages parametrised by the exercise's names."""
from . import Mistake


def sign_flipped(out, target):
    return Mistake(
        "sign_flipped",
        what="Your answer has the opposite sign of the gradient: it points uphill.",
        why=f"The loss contains ({target} - {out})². Differentiating it with respect to {out} "
            f"brings out the inner derivative of ({target} - {out}), which is -1; without it "
            "every gradient downstream is negated.",
        fix=f"Re-derive ∂L/∂{out} with the inner derivative and check which way round the "
            f"difference between {out} and {target} goes.",
        factor=-1.0)


def loss_factor_double(out, target):
    return Mistake(
        "loss_factor_double",
        what="Your answer is twice the gradient: the loss derivative carries a factor 2 too many.",
        why=f"L = ½({target} - {out})²: the ½ is there so that it cancels the 2 that "
            "differentiating the square brings down.",
        fix="Differentiate ½u² once more on paper and see what is left in front.",
        factor=2.0)


def loss_factor_half(out, target):
    return Mistake(
        "loss_factor_half",
        what="Your answer is half the gradient: the ½ of the loss was kept after differentiating.",
        why=f"Differentiating ½({target} - {out})² brings down a 2 that cancels the ½; "
            "keeping the ½ halves every gradient.",
        fix="Differentiate ½u² on paper and see what is left in front.",
        factor=0.5)


def layers(act1, act2):
    """Where a per-layer mistake is made, in words."""
    return dict(places={"layer1": f"at layer 1 ({act1})", "layer2": f"at layer 2 ({act2})"},
                every="at both layers")


def sigma_prime_mistakes(act1, act2):
    """The activation-derivative mistakes, at layer 1 (act1), layer 2 (act2) or both."""
    at = layers(act1, act2)
    return [
        Mistake(
            "missing_sigma_prime_layer1",
            what=f"The chain skips the derivative of the layer-1 sigmoid, {act1}(1 - {act1}).",
            why=f"{act1} = σ(z): to get from ∂L/∂{act1} to ∂L/∂z you must multiply by σ'(z), "
                "and every weight feeding that layer is reached through z.",
            fix=f"Write the chain for this weight factor by factor and check that the step "
                f"through {act1} = σ(z) is there."),
        Mistake(
            "missing_sigma_prime_layer2",
            what=f"The chain skips the derivative of the layer-2 sigmoid, {act2}(1 - {act2}).",
            why=f"{act2} = σ(z): to get from ∂L/∂{act2} to ∂L/∂z you must multiply by σ'(z), "
                "and everything before that layer is reached through z.",
            fix=f"Write the chain factor by factor and check that the step through "
                f"{act2} = σ(z) is there."),
        Mistake(
            "sigma_instead_of_sigma_prime",
            what="The chain multiplies by the sigmoid itself, σ(z), where its derivative σ'(z) belongs.",
            why="The chain rule needs the derivative of each function it passes through; "
                "σ(z) is the function's value, not its slope.",
            fix="Check each σ factor in your chain (and any helper that computes it): it should be "
                "σ'(z) = σ(z)(1 - σ(z)).",
            variants=("layer1", "layer2"), **at),
        Mistake(
            "sigma_prime_of_activation",
            what="σ' is applied to the activation, σ(a)(1 - σ(a)) with a = σ(z), instead of being "
                 "evaluated at z.",
            why="The activation a is already σ(z), so σ'(z) = a(1 - a); applying σ again "
                "computes the slope at the wrong point.",
            fix="Where you have the activation a = σ(z) in hand, σ'(z) is simply a(1 - a); check what "
                "your derivative helper is given and what it does with it.",
            variants=("layer1", "layer2"), **at),
        Mistake(
            "z_times_one_minus_z",
            what="σ' was written as z(1 - z) with the pre-activation z.",
            why="σ'(z) = σ(z)(1 - σ(z)): the shortcut a(1 - a) uses the activation "
                "a = σ(z), not z itself.",
            fix="Check what you plug into x(1 - x) (in a helper too): it must be the sigmoid's output.",
            variants=("layer1", "layer2"), **at),
    ]
