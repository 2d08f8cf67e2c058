"""Self-checks for the backprop notebooks: one line under each graded function, not graded.

    from selfcheck import self_check; self_check("matrix_mlp.df_dW1")

It runs the function on a small fixed example, checks the type and shape of the answer,
and compares one or two entries with central finite differences of the notebook's GIVEN
forward pass. Everything here is public: the examples, the shapes, the wording. There is
no reference gradient and no grader code in it: the hidden tests use fresh random numbers
and a grader that never ships with the notebook.

When the course runs the instant-feedback service (BACKPROP_FEEDBACK_URL is set), the cell
asks it first: the service sends test inputs, your function runs on them here, in this
kernel, and only what it returned is sent back; the answer says what is wrong, why, and one
thing to try, never a value of the gradient. Without a service, the cell says so in one line
and runs the finite-difference check.

nbgrader copies this file next to every released notebook. Edit source/selfcheck.py, then copy
it into each source/<assignment>/; `backprop-grader check-course` says when a copy differs.
"""
import linecache
import os
import sys
from dataclasses import dataclass

import numpy as np

EPS = 1e-6                      # step of the central differences
ATOL, RTOL = 1e-6, 1e-5         # how close to a finite difference "agrees" is


# -- instant feedback from the course's feedback service (issue 16) ---------------------------

SERVICE_URL, SERVICE_TOKEN = "BACKPROP_FEEDBACK_URL", "BACKPROP_FEEDBACK_TOKEN"
OFF = "Instant feedback is off here (no feedback service is set up): this is the finite-difference check."
UNAVAILABLE = ("Instant feedback is unavailable right now (the feedback service did not answer): "
               "this is the finite-difference check.")
BIG = 10_000                    # an answer with more entries than this is sent as its shape only


def formative_service():
    """The feedback service set up in the environment, or None (the default).

    BACKPROP_FEEDBACK_URL is the service's address; the token is BACKPROP_FEEDBACK_TOKEN (issued by
    the instructor) or, on a JupyterHub, this server's own JUPYTERHUB_API_TOKEN. The client's
    `check(check_id, fn)` returns the service's message, or None (with `note` saying why) so that
    the finite-difference check runs instead. The notebook's one-line cell is the same either way.
    """
    url = os.environ.get(SERVICE_URL, "").strip()
    token = os.environ.get(SERVICE_TOKEN) or os.environ.get("JUPYTERHUB_API_TOKEN")
    return FeedbackClient(url, token) if url and token else None


class Answer(str):
    """The service's message as plain text, with its HTML twin for the notebook."""
    html = ""


