"""Build student submissions from released notebooks and student-style source files.

A source file (see tests/students/) defines some graded functions plus whatever
helpers the student wrote, and `EXPECTED`. Each graded function goes into its
own solution cell, together with the file's helpers, as a student would paste it.
"""
import ast
import re
from pathlib import Path

import nbformat

DEF = re.compile(r"^def\s+(\w+)\s*\(", re.M)


def solution_cells(nb):
    """{function name: cell} for the code solution cells of a notebook.

    A cell is named by its nbgrader grade id (the function's name in our notebooks), so it
    keeps its name after a student's code with helper functions has been put into it.
    """
    cells = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution"):
            match = DEF.search(cell.source)
            name = meta.get("grade_id") or (match.group(1) if match else None)
            if name:
                cells[name] = cell
    return cells


def function_sources(path, graded):
    """{name: cell source} for each graded function the file defines: the file minus EXPECTED
    and minus the other graded functions, so each cell carries the helpers it needs."""
    text = Path(path).read_text()
    tree = ast.parse(text)
    lines = text.splitlines()
    spans = {}                                  # graded function name -> (first, last) line, 0-based
    drop = set()
    for node in tree.body:
        first = (node.decorator_list[0].lineno if getattr(node, "decorator_list", None) else node.lineno) - 1
        span = range(first, node.end_lineno)
        if isinstance(node, ast.FunctionDef) and node.name in graded:
            spans[node.name] = span
        elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "EXPECTED" for t in node.targets):
            drop.update(span)
        elif isinstance(node, ast.Expr) and isinstance(getattr(node, "value", None), ast.Constant) \
                and node is tree.body[0]:
            drop.update(span)                   # the module docstring
    out = {}
    for name in spans:
        skip = drop.union(*(set(s) for n, s in spans.items() if n != name))
        out[name] = "\n".join(l for k, l in enumerate(lines) if k not in skip).strip() + "\n"
    return out


def fill(nb, sources):
    """Put sources[name] into the solution cell of each function `name`; returns the notebook."""
    for name, cell in solution_cells(nb).items():
        if name in sources:
            cell.source = sources[name]
    return nb


def delete_solution_cell(nb, name):
    doomed = solution_cells(nb).get(name)
    nb.cells = [c for c in nb.cells if c is not doomed]
    return nb


def write(nb, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
