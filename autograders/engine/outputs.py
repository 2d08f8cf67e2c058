"""Turn what a student's function returned into a plain float64 array, or say why not."""
import numbers

import numpy as np


class BadOutput(Exception):
    """The returned value cannot be graded; `contract` is the contract id, str(self) the reason."""

    def __init__(self, contract, reason):
        super().__init__(reason)
        self.contract = contract


def _real_array(value, what):
    if isinstance(value, (bool, np.bool_)) or isinstance(value, (str, bytes, dict, set)):
        raise BadOutput("wrong_type", f"{what} is a {type(value).__name__}")
    try:
        arr = np.array(value, subok=False)
    except Exception:                               # ragged lists, objects numpy cannot read
        raise BadOutput("wrong_type", f"{what} is not a number or array of numbers "
                                      f"(got {type(value).__name__})") from None
    if arr.dtype.kind == "c":
        raise BadOutput("wrong_type", f"{what} is complex")
    if arr.dtype.kind not in "iuf":
        raise BadOutput("wrong_type", f"{what} is not numeric (got {type(value).__name__} of {arr.dtype})")
    return arr.astype(np.float64)


def normalise(value, kind):
    """(array, note): the value as a float64 array for comparison; note names a type problem
    that does not stop comparison (a list where an array is asked for), else ''."""
    if value is None:
        raise BadOutput("wrong_type", "the function returned None: is a `return` missing?")
    note = ""
    if kind == "triple":
        if not isinstance(value, (tuple, list, np.ndarray)) or len(value) != 3:
            raise BadOutput("wrong_type", "sgd_step must return three values (w1_new, w2_new, b_new), "
                                          f"got {type(value).__name__}")
        parts = [_real_array(v, "each returned weight") for v in value]
        if len({p.shape for p in parts}) > 1:
            raise BadOutput("wrong_shape", "the three returned values have different shapes: "
                            + ", ".join(str(p.shape) for p in parts))
        return np.stack(parts), note
    if isinstance(value, (list, tuple)):
        note = (f"it returned a {type(value).__name__}; return a NumPy array"
                if kind == "array" else f"it returned a {type(value).__name__}; return one number")
    elif kind == "float" and not isinstance(value, (numbers.Real, np.generic, np.ndarray)):
        raise BadOutput("wrong_type", f"it returned a {type(value).__name__}, not a number")
    arr = _real_array(value, "the returned value")
    if kind == "float" and arr.size == 1:
        arr = arr.reshape(())                       # float, NumPy scalar, 0-d or size-1 array
    return arr, note


def rel_error(a, b, scale):
    """max |a - b| / scale; inf when the shapes differ."""
    if a.shape != b.shape:
        return np.inf
    return float(np.abs(a - b).max(initial=0.0)) / scale


def scale_of(*arrays):
    """The largest |entry| of the arrays (the unit of rel_error); never 0."""
    return max([float(np.abs(a).max(initial=0.0)) for a in arrays]) or 1e-300
