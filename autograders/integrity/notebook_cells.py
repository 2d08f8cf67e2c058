"""A submitted notebook's code as the kernel runs it, for out-of-kernel verification.

In the kernel IPython turns magics and shell escapes into calls of `get_ipython()`,
which verification does not have. Here they become what they mean for the Python a
cell defines: cell magics that run their body (`%%time`, `%%capture`, `%%prun`) give
their body, `%%writefile` writes into the sandbox's scratch folder, magics that are
not Python (`%%html`, `%%bash`, ...) and line magics or `!` lines that define nothing
(`%matplotlib inline`, `!pip install ...`) are skipped. What verification cannot
reproduce (`x = !ls`, `%run other.py`, `%%cython`) raises Unreproducible: the
submission is then *unverified* (its in-kernel scores stand), never scored zero.
"""
import ast
import re

from .nbgrader_plugins import is_autograder_test

#: Cell magics whose body is Python run in the notebook's namespace.
RUN_BODY = {"time", "capture", "prun"}
#: Cell magics whose body is not Python, or runs in a scope of its own: they define nothing.
NOT_PYTHON = {"html", "HTML", "javascript", "js", "markdown", "latex", "svg", "bash", "sh", "script", "perl",
              "ruby", "system", "timeit", "debug"}
#: Line magics that define nothing a graded function can use.
SKIPPED = {"matplotlib", "config", "load_ext", "unload_ext", "reload_ext", "autoreload", "aimport", "pip", "conda",
           "precision", "env", "who", "whos", "who_ls", "pwd", "ls", "history", "hist", "pinfo", "pinfo2", "psearch",
           "pdoc", "pdef", "psource", "pfile", "xmode", "pdb", "colors", "magic", "lsmagic", "page", "quickref",
           "automagic", "autocall", "clear", "cls", "timeit", "tb", "dirs", "dhist", "bookmark", "logstart",
           "logstop", "logon", "logoff", "doctest_mode", "notebook", "save", "lsmagic", "alias_magic", "sx_ls",
           "killbgscripts", "autosave", "connect_info", "qtconsole"}
#: Line magics that run their argument as a statement in the notebook's namespace.
RUN_ARGUMENT = {"time", "prun"}
_CALL = re.compile(r"^(\s*)(?:(\S[^=]*?)\s*=\s*)?get_ipython\(\)\.(run_line_magic|system|getoutput|run_cell_magic)"
                   r"\((.*)\)\s*$")


class Unreproducible(Exception):
    """Verification cannot run this the way the kernel does; str(self) says what, for the instructor."""


def kernel_code(text):
    """The Python the kernel runs for a cell's text; Unreproducible when that cannot be had here."""
    from IPython.core.inputtransformer2 import TransformerManager
    lines = text.splitlines(keepends=True)
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and lines[0].startswith("%%"):
        name, _, arguments = lines[0][2:].strip().partition(" ")
        return _cell_magic(name, arguments.strip(), "".join(lines[1:]))
    try:
        code = TransformerManager().transform_cell(text)
    except Exception:                                 # noqa: BLE001 - malformed input: let Python say why
        return text
    return "".join(_line(line) for line in code.splitlines(keepends=True))


def _cell_magic(name, arguments, body):
    if name in RUN_BODY:
        return kernel_code(body)
    if name in NOT_PYTHON:
        return ""
    if name in ("writefile", "file"):
        append = arguments.startswith("-a ") or arguments.startswith("--append ")
        target = arguments.split(None, 1)[1] if append else arguments
        target = target.strip().strip("'\"")
        if not target or target.startswith(("/", "~")) or ".." in target.split("/"):
            raise Unreproducible(f"%%writefile {arguments} writes outside the notebook's folder")
        return f"with open({target!r}, {'a' if append else 'w'!r}) as _writefile:\n    _writefile.write({body!r})\n"
    raise Unreproducible(f"the cell magic %%{name}")


def _line(line):
    match = _CALL.match(line)
    if not match:
        return line
    indent, target, kind, arguments = match.groups()
    try:
        args = ast.literal_eval(f"({arguments},)")
    except (ValueError, SyntaxError):
        return line
    shown = "!" if kind in ("system", "getoutput") else "%"
    if target:
        raise Unreproducible(f"`{target} = {shown}{' '.join(map(str, args))}` (a value from IPython)")
    if kind in ("system", "getoutput"):
        return f"{indent}pass\n"
    if kind == "run_cell_magic":
        code = _cell_magic(args[0], args[1], args[2])
        return "".join(f"{indent}{c}" for c in code.splitlines(keepends=True)) or f"{indent}pass\n"
    name, argument = args[0], args[1] if len(args) > 1 else ""
    if name in RUN_ARGUMENT:
        return f"{indent}{argument.strip() or 'pass'}\n"
    if name in SKIPPED:
        return f"{indent}pass\n"
    raise Unreproducible(f"the line magic %{name}")


def runnable_cells(submitted_nb, source_nb):
    """(cells to run, cells the student wrote, {test grade_id: position}, [what cannot be reproduced]).

    Cells are (index, code) in notebook order: given (locked) cells restored from source, hidden tests
    left out. A test's position is the index of its cell in the submission: the kernel runs it there,
    so the functions it grades are called with what was defined up to that point."""
    source = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in source_nb.cells
              if c.metadata.get("nbgrader", {}).get("grade_id")}
    run, own, positions, problems = [], [], {}, []
    for index, cell in enumerate(submitted_nb.cells):
        if cell.get("cell_type") != "code":
            continue
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        original = source.get(grade_id)
        if original is not None and is_autograder_test(original):
            positions.setdefault(grade_id, index)         # the hidden tests are ours to run, not the student's
            continue
        locked = original is not None and original.metadata["nbgrader"].get("locked")
        text = original.source if locked else cell.get("source", "")
        text = "".join(text) if isinstance(text, list) else str(text)
        try:
            code = kernel_code(text)
        except Unreproducible as why:
            problems.append(f"cell {index}: {why}")
            code = ""
        run.append((index, code))
        if not locked:
            own.append((index, code))
    return run, own, positions, problems
