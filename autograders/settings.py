"""Grading settings: each one named, documented, and overridable by environment variable.

Instructors set them in the environment of `nbgrader autograde` (the kernel
inherits it) or in `nbgrader_config.py`, which exports them for the kernels.
"""
import os

#: A correct answer matches the reference to this relative error (max |a - r| / max |r|).
#: Loose enough for float32 intermediates (~1e-7), far below every catalogued mistake.
TOLERANCE = float(os.environ.get("BACKPROP_TOLERANCE", 1e-5))

#: A trial is redrawn while any catalogued mistake comes closer than this to the reference.
SEPARATION = 1e-2

#: A diagnosis must beat the runner-up by this factor of TOLERANCE, else more trials are drawn.
CLEAR_FACTOR = 100.0

#: Random trials per check, and the most that ambiguity may add up to.
TRIALS = 3
MAX_TRIALS = 8

#: Seconds one call of a student's function may take.
CALL_TIME_LIMIT = float(os.environ.get("BACKPROP_CALL_TIME_LIMIT", 2.0))

#: Credit (fraction of the points) for a function that approximates by finite differences.
NUMERICAL_GRADIENT_CREDIT = float(os.environ.get("BACKPROP_NUMERICAL_GRADIENT_CREDIT", 0.0))

#: Out-of-kernel verification (verify.py): what a student's process may use, and what counts.
VERIFY_CPU_SECONDS = int(os.environ.get("BACKPROP_VERIFY_CPU_SECONDS", 60))
VERIFY_MEMORY_MB = int(os.environ.get("BACKPROP_VERIFY_MEMORY_MB", 2048))
VERIFY_CELL_SECONDS = float(os.environ.get("BACKPROP_VERIFY_CELL_SECONDS", 10))   # then the next cell runs
VERIFY_LOAD_SECONDS = float(os.environ.get("BACKPROP_VERIFY_LOAD_SECONDS", 60))   # all cells together
#: "verified": the verified score replaces a different in-kernel score in the gradebook (as nbgrader's
#: manual score, so the autograded one stays visible); "flag": only report the disagreement.
VERIFY_POLICY = os.environ.get("BACKPROP_VERIFY_POLICY", "verified")

#: Secret mixed into every trial seed, so trials cannot be predicted. The default is
#: for local practice only: set BACKPROP_COURSE_SECRET when grading a real class.
DEFAULT_COURSE_SECRET = "local-practice-secret"


def course_secret():
    return os.environ.get("BACKPROP_COURSE_SECRET", DEFAULT_COURSE_SECRET)
