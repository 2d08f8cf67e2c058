"""Generic operators on the reference's backward pass (solutions/<exercise>.py, `gradients`): each is one
line of it, changed, written as the knob line a catalogue entry would add. Operators: drop one chain factor
(an operand of a product), replace a factor by 1, use the wrong layer's value (h1 for h2, a1 for a2, ...),
transpose a matrix (add or remove `.T`), elementwise for a matrix product. Only the instructor's report
process runs them, on the reference's own code."""
import ast
import copy
import importlib
import inspect
import re
import textwrap
from dataclasses import dataclass

import numpy as np

@dataclass(frozen=True)
class Edit:
    line: int            # 1-based line of solutions/<exercise>.py that the edit changes
    original: str        # that line's statement
    changed: str         # the statement with the operator applied
    operator: str        # what was done, in words


def _swaps(name):
    """Other layers' values for a name: h1 -> h2, W3 -> W2, x <-> h1 (the input of layer 1 / layer 2)."""
    out = set()
    match = re.fullmatch(r"([A-Za-z]+)(\d)", name)
    if match:
        stem, k = match.group(1), int(match.group(2))
        out |= {f"{stem}{j}" for j in (k - 1, k + 1) if j >= 0}
    out |= {"x": {"h1"}, "h1": {"x"}}.get(name, set())
    return out - {name}


def _variants(expr, names):
    """(new expression, words) for every single change of `expr` by one operator."""
    nodes = list(ast.walk(expr))
    for i, node in enumerate(nodes):
        def replaced(new, i=i):
            tree = copy.deepcopy(expr)
            target = list(ast.walk(tree))[i]
            if target is tree:
                return new
            for parent in ast.walk(tree):
                for fname, value in ast.iter_fields(parent):
                    if value is target:
                        setattr(parent, fname, new)
                        return tree
                    if isinstance(value, list) and target in value:
                        value[value.index(target)] = new
                        return tree
            return tree
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.MatMult)):
            yield replaced(copy.deepcopy(node.left)), f"drops the factor `{ast.unparse(node.right)}`"
            yield replaced(copy.deepcopy(node.right)), f"drops the factor `{ast.unparse(node.left)}`"
            if isinstance(node.op, ast.MatMult):
                yield (replaced(ast.BinOp(copy.deepcopy(node.left), ast.Mult(), copy.deepcopy(node.right))),
                       f"multiplies elementwise where `{ast.unparse(node)}` is a matrix product")
            for side in ("left", "right"):
                operand = getattr(node, side)
                ones = ast.parse(f"np.ones_like({ast.unparse(operand)})", mode="eval").body
                yield (replaced(ast.BinOp(ones if side == "left" else copy.deepcopy(node.left), node.op,
                                          ones if side == "right" else copy.deepcopy(node.right))),
                       f"replaces the factor `{ast.unparse(operand)}` by ones")
        if isinstance(node, ast.Attribute) and node.attr == "T":
            yield replaced(copy.deepcopy(node.value)), f"leaves out the transpose of `{ast.unparse(node.value)}`"
        if isinstance(node, ast.Name) and node.id in names:
            for other in sorted(_swaps(node.id) & names):
                yield replaced(ast.Name(other, ast.Load())), f"uses `{other}` (another layer's value) for `{node.id}`"
            if node.id[:1].isupper():
                yield (replaced(ast.Attribute(ast.Name(node.id, ast.Load()), "T", ast.Load())),
                       f"transposes `{node.id}`")


def edits(exercise):
    """[(Edit, gradients function with it applied)] for the backward pass of solutions/<exercise>."""
    module = importlib.import_module(f"solutions.{exercise}")
    lines, first = inspect.getsourcelines(module.gradients)
    source = textwrap.dedent("".join(lines))
    tree = ast.parse(source)
    fn = tree.body[0]
    names = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)} | {a.arg for a in fn.args.args}
    out = []
    for k, stmt in enumerate(fn.body):
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                and any(isinstance(n, ast.BinOp) for n in ast.walk(stmt.value))):
            continue
        seen = set()
        for value, words in _variants(stmt.value, names):
            changed = ast.unparse(ast.Assign(stmt.targets, value, lineno=0))
            if changed in seen or changed == ast.unparse(stmt):
                continue
            seen.add(changed)
            new = copy.deepcopy(tree)
            new.body[0].body[k] = ast.parse(changed).body[0]
            ast.fix_missing_locations(new)
            space = dict(vars(module))
            exec(compile(new, f"<{exercise}: {changed}>", "exec"), space)
            edit = Edit(first + stmt.lineno - 1, ast.unparse(stmt), changed, f"line {first + stmt.lineno - 1} "
                        f"`{ast.unparse(stmt)}` {words}")
            out.append((edit, space["gradients"]))
    return out


def _compute(trials, trial):
    from ..trials import RAISES
    try:
        with np.errstate(all="ignore"):
            return trials._compute(trial.args, frozenset(), trial.known)
    except Exception:                            # noqa: BLE001 - a changed line may not run at all
        return RAISES


def outputs(trials, gradients):
    """The check's output on each trial with the reference's `gradients` swapped for a changed one."""
    module = importlib.import_module(f"solutions.{trials.exercise.name}")
    original = module.gradients
    module.gradients = gradients
    try:
        return [_compute(trials, t) for t in trials.items]
    finally:
        module.gradients = original
