"""check-course, the cells: metadata, graded functions with their solution, self-check and hidden test
cells, the hidden tests' check ids and points (the driver is course_check.py)."""
import ast
import copy
from dataclasses import dataclass
from pathlib import Path

from nbgrader import utils
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.preprocessors import ClearSolutions

from ..engine import catalogue


@dataclass
class Finding:
    ok: bool
    text: str                  # what is fine, or what is wrong
    where: str = ""            # "cell 9 (id test-dl-db, grade_id test_dL_db)"; "" for the notebook
    todo: str = ""             # what to do about a problem


def ok(text):
    return Finding(True, text)


def problem(where, text, todo):
    return Finding(False, text, where, todo)


def where(index, cell):
    """How an instructor finds a cell: its position, its id, and its nbgrader grade_id if any."""
    parts = [f"id {cell['id']}"] if cell.get("id") else []
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
    if grade_id:
        parts.append(f"grade_id {grade_id}")
    return f"cell {index + 1}" + (f" ({', '.join(parts)})" if parts else "")


def parse(source):
    """The cell as Python (IPython magics turned into calls), or None when it does not parse."""
    from IPython.core.inputtransformer2 import TransformerManager
    try:
        return ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError:
        return None


def calls(tree, name):
    """The calls of `name(...)` or `something.name(...)` in a parsed cell."""
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call) and
            (getattr(node.func, "id", None) == name or getattr(node.func, "attr", None) == name)]


def string_arg(call):
    first = call.args[0] if call.args else None
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def is_hidden_test(cell):
    return cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)


def graded_names(assignment):
    """The graded functions of an exercise: its checks in the catalogue (EXERCISES.md)."""
    return [c.split(".", 1)[1] for c in catalogue.all_check_ids() if c.startswith(assignment + ".")]


# -- the checks -----------------------------------------------------------------------------------

def check_metadata(nb):
    """nbgrader's own validation of the cells' nbgrader metadata (duplicate grade ids, missing points)."""
    try:
        MetadataValidator().validate_nb(nb)
    except ValidationError as err:
        named = [where(i, c) for i, c in enumerate(nb.cells)
                 if c.metadata.get("nbgrader", {}).get("grade_id") and c.metadata.nbgrader.grade_id in str(err)]
        return [problem(" and ".join(named[-2:]), f"nbgrader rejects the cell metadata: {err}",
                        "fix it in Create Assignment (a copied cell keeps its grade_id: give the copy a new one)")]
    return [ok("nbgrader accepts the cells' metadata")]


def check_graded_functions(nb, assignment, selfcheck_module=None):
    """Each graded function: a solution cell defining it, whose released stub still defines it, a
    self-check cell and a hidden test."""
    found, cleared = [], ClearSolutions(code_stub={"python": "# YOUR CODE HERE\nraise NotImplementedError()"})
    for name in graded_names(assignment):
        check_id = f"{assignment}.{name}"
        solutions, elsewhere, selfchecks, tests = [], [], [], []
        for index, cell in enumerate(nb.cells):
            tree = parse(cell.source) if cell.cell_type == "code" else None
            if tree is None:
                continue
            defines = any(isinstance(n, ast.FunctionDef) and n.name == name for n in tree.body)
            if defines:
                (solutions if utils.is_solution(cell) else elsewhere).append((index, cell))
            if any(string_arg(c) == check_id for c in calls(tree, "self_check")):
                selfchecks.append(index)
            if is_hidden_test(cell) and any(string_arg(c) == check_id for c in calls(tree, "check")):
                tests.append(index)
        if not solutions:
            also = f" (`{name}` is defined in {where(*elsewhere[0])}, which is not a solution cell)" if elsewhere else ""
            found.append(problem("", f"no solution cell defines `{name}`{also}",
                                 f"mark the cell with `def {name}(...)` as 'Autograded answer' in Create Assignment, "
                                 "the solution between ### BEGIN SOLUTION and ### END SOLUTION"))
        for index, cell in solutions:
            stub = copy.deepcopy(cell)
            try:
                cleared.preprocess_cell(stub, {"language": "python"}, index)
            except RuntimeError as err:
                found.append(problem(where(index, cell), f"nbgrader cannot make the student's version: {err}",
                                     "every ### BEGIN SOLUTION needs its ### END SOLUTION, not nested"))
                continue
            tree = parse(stub.source)
            if tree is None or not any(isinstance(n, ast.FunctionDef) and n.name == name for n in tree.body):
                found.append(problem(where(index, cell), f"students would get a stub without `def {name}(...)`",
                                     "keep the def line and docstring above ### BEGIN SOLUTION"))
        after = f"after {where(*solutions[0])}" if solutions else ""
        if not selfchecks:
            found.append(problem(after, f"no self-check cell for `{name}`",
                                 f"add a read-only code cell after its solution: "
                                 f"from selfcheck import self_check; self_check(\"{check_id}\")"))
        if not tests:
            found.append(problem(after, f"no hidden test calls check(\"{check_id}\", ...)",
                                 f"add an 'Autograder tests' cell after the self-check with "
                                 f"check(\"{check_id}\", {name}, points=...) between the HIDDEN TESTS markers"))
    found += check_selfcheck_module(nb, selfcheck_module)
    if not any(not f.ok for f in found):
        found.append(ok(f"graded functions {', '.join(graded_names(assignment))}: each has its solution cell, "
                        "self-check and hidden test"))
    return found


