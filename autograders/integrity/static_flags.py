"""Static flags on a student's code: parse it (never regex it) and report what no honest
gradient function needs: grader internals, interpreter hooks, patched libraries, files,
environment variables, fixed random seeds, process control.

A flag is a finding for the instructor to look at, not a verdict: the verified score
(verify.py) is what protects the grades; flags explain a disagreement or an attempt.
"""
import ast
from dataclasses import dataclass

#: Modules whose import is itself a flag (grader internals, or tools to reach outside the kernel).
FORBIDDEN_IMPORTS = {
    "solutions": "imports the reference solutions",
    "autograders": "imports the grader's internals",
    "nbgrader": "imports nbgrader",
    "ctypes": "imports ctypes (raw memory access)",
    "gc": "imports gc (can reach any object in the kernel)",
    "inspect": "imports inspect (can read the caller's frames)",
    "subprocess": "imports subprocess",
    "socket": "imports socket",
    "signal": "imports signal (can disable the time limit)",
    "importlib": "imports importlib (imports by computed name)",
    "builtins": "imports builtins (can override built-in functions)",
    "sqlite3": "imports sqlite3 (the gradebook is a sqlite file)",
    "shutil": "imports shutil (file operations)",
    "glob": "imports glob (lists files)",
    "pickle": "imports pickle",
    "pkgutil": "imports pkgutil (resolves names to objects: pkgutil.resolve_name)",
    "runpy": "imports runpy (runs other files as code)",
    "mmap": "imports mmap (shared memory)",
    "multiprocessing": "imports multiprocessing (processes, shared memory)",
    "_posixshmem": "imports _posixshmem (shared memory)",
    "posix": "imports posix (the raw operating system interface)",
}
#: Library modules whose attributes must not be replaced (np.allclose = ..., sys.excepthook = ...).
PATCHABLE = {"np", "numpy", "sys", "os", "math", "random", "builtins", "__builtins__", "IPython", "testing",
             "linalg", "time", "json"}
CALLS = {
    "exec": "runs code from a string (exec)", "eval": "evaluates code from a string (eval)",
    "compile": "compiles code from a string", "__import__": "imports by computed name (__import__)",
    "globals": "edits the notebook's global namespace", "setattr": "sets attributes dynamically (setattr)",
    "delattr": "deletes attributes dynamically (delattr)", "get_ipython": "uses the IPython kernel object",
    "open": "opens a file", "breakpoint": "calls breakpoint()",
}
ATTRIBUTES = {
    "modules": "touches sys.modules", "excepthook": "replaces sys.excepthook",
    "displayhook": "replaces sys.displayhook", "setprofile": "installs a profiler hook (sys.setprofile)",
    "settrace": "installs a trace hook (sys.settrace)", "_getframe": "reads interpreter frames (sys._getframe)",
    "showtraceback": "touches IPython's traceback display", "set_custom_exc": "installs an IPython exception hook",
    "events": "registers IPython event hooks", "seed": "fixes a random seed",
    "set_state": "sets a random generator's state", "read_text": "reads a file", "write_text": "writes a file",
    "read_bytes": "reads a file", "write_bytes": "writes a file",
    "resolve_name": "resolves a name to an object (pkgutil.resolve_name)", "run_path": "runs a file (runpy)",
    "run_module": "runs a module (runpy)", "shared_memory": "uses shared memory", "SharedMemory": "uses shared memory",
    "ShareableList": "uses shared memory",
}
#: Attributes that are flags only on the os/sys/shutil modules (`items.remove(x)` is innocent).
OS_ATTRIBUTES = {
    "environ": "reads environment variables", "getenv": "reads environment variables",
    "_exit": "kills the process (os._exit)", "kill": "sends a signal to a process", "abort": "aborts the process",
    "exit": "exits the process", "system": "runs a shell command", "popen": "runs a shell command",
    "fork": "forks the process", "remove": "deletes files", "unlink": "deletes files",
    "rmtree": "deletes a directory tree", "listdir": "lists directories", "walk": "walks the file system",
    "scandir": "lists directories", "chdir": "changes the working directory", "path": "inspects file paths",
    "killpg": "sends a signal to a process group", "posix_spawn": "starts a process (posix_spawn)",
    "posix_spawnp": "starts a process (posix_spawnp)", "setsid": "starts a new session", "open": "opens a file",
    "fdopen": "opens a file descriptor", "dup2": "redirects a file descriptor", "pidfd_open": "opens a process",
    "memfd_create": "creates an anonymous file",
    **{name: "runs a program (os.exec*/spawn*)" for name in ("execl", "execle", "execlp", "execlpe", "execv",
                                                               "execve", "execvp", "execvpe", "spawnl", "spawnle",
                                                               "spawnlp", "spawnv", "spawnve", "spawnvp")},
}
OS_MODULES = {"os", "sys", "shutil", "posix", "pathlib", "io", "_io", "codecs"}
RAISES = {"SystemExit": "raises SystemExit", "KeyboardInterrupt": "raises KeyboardInterrupt",
          "GeneratorExit": "raises GeneratorExit"}


