"""Mistakes met in more than one exercise, with messages parametrised by the exercise's names."""
from . import Mistake


def sign_flipped(checks, out, target):
    return Mistake(
        "sign_flipped", checks,
        what=f"Your answer has the opposite sign of the gradient: it points uphill.",
        why=f"The loss contains ({target} - {out})². Differentiating it with respect to {out} "
            f"brings out the inner derivative of ({target} - {out}), which is -1; without it "
            "every gradient downstream is negated.",
        fix=f"Re-derive ∂L/∂{out} with the inner derivative and check which way round the "
            f"difference between {out} and {target} goes.",
        factor=-1.0)


def loss_factor_double(checks, out, target):
    return Mistake(
        "loss_factor_double", checks,
        what="Your answer is twice the gradient: the loss derivative carries a factor 2 too many.",
        why=f"L = ½({target} - {out})²: the ½ is there so that it cancels the 2 that "
            "differentiating the square brings down.",
        fix="Differentiate ½u² once more on paper and see what is left in front.",
        factor=2.0)


def loss_factor_half(checks, out, target):
    return Mistake(
        "loss_factor_half", checks,
        what="Your answer is half the gradient: the ½ of the loss was kept after differentiating.",
        why=f"Differentiating ½({target} - {out})² brings down a 2 that cancels the ½; "
            "keeping the ½ halves every gradient.",
        fix="Differentiate ½u² on paper and see what is left in front.",
        factor=0.5)


def sigma_prime_mistakes(checks1, checks2, act1, act2):
    """The four activation-derivative mistakes, at layer 1 (act1) and/or layer 2 (act2)."""
    both = tuple(dict.fromkeys(checks1 + checks2))
    return [
        Mistake(
            "missing_sigma_prime_layer1", checks1,
            what=f"The chain skips the derivative of the layer-1 sigmoid, {act1}(1 - {act1}).",
            why=f"{act1} = σ(z): to get from ∂L/∂{act1} to ∂L/∂z you must multiply by σ'(z), "
                "and every weight feeding that layer is reached through z.",
            fix=f"Write the chain for this weight factor by factor and check that the step "
                f"through {act1} = σ(z) is there."),
        Mistake(
            "missing_sigma_prime_layer2", checks2,
            what=f"The chain skips the derivative of the layer-2 sigmoid, {act2}(1 - {act2}).",
            why=f"{act2} = σ(z): to get from ∂L/∂{act2} to ∂L/∂z you must multiply by σ'(z), "
                "and everything before that layer is reached through z.",
            fix=f"Write the chain factor by factor and check that the step through "
                f"{act2} = σ(z) is there."),
        Mistake(
            "sigma_instead_of_sigma_prime", both,
            what="At one layer the chain multiplies by the sigmoid itself, σ(z), instead of "
                 "its derivative σ'(z).",
            why="The chain rule needs the derivative of each function it passes through; "
                "σ(z) is the function's value, not its slope.",
            fix="Check each σ factor in your chain: it should be σ'(z) = σ(z)(1 - σ(z)).",
            variants=("layer1", "layer2")),
        Mistake(
            "sigma_prime_of_activation", both,
            what="At one layer σ' is applied to the activation, σ(a)(1 - σ(a)) with a = σ(z), "
                 "instead of being evaluated at z.",
            why="The activation a is already σ(z), so σ'(z) = a(1 - a); applying σ again "
                "computes the slope at the wrong point.",
            fix="Where you have the activation a = σ(z) in hand, σ'(z) is simply a(1 - a).",
            variants=("layer1", "layer2")),
        Mistake(
            "z_times_one_minus_z", both,
            what="At one layer σ' was written as z(1 - z) with the pre-activation z.",
            why="σ'(z) = σ(z)(1 - σ(z)): the shortcut a(1 - a) uses the activation "
                "a = σ(z), not z itself.",
            fix="Check what you plug into x(1 - x): it must be the sigmoid's output.",
            variants=("layer1", "layer2")),
    ]
