"""Red-team attacks on the scalar_chain notebook: each is a real edit a determined student could make.

Every attack starts from WRONG functions (WRONG below) and tries to get marks anyway.
An attack is (one-line description, code of an extra cell put after the given code or None,
{function: replacement source} or None, notebook edit function or None).
"""
WRONG = {
    "dL_dw2": "def dL_dw2(x, y, w1, w2, b):\n    return 0.123\n",
    "dL_dw1": "def dL_dw1(x, y, w1, w2, b):\n    return 0.123\n",
    "dL_db": "def dL_db(x, y, w1, w2, b):\n    return 0.123\n",
    "sgd_step": "def sgd_step(x, y, w1, w2, b, lr):\n    return (w1, w2, b)\n",
}

FAKE_CHECK = '''
import sys, types
fake = types.ModuleType("autograders")
fake.check = lambda check_id, fn, points=1: points
sys.modules["autograders"] = fake
'''


def _functions(body):
    """The four graded functions, each returning what `body` (an expression) gives."""
    return {name: src.split("return")[0] + f"return {body}\n" for name, src in WRONG.items()}


def _edit_tests(nb, how):
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
            how(cell)
    return nb


def _delete_tests(nb):
    nb.cells = [c for c in nb.cells if not (c.metadata.get("nbgrader", {}).get("grade")
                                            and c.cell_type == "code")]
    return nb


def _points(cell):
    cell.metadata["nbgrader"]["points"] = 100


def _source(cell):
    cell.source = "2.0"


def _copy_functions_from(pattern):
    """A cell that runs every answered graded function it finds in the notebooks matching `pattern`."""
    return '''
import glob, json
for path in glob.glob(PATTERN):
    try:
        nb = json.load(open(path))
    except Exception:
        continue
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "code" and "def dL_" in src and "NotImplementedError" not in src:
            try:
                exec(src, globals())
            except Exception:
                pass
'''.replace("PATTERN", repr(pattern))


