"""Student-facing messages: what is wrong, why, the one thing to try, and how to reproduce it.

Messages never contain reference values or hidden-test code; they show the
seed and the inputs of a failing trial, so the student can debug with their
own finite-difference check.
"""
import html as _html

import numpy as np

from . import settings

CONTRACT = {
    "raised": ("Your function raised {error}{where}.",
               "Run it on the inputs below and read the error: it is in your code, not in the test."),
    "wrong_type": ("The value returned cannot be graded: {reason}.",
                   "Return {expected}."),
    "wrong_shape": ("Your answer has shape {got}, but it must have shape {want} on this test case ({trial}).",
                    "Check the shape of every factor; the gradient has the shape of what it differentiates by."),
    "not_finite": ("Your function returned NaN or infinity for ordinary, finite inputs ({trial}).",
                   "Look for a division that can be by zero or a log/exp of an extreme value; "
                   "σ'(z) can always be written as σ(z)(1 - σ(z))."),
    "mutated_input": ("Your function changed its argument{s} {names} in place.",
                      "Leave the arguments as they are: work on a copy (`w = w.copy()`) or build new "
                      "arrays instead of `-=`, `*=` or item assignment."),
    "nondeterministic": ("Two calls with exactly the same arguments gave different answers.",
                         "Does your function use random numbers, or a variable kept between calls "
                         "(a global list or counter)? It must depend on its arguments only."),
    "timeout": ("One call of your function took longer than {limit:g} s.",
                "Look for a loop that never ends (a `while` whose condition never changes)."),
    "numerical_gradient": ("Your function approximates the gradient by finite differences: it evaluates "
                           "the same function at points a tiny step apart.",
                           "Finite differences are a great way to check a gradient, but here the task is "
                           "to derive it with the chain rule: write the factors out and code those."),
    "unrecognised": ("Your answer differs from the gradient, and not in a way that matches the common "
                     "mistakes we know.",
                     "Check one weight with a finite difference: nudge it by ±1e-6, evaluate the loss "
                     "both times, divide the difference by 2e-6, and compare with your function."),
}

EXPECTED = {"float": "one number (a Python float or NumPy scalar)",
            "array": "a NumPy array (np.array(...))",
            "triple": "a tuple of three numbers, (w1_new, w2_new, b_new)"}


def _literal(value):
    """Exact, readable Python for a float or an array (one row per line)."""
    if isinstance(value, np.ndarray) and value.ndim == 2:
        rows = ",\n    ".join(repr(row) for row in value.tolist())
        return f"np.array([\n    {rows},\n])"
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()!r})"
    return repr(float(value))


def snippet(check, trial):
    """Python lines that rebuild the trial's arguments and call the student's function."""
    lines = ["import numpy as np"] + [f"{p} = {_literal(trial.args[p])}" for p in check.params]
    lines.append(f"print({check.name}({', '.join(check.params)}))")
    return "\n".join(lines)


def compose(check_id, outcome):
    """The plain-text message and its HTML twin for an Outcome (see grading.py)."""
    title = f"{check_id}: " + ("correct" if outcome.correct else "not correct yet")
    parts = []                     # (heading, text)
    if outcome.correct:
        parts.append(("", f"Your function agrees with the gradient on all {outcome.n_trials} random test "
                          "cases. Well done."))
    elif outcome.readings:
        n = len(outcome.readings)
        parts.append(("What we found", f"{_NUMBER.get(n, n)} explanations fit your answer equally well: they "
                                       "compute exactly the same thing, so no test can tell them apart. "
                                       f"Here are {'both' if n == 2 else 'all of them'}; one of them is what "
                                       "your code does."))
        for k, (_, texts) in enumerate(outcome.readings):
            for j, (what, why, fix) in enumerate(texts):
                parts.append(("Either" if k == 0 and j == 0 else "Or" if j == 0 else "And", what))
                if why:
                    parts.append(("Why", why))
                parts.append(("Try this", fix))
    else:
        for what, why, fix in outcome.explanations:
            parts.append(("What we found", what))
            if why:
                parts.append(("Why", why))
            parts.append(("Try this", fix))
        for hint in outcome.hints:
            parts.append(("A clue", hint))
        if outcome.note:
            parts.append(("Also", outcome.note + "."))
    if outcome.output:
        parts.append(("Note", "your function printed output or warnings while it was tested; that does "
                              "not cost marks."))
    text = [title, ""] + [f"{h}: {t}" if h else t for h, t in parts]
    code = ""
    if outcome.trial is not None and not outcome.correct:
        code = snippet(outcome.check, outcome.trial)
        text += ["", f"Seed {outcome.seed}, test case {outcome.trial.index + 1} "
                     f"({outcome.describe}). To reproduce it in your notebook:", "", _indent(code)]
    message = "\n".join(text)
    return message, _to_html(title, parts, outcome, code)


_NUMBER = {2: "Two", 3: "Three", 4: "Four"}


def _indent(code):
    return "\n".join("    " + line for line in code.splitlines())


def _to_html(title, parts, outcome, code):
    esc = _html.escape
    colour = "#2e7d32" if outcome.correct else "#c62828"
    rows = "".join(f"<p style='margin:4px 0'>{'<b>' + esc(h) + ':</b> ' if h else ''}{esc(t)}</p>"
                   for h, t in parts)
    repro = ""
    if code:
        repro = (f"<p style='margin:6px 0 2px 0'>Seed {outcome.seed}, test case {outcome.trial.index + 1} "
                 f"({esc(outcome.describe)}). To reproduce it in your notebook:</p>"
                 f"<pre style='background:#f6f6f6;padding:6px;overflow-x:auto'>{esc(code)}</pre>")
    return (f"<div class='backprop-feedback' data-check='{esc(outcome.check_id)}' "
            f"style='border-left:6px solid {colour};padding:6px 12px;margin:6px 0'>"
            f"<p style='margin:2px 0;font-weight:bold;color:{colour}'>{esc(title)}</p>{rows}{repro}</div>")


def contract_text(contract, **fields):
    what, fix = CONTRACT[contract]
    fields.setdefault("limit", settings.CALL_TIME_LIMIT)
    return what.format(**fields), "", fix.format(**fields)


#: One line per contract id, for class reports (the students' own messages carry the details).
CONTRACT_SUMMARY = {
    "raised": "The function raised an exception.",
    "wrong_type": "The function returned something that is not a number or array of the asked type.",
    "wrong_shape": "The answer has the wrong shape, and no common mistake explains it.",
    "not_finite": "The function returned NaN or infinity for finite inputs.",
    "mutated_input": "The function changed its arguments in place.",
    "nondeterministic": "Two calls with the same arguments gave different answers.",
    "timeout": "A call took longer than the time limit.",
    "numerical_gradient": "The gradient was approximated by finite differences instead of derived.",
    "unrecognised": "Wrong, in a way that matches none of the catalogued mistakes.",
    "not_run": "The test could not run: missing function, syntax error, deleted cell or broken notebook.",
}


def mistake_summary(check_id, mistake_id):
    """(what the students did, the fix they were told to try) for a report; no reference values."""
    from . import catalogue
    if mistake_id in CONTRACT_SUMMARY:
        fix = CONTRACT[mistake_id][1] if mistake_id in CONTRACT and "{" not in CONTRACT[mistake_id][1] else ""
        return CONTRACT_SUMMARY[mistake_id], fix
    try:
        exercise, _ = catalogue.load(check_id)
    except KeyError:
        return mistake_id, ""
    for m in exercise.mistakes:
        if m.id == mistake_id:
            return m.what, m.fix
    return mistake_id, ""