class FeedbackClient:
    """Gets test inputs from the feedback service, runs your function on them in this kernel and sends
    back only what it returned; the service answers with a message, never with a gradient value."""

    def __init__(self, url, token, timeout=10.0):
        self.url, self.token, self.timeout, self.note = url.rstrip("/") + "/", token, timeout, ""

    def check(self, check_id, fn):
        status, issued = self._post(f"api/checks/{check_id}/trials", {})
        if status == 200:
            inputs = [{p: _from_wire(v) for p, v in args.items()} for args in issued["inputs"]]
            outputs = [_outcome(fn, args) for args in inputs]
            status, answer = self._post(f"api/checks/{check_id}/answers", {
                "trial_id": issued["trial_id"], "outputs": outputs, "again": _outcome(fn, inputs[0])})
            if status == 200:
                message = Answer(answer["message"])
                message.html = answer.get("html", "")
                return message
            issued = answer
        why = str(issued.get("error", f"status {status}"))[:300]
        self.note = (f"Instant feedback is off for this assignment: this is the finite-difference check."
                     if issued.get("off") else f"Instant feedback: {why} This is the finite-difference check."
                     if status == 429 else f"Instant feedback is unavailable right now ({why}): this is the "
                     "finite-difference check.")
        return None

    def _post(self, path, payload):
        import json
        import urllib.error
        import urllib.request
        request = urllib.request.Request(self.url + path, json.dumps(payload, allow_nan=False).encode(), method="POST",
                                         headers={"Authorization": f"token {self.token}",
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            try:
                return error.code, json.loads(error.read())
            except ValueError:
                return error.code, {}


def _outcome(fn, args):
    """What `fn` did on copies of `args`, for the wire: its value and the arguments it changed, or the
    exception it raised (type, text and the line of your code); its prints are not shown again."""
    import contextlib
    import io
    import warnings
    passed = [np.copy(v) if isinstance(v, np.ndarray) else v for v in args.values()]
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = fn(*passed)
    except Exception as error:  # noqa: BLE001 - the student's error, named in the message
        line = _last_line(error)
        where = f"line {line[1]} of {line[0]}" + (f": {line[2]}" if line[2] else "") if line else ""
        return {"raised": {"type": type(error).__name__, "message": str(error)[:300], "where": where}}
    changed = [p for (p, v), w in zip(args.items(), passed)
               if isinstance(v, np.ndarray) and not np.array_equal(v, w, equal_nan=True)]
    return {"value": _to_wire(value), "mutated": changed}


def _to_wire(value, depth=0):
    if value is None:
        return {"none": True}
    if isinstance(value, (bool, np.bool_)):
        return {"type": "bool"}
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        if value.size > BIG:
            return {"big": list(value.shape)}
        return {"array": [x if np.isfinite(x) else None for x in value.astype(float).ravel().tolist()],
                "shape": list(value.shape)}
    if isinstance(value, (int, float, np.integer, np.floating)):
        return {"number": float(value) if np.isfinite(float(value)) else None}
    if isinstance(value, (list, tuple)) and depth < 4 and len(value) <= BIG:
        return {"tuple" if isinstance(value, tuple) else "list": [_to_wire(v, depth + 1) for v in value]}
    return {"type": "complex" if np.iscomplexobj(value) else type(value).__name__}


def _from_wire(value):
    if "array" in value:
        return np.array(value["array"], dtype=float).reshape(value["shape"])
    return float(value["number"])


def self_check(check_id, fn=None):
    """Show what the self-check of one graded function finds. It never raises.

    `fn` defaults to the function of that name in the notebook, so the cell also gives a
    plain message when the given code or the function's own cell has not been run yet.
    """
    notebook = sys._getframe(1).f_globals
    try:
        report = _report(check_id, fn, notebook)
    except Exception as error:  # noqa: BLE001 - a plain sentence, never a traceback
        report = (f"The self-check could not finish ({type(error).__name__}: {error}). "
                  "Run the given code cell at the top again, then this cell.")
    if getattr(report, "html", ""):
        try:
            from IPython import get_ipython
            from IPython.display import display
            if get_ipython() is not None:
                display({"text/html": report.html, "text/plain": str(report)}, raw=True)
                return
        except ImportError:
            pass
    print(report)


def _report(check_id, fn, notebook):
    if check_id not in CHECKS:
        return f"There is no self-check called {check_id!r}."
    exercise, _, name = check_id.partition(".")
    given = EXERCISES[exercise].given
    if not all(callable(notebook.get(g)) for g in given):
        return f"Run the given code cell at the top first (it defines {_words(given)}), then this cell."
    fn = notebook.get(name) if fn is None else fn
    if not callable(fn):
        return f"{name} is not defined yet: run the cell with your function above, then this cell."
    service, note = formative_service(), OFF
    if service is not None:
        try:
            message = service.check(check_id, fn)
        except Exception:  # noqa: BLE001 - the service's fault: fall back to finite differences
            message = None
        if message:
            return message
        note = getattr(service, "note", "") or UNAVAILABLE
    return CHECKS[check_id].run(name, fn, notebook, EXERCISES[exercise]) + "\n" + note


# -- the exercises: given code, fixed examples, what the gradients are of ----------------------

@dataclass(frozen=True)
class Exercise:
    given: tuple            # what the given code cell defines
    example: callable       # () -> {argument: value}, in the order the graded functions take them
    objective: callable     # (notebook, **example) -> the number the gradients are of


def _mlp_example():
    rng = np.random.default_rng(7)                      # n = 4, m1 = 3, m2 = 5: not square
    return {"x": rng.uniform(-2, 2, 4), "W1": rng.normal(0, 1, (3, 4)), "W2": rng.normal(0, 1, (5, 3)),
            "W3": rng.normal(0, 1, (1, 5))}


EXERCISES = {
    "scalar_chain": Exercise(
        ("sigmoid", "forward", "loss"),
        lambda: {"x": np.array([-1.5, -0.4, 0.3, 1.1, 1.8]), "y": np.array([0.2, 0.9, 0.4, 0.7, 0.1]),
                 "w1": 0.8, "w2": -1.3, "b": 0.4},
        lambda nb, x, y, w1, w2, b: nb["loss"](x, y, w1, w2, b)),
    "matrix_mlp": Exercise(
        ("sigmoid", "forward"), _mlp_example,
        lambda nb, x, W1, W2, W3: nb["forward"](x, W1, W2, W3)[2][0]),
    "multi_path": Exercise(
        ("sigmoid", "forward", "loss"),
        lambda: {"i": np.array([0.6, -1.4]), "t": np.array([0.3, 0.85]),
                 "w": np.array([0.9, -0.7, 1.3, 0.4, -1.1, 0.8, 1.6, -0.5]), "b": np.array([0.2, -0.3])},
        lambda nb, i, t, w, b: nb["loss"](i, t, w, b)),
}


def moved(exercise, notebook, args, arg, at, step):
    """The exercise's objective with entry `at` of argument `arg` moved by `step`."""
    args = dict(args)
    if at == ():
        args[arg] = args[arg] + step
    else:
        args[arg] = np.array(args[arg], dtype=float)
        args[arg][at] += step
    return exercise.objective(notebook, **args)


def loss_with_h_moved(exercise, notebook, args, arg, at, step):
    """multi_path's L as a function of the hidden units h = (h1, h2): the given forward pass from h on."""
    h = np.array(notebook["forward"](args["i"], args["w"], args["b"])[0], dtype=float)
    h[at] += step
    o = notebook["sigmoid"](args["w"][4:].reshape(2, 2) @ h + args["b"][1])
    return 0.5 * np.sum((args["t"] - o) ** 2)


def finite_difference(exercise, notebook, args, arg, at, how=moved):
    """Central difference of the objective by one entry of one argument."""
    return (how(exercise, notebook, args, arg, at, EPS) - how(exercise, notebook, args, arg, at, -EPS)) / (2 * EPS)


def agrees(mine, fd):
    return abs(mine - fd) <= ATOL + RTOL * abs(fd)


# -- the checks --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Gradient:
    """A gradient: one number (shape None) or an array; spot-checked at `spots`, (label, index, arg, at)."""
    spots: tuple
    shape: object = None    # None: one number; a tuple; or the argument whose shape it has
    why: str = ""           # what the shape is, in the shape message
    hint: str = ""          # said when a number is asked for and an array comes back
    how: callable = moved   # the objective with one entry moved

    def run(self, name, fn, notebook, exercise):
        args = exercise.example()
        value, problem = call(name, fn, args)
        if problem:
            return problem
        if self.shape is None:
            value, problem = as_number(name, value, self.hint)
            lines = ["Type OK: one number."]
        else:
            want = args[self.shape].shape if isinstance(self.shape, str) else self.shape
            problem = shape_problem(name, value, want, self.why)
            lines = [f"Shape OK: {want}{self.why}."]
        if problem:
            return problem
        for label, index, arg, at in self.spots:
            fd = finite_difference(exercise, notebook, args, arg, at, self.how)
            mine = float(value[index]) if index != () else value
            lines.append(f"Finite-difference spot check on {label}: agrees." if agrees(mine, fd) else
                         f"Finite-difference spot check on {label} differs: your value {mine:.6g}, "
                         f"finite difference {fd:.6g}. Check the chain-rule factors.")
        return "\n".join(lines)


@dataclass(frozen=True)
class Step:
    """One step of gradient descent on the given loss, every gradient at the old weights."""
    lr: float = 0.5

    def run(self, name, fn, notebook, exercise):
        args = exercise.example()
        value, problem = call(name, fn, {**args, "lr": self.lr},
                              stub=" (and the gradient functions it uses)")
        if problem:
            return problem
        if value is None:
            return f"{name} returned None: is a `return` missing?"
        if not isinstance(value, (tuple, list)) or len(value) != 3:
            return f"{name} should return a tuple (w1_new, w2_new, b_new), but it returned {_show(value)}."
        new = []
        for label, v in zip(("w1_new", "w2_new", "b_new"), value):
            v, problem = as_number(label, v)
            if problem:
                return f"Each of w1_new, w2_new, b_new should be one number. {problem}"
            new.append(v)
        lines = ["Type OK: a tuple (w1_new, w2_new, b_new)."]
        for param, v in zip(("w1", "w2", "b"), new):
            fd = finite_difference(exercise, notebook, args, param, ())
            step, expected = v - args[param], args[param] - self.lr * fd
            lines.append(f"Finite-difference spot check of the step of {param}: agrees."
                         if agrees(step, -self.lr * fd) else
                         f"{param}_new differs: yours {v:.6g}, old value - lr * finite difference {expected:.6g}. "
                         f"Check the gradient of {param}, the direction of the step, and that every gradient "
                         "is taken at the old weights.")
        before = exercise.objective(notebook, **args)
        after = exercise.objective(notebook, **{**args, "w1": new[0], "w2": new[1], "b": new[2]})
        lines.append(f"The loss went from {before:.6f} to {after:.6f} "
                     "(with a small enough lr, a step downhill makes it smaller).")
        return "\n".join(lines)


SUM = "L is a sum over the samples, so its gradient is one number: add up the per-sample terms."


def _matrix(W, spots):
    return Gradient(tuple((f"{W}[{j}, {k}]", (j, k), W, (j, k)) for j, k in spots), W, f", the shape of {W}")


CHECKS = {
    "scalar_chain.dL_dw2": Gradient((("w2", (), "w2", ()),), hint=SUM),
    "scalar_chain.dL_dw1": Gradient((("w1", (), "w1", ()),), hint=SUM),
    "scalar_chain.dL_db": Gradient((("b", (), "b", ()),), hint=SUM),
    "scalar_chain.sgd_step": Step(),
    "matrix_mlp.df_dW3": _matrix("W3", [(0, 1), (0, 4)]),
    "matrix_mlp.df_dW2": _matrix("W2", [(4, 2), (1, 0)]),
    "matrix_mlp.df_dW1": _matrix("W1", [(2, 1), (0, 3)]),
    "multi_path.dL_dw5": Gradient((("w5", (), "w", 4),)),
    "multi_path.dL_dh1": Gradient((("h1", (), "h", 0),), how=loss_with_h_moved),
    "multi_path.dL_dw1": Gradient((("w1", (), "w", 0),)),
    "multi_path.dL_dw": Gradient((("w3", 2, "w", 2), ("w6", 5, "w", 5)), (8,), " (one entry per weight)"),
    "multi_path.dL_db": Gradient((("b1", 0, "b", 0), ("b2", 1, "b", 1)), (2,), " (b1, b2)"),
}


# -- calling the student's function and reading its answer ------------------------------------

def call(name, fn, args, stub=""):
    """(value, None), or (None, a message) when the function raised; it gets copies of the example."""
    try:
        return fn(*[np.copy(a) if isinstance(a, np.ndarray) else a for a in args.values()]), None
    except NotImplementedError:
        return None, f"Not implemented yet: fill in the cell of {name} above{stub}."
    except Exception as error:  # noqa: BLE001 - the student's error, told in plain words
        return None, (f"{name} raised {type(error).__name__}: {error}{_where(error)}\n"
                      "Fix this first: the hidden test calls your function in the same way.")


def as_number(name, value, hint=""):
    """(float, None), or (None, a message) when `value` is not one finite number."""
    if value is None:
        return None, f"{name} returned None: is a `return` missing?"
    if isinstance(value, (list, tuple, dict, str)) or np.size(value) != 1:
        more = f" {hint}" if hint and np.size(value) > 1 else ""
        return None, f"{name} should return one number (a float), but it returned {_show(value)}.{more}"
    try:
        number = float(np.ravel(value)[0])
    except (TypeError, ValueError):
        return None, f"{name} should return one number (a float), but it returned {_show(value)}."
    if not np.isfinite(number):
        return None, f"{name} returned {number}: look for a division by zero or an overflow."
    return number, None


def shape_problem(name, value, want, why):
    """None when `value` is a finite NumPy array of shape `want`, else what is wrong with it."""
    if not isinstance(value, np.ndarray):
        return f"{name} should return a NumPy array of shape {want}, but it returned {_show(value)}."
    if value.shape != want:
        message = f"Shape differs: {name} returned shape {value.shape}, but it should be {want}{why}."
        if len(want) == 2 and value.shape == want[::-1]:
            message += "\nIt looks transposed: check the order of the two vectors in the outer product."
        return message
    if not np.all(np.isfinite(value)):
        return f"{name} returned NaN or inf entries: look for a division by zero or an overflow."
    return None


def _where(error):
    """' (in f, line 3: text)' for the last line of the student's code the error passed through."""
    line = _last_line(error)
    return f" (in {line[0]}, line {line[1]}" + (f": {line[2]})" if line[2] else ")") if line else ""


def _last_line(error):
    """(function, line number, text) of the last line of the student's code the error passed through."""
    here, library = os.path.abspath(__file__), os.path.dirname(np.__file__)
    found = None
    tb = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if os.path.abspath(code.co_filename) != here and not code.co_filename.startswith(library):
            found = (code.co_name, tb.tb_lineno, linecache.getline(code.co_filename, tb.tb_lineno).strip())
        tb = tb.tb_next
    return found


def _show(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _words(names):
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