ATTACKS = {
    "always_equal": ("returns an object whose ==, -, abs and float always say 'equal'", '''
class Same(float):
    def __eq__(self, other): return True
    def __sub__(self, other): return 0.0
    def __rsub__(self, other): return 0.0
    def __abs__(self): return 0.0
    def __lt__(self, other): return True
    def __le__(self, other): return True
''', _functions("Same(0.5)"), None),
    "ndarray_subclass": ("returns an ndarray subclass whose arithmetic always gives zeros", '''
import numpy as np
class Zero(np.ndarray):
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return np.zeros(())
    def __array_finalize__(self, obj): pass
''', _functions("np.zeros(()).view(Zero)"), None),
    "patched_numpy": ("monkeypatches np.max, np.abs, np.allclose and np.testing to always agree", '''
import numpy as np
np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
np.max = lambda *a, **k: 0.0
np.abs = lambda x, *a, **k: 0.0 * x
''', None, None),
    "fake_autograders": ("puts a fake `autograders` module whose check() returns full points into sys.modules",
                         FAKE_CHECK, None, None),
    "import_solutions": ("imports the reference solutions from the grading environment",
                         "from solutions.scalar_chain import dL_dw2, dL_dw1, dL_db\n",
                         {"dL_dw2": "from solutions.scalar_chain import dL_dw2\n",
                          "dL_dw1": "from solutions.scalar_chain import dL_dw1\n",
                          "dL_db": "from solutions.scalar_chain import dL_db\n",
                          "sgd_step": "from solutions.scalar_chain import sgd_step\n"}, None),
    "edited_hidden_cells": ("replaces the hidden test cells' source with a constant", None, None,
                            lambda nb: _edit_tests(nb, _source)),
    "deleted_hidden_cells": ("deletes the hidden test cells", None, None, _delete_tests),
    "changed_points": ("raises the points of the test cells to 100 in the metadata", None, None,
                       lambda nb: _edit_tests(nb, _points)),
    "ipython_hook": ("registers an IPython pre_run_cell hook that swaps check() for a fake", '''
import sys
def swap(*args):
    mod = sys.modules.get("autograders")
    if mod is not None:
        mod.check = lambda check_id, fn, points=1: points
get_ipython().events.register("pre_run_cell", swap)
import autograders
''', None, None),
    "silenced_errors": ("breaks check() and silences tracebacks (sys.excepthook, showtraceback) so the cell "
                        "shows no error", '''
import sys
import autograders
def boom(*a, **k):
    raise RuntimeError("x")
autograders.check = boom
sys.excepthook = lambda *a: None
get_ipython().showtraceback = lambda *a, **k: None
get_ipython().set_custom_exc((Exception,), lambda *a, **k: None)
''', None, None),
    "system_exit": ("raises SystemExit and KeyboardInterrupt from the graded functions", None,
                    {"dL_dw2": "def dL_dw2(x, y, w1, w2, b):\n    raise SystemExit(0)\n",
                     "dL_dw1": "def dL_dw1(x, y, w1, w2, b):\n    raise KeyboardInterrupt\n",
                     "dL_db": "def dL_db(x, y, w1, w2, b):\n    raise SystemExit(0)\n"}, None),
    "kernel_kill": ("kills its own kernel when a graded function is called", "import os, signal\n",
                    _functions("os.kill(os.getpid(), signal.SIGKILL)"), None),
    "infinite_loop": ("loops forever at top level, so the hidden tests time out", "while True:\n    pass\n",
                      None, None),
    "memory_bomb": ("allocates 3 GB in every graded function call", "import numpy as np\n",
                    _functions("float(np.ones(3 * 2**27).sum() * 0)"), None),
    "write_gradebook": ("overwrites the gradebook file from the kernel", '''
import glob, os
for path in glob.glob("../../../gradebook.db") + glob.glob("../../../../gradebook.db"):
    try:
        with open(path, "r+b") as f:
            f.write(b"\\0" * 4096)
    except OSError:
        pass
''', None, None),
    "read_other_submissions": ("copies another student's functions out of their submitted notebook", _copy_functions_from("../../../submitted/*/scalar_chain/scalar_chain.ipynb"), None, None),
    "overridden_builtins": ("overrides built-ins (isinstance, abs, max, float) used by graders", '''
import builtins
builtins.abs = lambda x: 0.0
builtins.max = lambda *a, **k: 0.0
builtins.isinstance = lambda *a: True
''', None, None),
    "fixed_seed_hardcoded": ("fixes the random seeds and returns hard-coded numbers", '''
import numpy as np, random
np.random.seed(0)
random.seed(0)
''', _functions("-0.0417"), None),
    "environment_detection": ("detects grading through NBGRADER_* variables and fakes check() only then", '''
import os
if any(k.startswith("NBGRADER") for k in os.environ):
''' + "\n".join("    " + line for line in FAKE_CHECK.strip().splitlines()) + "\n", None, None),
    "patched_grader_internals": ("imports the grader and replaces its comparison so everything is correct", '''
import autograders.engine.outputs as outputs
import autograders.engine.grading as grading
outputs.rel_error = lambda *a, **k: 0.0
grading.rel_error = lambda *a, **k: 0.0
''', None, None),
    "umount_cover": ("unmounts the jail's cover of the gradebook, then overwrites the real file", '''
import ctypes, glob
libc = ctypes.CDLL(None, use_errno=True)
for path in glob.glob("../../../gradebook.db"):
    libc.umount2(path.encode(), 2)
    try:
        with open(path, "r+b") as f:
            f.write(b"\\0" * 4096)
    except OSError:
        pass
''', None, None),
    "dev_shm_lookup_table": ("precomputes verification's trials from the course secret in its environment and "
                             "leaves the answers in /dev/shm for verification to look up", '''
import json, os
import numpy as np
TABLE = "/dev/shm/backprop-redteam-table.json"
try:
    from autograders import grade
    from autograders.engine.seeds import derive_seed
    from solutions.scalar_chain import dL_dw2 as _reference
    _answers = {}
    def _record(*args):
        _answers[json.dumps([np.asarray(v).tolist() for v in args])] = np.asarray(_reference(*args)).tolist()
        return _reference(*args)
    _secret = os.environ.get("BACKPROP_COURSE_SECRET", "")
    for _guess in (_secret + "\\0verify", _secret):
        grade("scalar_chain.dL_dw2", _record, seed=derive_seed("scalar_chain.dL_dw2", None, _guess))
    with open(TABLE, "w") as f:
        json.dump(_answers, f)
except Exception:
    _reference = None
''', {"dL_dw2": '''def dL_dw2(x, y, w1, w2, b):
    try:
        with open(TABLE) as f:
            table = json.load(f)
        return np.asarray(table[json.dumps([np.asarray(v).tolist() for v in (x, y, w1, w2, b)])])
    except (OSError, KeyError, ValueError):
        return _reference(x, y, w1, w2, b) if _reference else 0.123
'''}, None),
    "read_other_autograded": ("copies another student's functions out of their autograded notebook", _copy_functions_from("../../*/scalar_chain/scalar_chain.ipynb"), None, None),
    "half_line_hang": ("in verification, writes half an answer on the protocol pipe, ignores SIGALRM and sleeps",
                       "import signal, sys, time\n",
                       {name: src.split("return")[0] + '''main = sys.modules.get("__main__")
    if hasattr(main, "out") and hasattr(main, "answer"):
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        main.out.write("{")
        main.out.flush()
        time.sleep(1000)
    return 0.123
''' for name, src in WRONG.items()}, None),
    "symlink_trap": ("replaces its own autograded notebook with a symlink to the gradebook, so that the grader, "
                     "writing the autograded notebook back, overwrites the class's gradebook", '''
import os
_course = os.path.abspath(os.path.join(os.getcwd(), "..", "..", ".."))
for _name in os.listdir("."):
    if _name.endswith(".ipynb"):
        try:
            os.unlink(_name)
            os.symlink(os.path.join(_course, "gradebook.db"), _name)
        except OSError:
            pass
''', None, None),
}
