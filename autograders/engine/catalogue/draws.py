"""Small predicates that keep random trials away from coincidences that hide mistakes."""
import numpy as np


def unsaturated(*activations, margin=0.02):
    """Every sigmoid output inside (margin, 1 - margin): its derivative is not vanishing."""
    return all(margin < a.min() and a.max() < 1 - margin for a in activations)


def far_apart(values, gap=0.15):
    """No two values within `gap` of each other (nearly equal weights hide index mistakes)."""
    v = np.sort(np.ravel(values))
    return bool((v[1:] - v[:-1] > gap).all())


def targets_away_from(outputs, rng, gap=0.05, low=0.02, high=0.98):
    """Targets uniform on (low, high) minus a band of ±gap around each output: never equal to it."""
    t = rng.uniform(low, high - 2 * gap, np.shape(outputs))
    return np.where(t >= outputs - gap, t + 2 * gap, t)
