"""A `while True: pass` placeholder ("come back to this") left in the function."""
import numpy as np

EXPECTED = {
    "multi_path.dL_dh1": ("timeout",),
}


def dL_dh1(i, t, w, b):
    while True:
        pass
