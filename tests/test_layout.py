"""The package's layout stays readable: three parts that depend one way (engine ← integrity ← instructor),
no import cycle between modules, and no module much past 300 lines (catalogue data aside)."""
import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "autograders"
PARTS = ("engine", "integrity", "instructor")          # each may import only the parts before it
LONG = 320                                             # "about 300 lines"
DATA = {"engine/catalogue/scalar_chain.py", "engine/catalogue/matrix_mlp.py", "engine/catalogue/multi_path.py"}


def modules():
    """Dotted name (under autograders) → path, for every module of the package."""
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


KNOWN = modules()


def imports(name, path):
    """The package's own modules that `name` imports, at module level or inside functions."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif node.module and (node.module == "autograders" or node.module.startswith("autograders.")):
                target = node.module.removeprefix("autograders").lstrip(".")
            else:
                continue
            for alias in node.names:                   # `from . import settings` imports a module
                sub = ".".join(filter(None, [target, alias.name]))
                found.add(sub if sub in KNOWN else target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("autograders."):
                    found.add(alias.name.removeprefix("autograders."))
    return {m for m in found if m in KNOWN and m != name and not name.startswith(m + ".")}


def part(name):
    return name.split(".")[0] if name.split(".")[0] in PARTS else None


GRAPH = {name: imports(name, path) for name, path in KNOWN.items()}


def test_every_module_belongs_to_a_part():
    loose = sorted(n for n in GRAPH if n and part(n) is None)
    assert not loose, f"modules outside engine/, integrity/ and instructor/: {loose}"


@pytest.mark.parametrize("name", sorted(n for n in GRAPH if part(n)))
def test_imports_run_one_way(name):
    mine = PARTS.index(part(name))
    wrong = sorted(t for t in GRAPH[name] if part(t) and PARTS.index(part(t)) > mine)
    assert not wrong, (f"autograders.{name} ({part(name)}) imports {wrong}: the {part(name)} part may only "
                       f"import {', '.join(PARTS[:mine + 1])}")


def test_no_import_cycle():
    state, path = {}, []

    def visit(n):
        state[n] = "open"
        path.append(n)
        for t in sorted(GRAPH[n]):
            if state.get(t) == "open":
                pytest.fail("import cycle: " + " → ".join(path[path.index(t):] + [t]))
            if t not in state:
                visit(t)
        path.pop()
        state[n] = "done"

    for n in sorted(GRAPH):
        if n not in state:
            visit(n)


def test_the_graph_sees_imports():
    """The checks above would pass on a graph that found nothing: it must find what we know is there."""
    assert "engine.grading" in GRAPH[""] and "engine.trials" in GRAPH["engine.grading"]
    assert "integrity.sandbox" in GRAPH["integrity.verify"]


@pytest.mark.parametrize("name", sorted(n for n in KNOWN if n and not n.endswith("sandbox_runner")))
def test_every_module_imports(name):
    importlib.import_module(f"autograders.{name}")


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_every_import_of_ours_resolves(name):
    """Imports inside functions run late: a path that a move broke must fail here, not in a user's run."""
    path = KNOWN[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    broken = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("autograders")):
            if node.level:
                base = package.split(".") if package else []
                base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module.removeprefix("autograders").lstrip(".")
            if target not in KNOWN:
                broken.append(f"line {node.lineno}: {'.' * node.level}{node.module or ''}")
                continue
            module = importlib.import_module("autograders" + ("." + target if target else ""))
            for alias in node.names:
                sub = ".".join(filter(None, [target, alias.name]))
                if sub not in KNOWN and not hasattr(module, alias.name):
                    broken.append(f"line {node.lineno}: {alias.name} from {'.' * node.level}{node.module or ''}")
    assert not broken, f"autograders/{path.relative_to(PACKAGE)} imports what does not exist: {broken}"


def test_the_public_api_stays():
    import autograders
    assert callable(autograders.grade) and callable(autograders.check)


@pytest.mark.parametrize("path", sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")))
def test_modules_stay_small(path):
    if path in DATA:
        return
    lines = len((PACKAGE / path).read_text().splitlines())
    assert lines <= LONG, f"autograders/{path} has {lines} lines: split it by what it holds (about 300 at most)"