@dataclass(frozen=True)
class Flag:
    kind: str          # short id: import, patch, call, attribute, raise, shadow
    reason: str        # one line for the instructor
    cell: int          # index of the code cell in the submitted notebook
    line: int          # line in that cell

    def __str__(self):
        return f"cell {self.cell}, line {self.line}: {self.reason}"


class _Scanner(ast.NodeVisitor):
    def __init__(self, cell):
        self.cell, self.flags = cell, []

    def flag(self, kind, reason, node):
        self.flags.append(Flag(kind, reason, self.cell, getattr(node, "lineno", 0)))

    def visit_Import(self, node):
        for alias in node.names:
            self._module(alias.name, node)
        self.generic_visit(node)

    def visit_ImportFrom(self, node):
        self._module(node.module or "", node)
        if (node.module or "").split(".")[0] in OS_MODULES and any(a.name in OS_ATTRIBUTES for a in node.names):
            self.flag("attribute", f"imports {', '.join(a.name for a in node.names)} from os", node)
        self.generic_visit(node)

    def _module(self, name, node):
        top = name.split(".")[0]
        if top in FORBIDDEN_IMPORTS:
            self.flag("import", FORBIDDEN_IMPORTS[top], node)

    def visit_Attribute(self, node):
        if node.attr in ATTRIBUTES:
            self.flag("attribute", ATTRIBUTES[node.attr], node)
        elif node.attr in OS_ATTRIBUTES and _root_name(node) in OS_MODULES:
            self.flag("attribute", OS_ATTRIBUTES[node.attr], node)
        if isinstance(node.ctx, (ast.Store, ast.Del)) and _root_name(node) in PATCHABLE:
            self.flag("patch", f"replaces a library attribute ({ast.unparse(node)})", node)
        self.generic_visit(node)

    def visit_Call(self, node):
        if isinstance(node.func, ast.Name) and node.func.id in CALLS:
            self.flag("call", CALLS[node.func.id], node)
        self.generic_visit(node)

    def visit_Subscript(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)) and _root_name(node) in ("__builtins__", "builtins"):
            self.flag("patch", "replaces a built-in function", node)
        self.generic_visit(node)

    def visit_Name(self, node):
        if node.id in ("__builtins__", "__loader__", "__spec__"):
            self.flag("patch", f"uses {node.id}", node)
        self.generic_visit(node)

    def visit_Raise(self, node):
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if isinstance(exc, ast.Name) and exc.id in RAISES:
            self.flag("raise", RAISES[exc.id], node)
        self.generic_visit(node)

    def visit_Global(self, node):
        if {"check", "grade"} & set(node.names):
            self.flag("shadow", "rebinds the grader's `check` or `grade` globally", node)
        self.generic_visit(node)

    def visit_FunctionDef(self, node):
        if node.name in ("check", "grade", "__import__", "isinstance", "float", "abs", "len", "print",
                         "type", "getattr", "hasattr", "repr", "str", "round", "max", "min", "sum"):
            self.flag("shadow", f"defines a function named `{node.name}`, hiding a built-in or the grader's",
                      node)
        self.generic_visit(node)


def _root_name(node):
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else ""


def scan(cells):
    """Flags for a list of (cell index, python source) pairs, in order. Never raises: a cell that cannot be
    scanned (nested too deeply, null bytes, too big) is itself a flag."""
    flags = []
    for index, source in cells:
        scanner = _Scanner(index)
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue                 # it cannot run either, in the kernel or in verification: nothing to flag
        except Exception as err:     # noqa: BLE001 - RecursionError, MemoryError, ValueError: a flag, not an abort
            flags.append(Flag("unscannable", f"cannot be scanned ({type(err).__name__})", index, 0))
            continue
        try:
            scanner.visit(tree)
        except Exception as err:     # noqa: BLE001
            scanner.flags.append(Flag("unscannable", f"cannot be scanned ({type(err).__name__})", index, 0))
        flags.extend(scanner.flags)
    return _unique(flags)


def _unique(flags):
    seen, out = set(), []
    for f in flags:
        key = (f.reason, f.cell, f.line)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
