"""Submissions that try to stop the rest of the class from being graded (scalar_chain).

Each culprit is a correct submission with one edit a student could make: code in the
graded function `dL_dw2` that attacks the grading processes, or a notebook whose nbgrader
metadata nbgrader itself rejects. `apply(nb, name)` makes the edit.
"""
import nbformat

_HEADER = "import os, signal, time\n\n\ndef dL_dw2(x, y, w1, w2, b):\n"
_WRONG = "    return 0.0\n"

#: name -> body of dL_dw2 (runs when the hidden test calls it), or None for a metadata edit
CODE = {
    "kill_ancestors": '''    pid = os.getpid()                  # walk up: parent, grandparent, ... and kill every grader
    while pid > 1:
        try:
            with open(f"/proc/{pid}/stat") as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read()
        except (OSError, ValueError):
            break
        if b"autograde" in cmd or b"nbgrader" in cmd:
            os.kill(pid, signal.SIGKILL)
    if os.getppid() > 1:                 # and the process that started this kernel, whatever it is
        os.kill(os.getppid(), signal.SIGKILL)
''',
    # kill(-1) is guarded so that a machine whose kernels are NOT in a PID namespace (a regression) is not
    # wiped by its own test run: the /proc walk above it still attacks every process it can see.
    "kill_visible": '''    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    cmd = f.read()
                if os.getpid() == 1 or b"autograde" in cmd or b"nbgrader" in cmd or b"ipykernel" in cmd:
                    os.kill(int(entry), signal.SIGKILL)
            except OSError:
                pass
    if os.getpid() == 1:
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
''',
    "kill_own_group": '''    os.killpg(os.getpgrp(), signal.SIGKILL)
''',
    "exit_kernel": '''    os._exit(0)
''',
    "fork_storm": '''    for _ in range(32):                # 32 children that spin for up to a minute each
        if os.fork() == 0:
            os.setsid()
            end = time.time() + 60
            while time.time() < end:
                pass
            os._exit(0)
''',
}

METADATA = ("duplicate_grade_id", "schema_from_the_future", "demoted_test", "deleted_test")
ALL = (*CODE, *METADATA)


def _cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def apply(nb, name):
    """Edit a correct scalar_chain submission into culprit `name`; returns the notebook."""
    if name in CODE:
        _cell(nb, "dL_dw2").source = _HEADER + CODE[name] + _WRONG
    elif name == "duplicate_grade_id":             # a copied cell keeps its nbgrader metadata
        cell = _cell(nb, "dL_dw1")
        nb.cells.insert(nb.cells.index(cell) + 1, nbformat.from_dict(dict(cell, id="copied-cell")))
    elif name == "schema_from_the_future":
        _cell(nb, "dL_dw1").metadata["nbgrader"]["schema_version"] = 99
    elif name == "demoted_test":                   # the hidden test made an ordinary, ungraded cell
        cell = _cell(nb, "test_dL_db")
        cell.metadata["nbgrader"].update(grade=False, locked=False)
        cell.metadata["nbgrader"].pop("points", None)
        cell.source = "# nothing to test here\n"
    elif name == "deleted_test":
        nb.cells.remove(_cell(nb, "test_dL_db"))
    else:
        raise KeyError(name)
    return nb
