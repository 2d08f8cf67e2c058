"""The child side of out-of-kernel verification (see sandbox.py). Runs as `python -I -S -c <this file>`.

It is self-contained on purpose: the child cannot import `autograders` or `solutions`
(they are hidden from it), only NumPy. It reads one JSON request per line from fd 0
and answers one JSON line on the protocol fd; the student's prints go nowhere.

Requests:  {"op": "load", "cells": [[index, source], ...]}
           {"op": "call", "fn": name, "args": [encoded...], "trace": bool}
"""
import io
import json
import os
import signal
import sys
import traceback

PROTOCOL_FD = int(sys.argv[1])
sys.path[:0] = json.loads(sys.argv[2])            # NumPy's site directory only: no .pth files, no editable finders
TRACER_SOURCE = sys.argv[3]
CELL_SECONDS = float(sys.argv[4])

import numpy as np                                 # noqa: E402  (after sys.path is set)

out = os.fdopen(PROTOCOL_FD, "w", buffering=1)
devnull = os.open(os.devnull, os.O_WRONLY)
os.dup2(devnull, 1)
os.dup2(devnull, 2)
sys.stdout = sys.stderr = io.StringIO()
requests = os.fdopen(0, "r")
tracer_namespace = {"__name__": "tracer", "__file__": "/nonexistent/autograders/numerical.py"}
exec(compile(TRACER_SOURCE, "<tracer>", "exec"), tracer_namespace)
namespace = {"__name__": "__main__"}
out.write(json.dumps({"hello": True}) + "\n")
out.flush()


def encode(value, depth=0):
    if depth > 4:
        return {"type": type(value).__name__}
    if type(value) is bool or value is None:
        return {"type": type(value).__name__}
    if isinstance(value, (float, int, np.floating, np.integer)):
        return {"float": float(value), "cls": type(value).__name__}
    if type(value) is np.ndarray and value.dtype.kind in "biuf" and value.size <= 100_000:
        return {"array": value.astype(float).tolist(), "shape": list(value.shape), "dtype": str(value.dtype)}
    if type(value) in (tuple, list):
        return {type(value).__name__: [encode(v, depth + 1) for v in value]}
    return {"type": type(value).__name__}


def decode(value):
    if isinstance(value, dict) and "array" in value:
        return np.array(value["array"], dtype=np.float64).reshape(value["shape"])
    return value


def where(tb):
    line = ""
    for frame, lineno in traceback.walk_tb(tb):
        if frame.f_code.co_filename.startswith("<cell"):
            src = namespace.get("__cells__", {}).get(frame.f_code.co_filename, "").splitlines()
            text = src[lineno - 1].strip() if 0 < lineno <= len(src) else ""
            line = f"line {lineno} of {frame.f_code.co_name}" + (f": {text}" if text else "")
    return line


def answer(obj):
    out.write(json.dumps(obj) + "\n")
    out.flush()


class CellTimeout(BaseException):
    """A cell ran longer than CELL_SECONDS: interrupted, and the next cell runs (as nbgrader does)."""


def on_alarm(signum, frame):
    raise CellTimeout(f"the cell ran longer than {CELL_SECONDS:g} s")


def load(cells):
    namespace["__cells__"] = {}
    errors = []
    signal.signal(signal.SIGALRM, on_alarm)
    for index, source in cells:
        name = f"<cell {index}>"
        namespace["__cells__"][name] = source
        try:
            signal.setitimer(signal.ITIMER_REAL, CELL_SECONDS, 0.5)
            exec(compile(source, name, "exec"), namespace)
        except BaseException as exc:             # SystemExit, KeyboardInterrupt: the student's, not ours
            errors.append([index, f"{type(exc).__name__}: {exc}"[:300]])
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    names = sorted(k for k, v in namespace.items() if callable(v) and not k.startswith("__"))
    answer({"loaded": True, "errors": errors, "functions": names})


def call(name, args, trace):
    fn = namespace.get(name)
    if not callable(fn):
        answer({"missing": True})
        return
    passed = [decode(a) for a in args]
    kept = [a.copy() if isinstance(a, np.ndarray) else a for a in passed]
    tracer = tracer_namespace["PerturbationTracer"]() if trace else None
    try:
        if tracer is not None:
            with tracer:
                value = fn(*passed)
        else:
            value = fn(*passed)
    except BaseException as exc:
        answer({"error": f"{type(exc).__name__}: {exc}"[:300], "where": where(exc.__traceback__),
                "type": type(exc).__name__})
        return
    mutated = [encode(p) if isinstance(p, np.ndarray) and not (p.shape == k.shape and
                                                                 np.array_equal(p, k, equal_nan=True))
               else None for p, k in zip(passed, kept)]
    answer({"value": encode(value), "mutated": mutated, "perturbed": bool(tracer is not None and tracer.found)})


for line in requests:
    request = json.loads(line)
    if request["op"] == "load":
        load(request["cells"])
    elif request["op"] == "call":
        call(request["fn"], request["args"], request.get("trace", False))