def check_selfcheck_module(nb, module):
    """The self-check cells import selfcheck.py from the notebook's folder: it is there, the same as the
    course's source/selfcheck.py (when the course has one)."""
    if module is None or not any("self_check(" in c.source for c in nb.cells if c.cell_type == "code"):
        return []
    module, master = Path(module), Path(module).parent.parent / "selfcheck.py"
    if not module.is_file():
        return [problem("", f"the self-check cells import selfcheck, but {module.name} is not beside the notebook",
                        f"copy {master} into {module.parent}")]
    if master.is_file() and master.read_text() != module.read_text():
        return [problem("", f"{module} differs from {master}: students would get an old self-check",
                        f"copy {master} over it")]
    return []


def check_hidden_tests(nb, assignment):
    """Each hidden test: one check() with an existing id, on the function of that name, as the last
    line of the cell (nbgrader takes the cell's value as its score), with the cell's points."""
    found, total, n = [], 0, 0
    for index, cell in enumerate(nb.cells):
        if not is_hidden_test(cell):
            continue
        n += 1
        at, points = where(index, cell), cell.metadata["nbgrader"].get("points")
        tree = parse(cell.source)
        if tree is None:
            found.append(problem(at, "the hidden test is not valid Python", "fix its syntax"))
            continue
        checks = calls(tree, "check")
        if len(checks) != 1:
            found.append(problem(at, f"the hidden test calls check() {len(checks)} times, not once",
                                 "one check(\"<check id>\", <function>, points=...) per autograder test cell"))
            continue
        call = checks[0]
        last = tree.body[-1] if tree.body else None
        if not (isinstance(last, ast.Expr) and last.value is call):
            found.append(problem(at, "check(...) is not the last line of the cell on its own, so nbgrader does not "
                                     "see the points it returns (and gives full marks to any answer that runs)",
                                 "end the cell with the bare call check(...), not assigned or inside a block"))
        check_id = string_arg(call)
        try:
            catalogue.load(check_id)
        except KeyError as err:
            found.append(problem(at, f"check id {check_id!r} does not exist: {err.args[0]}",
                                 "spell the check id as in EXERCISES.md"))
            continue
        exercise, _, name = check_id.partition(".")
        if exercise != assignment:
            found.append(problem(at, f"check id {check_id!r} belongs to {exercise}, not to {assignment}",
                                 f"use a check id of {assignment}"))
        given = call.args[1] if len(call.args) > 1 else None
        if getattr(given, "id", None) != name:
            found.append(problem(at, f"check(\"{check_id}\", ...) is given {ast.unparse(given) if given else 'nothing'}, "
                                     f"not the function {name}", f"pass {name}: check(\"{check_id}\", {name}, ...)"))
        said = next((k.value for k in call.keywords if k.arg == "points"), call.args[2] if len(call.args) > 2 else None)
        said = said.value if isinstance(said, ast.Constant) else (1 if said is None else None)
        said = said if isinstance(said, (int, float)) and not isinstance(said, bool) else None
        if said is None or points is None or float(said) != float(points):
            found.append(problem(at, f"check() is given points={said if said is not None else '(not a number)'} "
                                     f"but the cell's nbgrader points are {points}",
                                 "make them the same: the points box of Create Assignment and points= in the cell"))
        total += points or 0
    if n == 0:
        found.append(problem("", "the notebook has no autograder test cell", "see the graded functions above"))
    elif not found:
        found.append(ok(f"hidden tests: {n} cells, each calls check() with an existing check id and the cell's "
                        f"points ({total:g} points in all)"))
    return found


# -- a notebook, a course -----------------------------------------------------------------------------
