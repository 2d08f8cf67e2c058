"""The static scanner flags the evasions of issue 21 (point 5) and never crashes: a cell it cannot scan is
itself a flag."""
import pytest

from autograders.integrity.static_flags import scan

EVASIONS = {
    "pkgutil.resolve_name": "import pkgutil\nf = pkgutil.resolve_name('os:system')\n",
    "resolve_name from pkgutil": "from pkgutil import resolve_name\nresolve_name('os:getenv')('X')\n",
    "io.open": "import io\ntable = io.open('/dev/shm/table').read()\n",
    "from io import open": "from io import open\nopen\n",
    "runpy.run_path": "import runpy\nrunpy.run_path('/dev/shm/x.py')\n",
    "os.posix_spawn": "import os\nos.posix_spawn('/bin/sh', ['sh'], {})\n",
    "os.killpg": "import os\nos.killpg(1, 9)\n",
    "shared_memory": "from multiprocessing import shared_memory\nm = shared_memory.SharedMemory('t')\n",
    "os.open": "import os\nfd = os.open('/tmp/t', 0)\n",
    "os.execv": "import os\nos.execv('/bin/sh', ['sh'])\n",
}


@pytest.mark.parametrize("name", sorted(EVASIONS))
def test_each_evasion_is_flagged(name):
    assert scan([(0, EVASIONS[name])]), f"{name} is not flagged"


@pytest.mark.parametrize("source", ["x = " + "+".join(["1"] * 100000),          # too deep for the parser
                                    "x = " + "-(" * 90 + "1" + ")" * 90 + "\ny = " + "+".join(["y"] * 6000)])
def test_an_unscannable_cell_is_a_flag_not_a_crash(source):
    flags = scan([(3, "import os"), (4, source)])
    assert [f.kind for f in flags if f.cell == 4] == ["unscannable"], flags


def test_honest_code_is_not_flagged():
    honest = ("import numpy as np\n\ndef dL_dw2(x, y, w1, w2, b):\n    with open_ish() as f:\n        pass\n"
              "    z = np.tanh(w1 * x + b)\n    return np.sum(z)\nitems = [1]\nitems.remove(1)\n")
    assert scan([(0, honest)]) == []
