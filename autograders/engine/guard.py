"""Call a student's function safely: time limit, output captured, arguments copied and checked.

Nothing the student's code prints or warns reaches the notebook's stderr (nbgrader
gives zero to a test cell with any stderr output); it is kept on the `Call` instead.
"""
import contextlib
import copy
import io
import linecache
import signal
import threading
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

_OUR_DIRS = (str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[2] / "solutions"))  # autograders/, solutions/


class CallTimeout(BaseException):
    """Raised inside the student's code when the per-call time limit has passed."""


@dataclass
class Call:
    value: object = None
    error: BaseException = None        # what the student's code raised
    where: str = ""                    # "line 7 of dL_dw1: delta = W2 @ d2", in the student's own code
    timed_out: bool = False
    mutated: tuple = ()                # names of arguments changed in place
    output: str = ""                   # stdout + stderr the call printed (never shown as stderr)
    warnings: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def raised(self):
        return self.error is not None


def _copy(value):
    if type(value) in (float, int):
        return value                            # immutable
    return value.copy() if type(value) is np.ndarray else copy.deepcopy(value)


def _same(a, b):
    """Bit-for-bit equal (so NaN equals NaN and -0.0 differs from 0.0)."""
    if type(a) is np.ndarray and type(b) is np.ndarray:
        return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()
    return type(a) is type(b) and (a is b or a == b or (a != a and b != b))


def _student_frame(tb):
    """The innermost traceback frame that is the student's code, as 'line N of NAME: source'."""
    where = ""
    for frame, lineno in traceback.walk_tb(tb):
        filename = frame.f_code.co_filename
        if filename.startswith(_OUR_DIRS) or "site-packages" in filename or filename.startswith("<frozen"):
            continue
        source = linecache.getline(filename, lineno).strip()
        where = f"line {lineno} of {frame.f_code.co_name}" + (f": {source}" if source else "")
    return where


@contextlib.contextmanager
def _time_limit(seconds, fired):
    """Raise CallTimeout in the main thread after `seconds` (and again every 50 ms if swallowed).

    `fired` (a list) gets an entry when the limit passes, so a swallowed CallTimeout still counts.
    """
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield                                   # no signals off the main thread: the cell timeout applies
        return

    def on_alarm(signum, frame):
        fired.append(True)
        raise CallTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def call(fn, params, args, time_limit=None, tracer=None):
    """Call fn with copies of args[p] for p in params (positionally); never raises for the student's faults."""
    originals = [args[p] for p in params]          # never handed out: the student gets copies
    passed = [_copy(v) for v in originals]
    result = Call()
    sink = io.StringIO()
    fired = []
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught, \
            contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        warnings.simplefilter("always")
        try:
            with _time_limit(time_limit, fired):
                if tracer is not None:
                    with tracer:
                        result.value = fn(*passed)
                else:
                    result.value = fn(*passed)
        except CallTimeout:
            result.timed_out = True
        except BaseException as exc:            # SystemExit, KeyboardInterrupt too: they are the student's
            result.error = exc
            result.where = getattr(exc, "remote_where", "") or _student_frame(exc.__traceback__)
    result.timed_out = result.timed_out or bool(fired)
    result.seconds = time.perf_counter() - start
    result.output = sink.getvalue()
    result.warnings = [f"{w.category.__name__}: {w.message}" for w in caught]
    result.mutated = tuple(p for p, before, after in zip(params, originals, passed) if not _same(before, after))
    return result
