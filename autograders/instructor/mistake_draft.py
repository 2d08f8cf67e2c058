"""`backprop-grader mistake draft <check> <group>`: what adding a group's mistake to the catalogue takes,
following the README's "Adding a mistake": the knob line for the reference (when a candidate explanation
of the group is an edit of its backward pass), a Mistake(...) entry with what/why/fix to fill in, and a
fixture file written from the representative's code (instructor only; it is a student's code)."""
import ast
from pathlib import Path


from .discovery_section import discover, function_source

TODO = "TODO"


def find(root, check_id, number):
    """The Found of group `number` (1 = largest) of `check_id`; KeyError when there is none."""
    assignment = check_id.split(".")[0]
    for f in discover(root, [assignment]):
        if f.group.check_id == check_id and f.group.number == int(number):
            return f
    raise KeyError(f"no group {number} of {check_id} in reports/verify/{assignment}.json "
                   "(run autograde, or verify, first; `backprop-grader report` lists the groups)")


def helpers(root, assignment, student, source):
    """Source of the notebook's other functions that the representative function calls (one level)."""
    called = {n.func.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    out = []
    for name in sorted(called):
        text = function_source(root, assignment, student, name)
        if text:
            out.append(text)
    return out


def fixture_text(f, mistake_id, root):
    exercise, name = f.group.check_id.split(".")
    parts = [f'"""Group {f.group.id} of the class report ({f.group.size} students), written as its representative '
             f'did.\n\n{TODO}: one line on what the student computed."""', "import numpy as np", "",
             "EXPECTED = {", f'    "{f.group.check_id}": ("{mistake_id}",),', "}", ""]
    for text in helpers(root, f.assignment, f.group.members[0], f.source) + [f.source]:
        parts += ["", text, ""]
    return "\n".join(parts).rstrip() + "\n"


def mistake_entry(mistake_id):
    return (f'    Mistake(\n        "{mistake_id}",\n        what="{TODO}: what the student computed, one sentence.",\n'
            f'        why="{TODO}: why it is wrong.",\n        fix="{TODO}: the one thing to try."),')


def draft(root, check_id, number, mistake_id="new_mistake", out=None):
    """(text to print, path of the fixture written). The fixture goes to tests/students/<exercise>/ when the
    course has it (the repository is the course), else to reports/drafts/."""
    root = Path(root)
    f = find(root, check_id, number)
    exercise = check_id.split(".")[0]
    folder = Path(out) if out else (root / "tests" / "students" / exercise
                                    if (root / "tests" / "students" / exercise).is_dir() else root / "reports" / "drafts")
    folder.mkdir(parents=True, exist_ok=True)
    fixture = folder / f"{mistake_id}.py"
    fixture.write_text(fixture_text(f, mistake_id, root))
    g = f.group
    lines = [f"# Adding group {g.id} ({g.size} students: {', '.join(g.members)}) to the catalogue as "
             f"`{mistake_id}`", "# (README, \"Adding a mistake\"; rename the id everywhere if you like)", ""]
    edits = f.explanations.get("edits") or []
    if edits:
        e = edits[0]
        knob = f'if "{mistake_id}" in m:\n    {e["changed"]}'
        lines += [f"## 1. solutions/{exercise}.py: right after line {e['line']}", f"##    `{e['original']}`",
                  "##    add the knob, indented as that line (the group's candidate explanation: "
                  + e["operator"] + "):", "```python", knob, "```"]
        others = [o["operator"] for o in edits[1:]] + [" + ".join(k) for k in f.explanations.get("catalogued", [])]
        if others:
            lines += ["##    other candidates that fit as well: " + "; ".join(others)]
    elif f.explanations.get("catalogued"):
        lines += [f"## 1. The group is catalogued mistakes at once: {' + '.join(f.explanations['catalogued'][0])}.",
                  "##    Grading searches singles and pairs only: no knob to add; consider a fixture only."]
    else:
        lines += [f"## 1. solutions/{exercise}.py: no candidate explanation was found, so write the knob yourself:",
                  f'##    on the line of `gradients` the mistake changes, `if "{mistake_id}" in m: <factor> = ...`']
    lines += ["", f"## 2. autograders/engine/catalogue/{exercise}.py: add this entry to the MISTAKES list",
              "##    (no checks list: where it applies is derived from the reference)",
              "```python", mistake_entry(mistake_id), "```", "",
              f"## 3. The fixture was written from {g.members[0]}'s code (instructor only): {fixture}",
              f"##    Keep it as tests/students/{exercise}/{mistake_id}.py; `make test` checks it is diagnosed.",
              "", f"## 4. Add `{mistake_id}` to MISTAKES.md, then re-grade: backprop-grader autograde {exercise} --force"]
    return "\n".join(lines) + "\n", fixture
