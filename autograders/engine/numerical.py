"""Detect finite differences: a function that evaluates something twice at points a hair apart.

While the student's function runs once, every call of a Python function from the
student's own code is recorded with its numeric arguments. Two calls of the same
function whose arguments differ by a tiny perturbation (the `h` of a finite
difference) are the signature of a numerical gradient, whatever the names used.
A finite difference nudges some inputs and keeps the others exactly, so the two calls
must also share at least one argument value bit for bit: a loop that calls `sigmoid(z)`
on samples that happen to lie close together is not a finite difference.
"""
import sys
import sysconfig
from pathlib import Path

import numpy as np

_SKIP = tuple({sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
              | {str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[2] / "solutions")}
              | {str(Path(np.__file__).resolve().parent)})    # NumPy itself, wherever it is (a venv, the sandbox)

#: A perturbation is a change of at most this much relative to the argument's size.
SMALL = 1e-3
MAX_RECORDED = 2000


def _numbers(frame):
    """The numeric arguments of a call, flattened, or None if it has none."""
    code = frame.f_code
    names = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
    parts = []
    for name in names:
        v = frame.f_locals.get(name)
        if isinstance(v, (float, int, np.floating, np.integer)) and not isinstance(v, bool):
            parts.append(np.array([float(v)]))
        elif type(v) is np.ndarray and v.dtype.kind in "iuf" and v.size <= 10_000:
            parts.append(np.ravel(v).astype(float))
    return np.concatenate(parts) if parts else None


class PerturbationTracer:
    """Context manager: records calls in student code; `.found` tells whether a perturbation was seen."""

    def __init__(self):
        self.calls = {}
        self.count = 0

    def _profile(self, frame, event, arg):
        if event != "call" or self.count >= MAX_RECORDED:
            return
        code = frame.f_code
        if code.co_filename.startswith(_SKIP) or code.co_filename.startswith("<frozen"):
            return
        try:
            numbers = _numbers(frame)
        except Exception:                      # noqa: BLE001 - an object half-built; never the student's error
            return
        if numbers is not None:
            self.count += 1
            self.calls.setdefault(code, []).append(numbers)

    def __enter__(self):
        self._previous = sys.getprofile()
        sys.setprofile(self._profile)
        return self

    def __exit__(self, *exc):
        sys.setprofile(self._previous)
        return False

    @property
    def found(self):
        for calls in self.calls.values():
            for k, a in enumerate(calls):
                for b in calls[k + 1:]:
                    if a.shape != b.shape:
                        continue
                    diff = np.abs(a - b)
                    size = np.maximum(np.abs(a), 1.0)
                    nudged, kept = diff > 0, diff == 0
                    if nudged.any() and kept.any() and np.all(diff <= SMALL * size):
                        return True
        return False
