"""The verification sandbox: same diagnoses as in the kernel, and none of the course within reach."""
from pathlib import Path

import pytest

from autograders import grade
from autograders.engine import settings
from autograders.integrity.bubblewrap import available as isolation_available
from autograders.integrity.sandbox import Sandbox
from students import cases

REPO = Path(__file__).resolve().parent.parent
SAMPLE = [c for c in cases() if c[0].stem in ("correct_loops", "correct_vectorised", "sign_flipped",
                                                  "elementwise_chain", "single_output_path", "numerical_gradient_multi_path",
                                                  "mutated_input_alias", "timeout_while_true", "wrong_type_list",
                                                  "raised_not_implemented", "nondeterministic_counter")]


@pytest.mark.parametrize("case", SAMPLE, ids=[f"{c[0].stem}:{c[1]}" for c in SAMPLE])
def test_a_function_in_the_sandbox_is_diagnosed_as_in_the_kernel(case):
    path, check_id, expected = case
    with Sandbox([(0, path.read_text())]) as box:
        assert box.start(), box.fault
        fn = box.function(check_id.split(".")[1])
        assert grade(check_id, fn, seed=5).mistakes == expected


def _load(code):
    with Sandbox([(0, code)], course_root=REPO) as box:
        started = box.start()
        return started, box.load_errors, box.fault


def test_the_sandbox_cannot_import_the_grader_or_read_the_course():
    if not isolation_available():
        pytest.skip("no user/mount namespaces on this machine: verification runs without isolation")
    for code, error in [("import solutions", "ModuleNotFoundError"), ("import autograders", "ModuleNotFoundError"),
                        (f"import os; p = {str(REPO / 'README.md')!r}; assert not os.path.exists(p) or open(p).read() == ''",
                         ""),                                   # covered: gone, or reads empty
                        (f"import os; p = {str(REPO / 'solutions')!r}; assert not os.path.exists(p) or os.listdir(p) == []",
                         ""),
                        (f"try:\n    open({str(REPO / 'stolen.txt')!r}, 'w').write('x')\nexcept OSError:\n    pass",
                         ""),                                   # refused, or a private tmpfs: see below
                        ("import socket; socket.create_connection(('1.1.1.1', 80), timeout=2)", "OSError"),
                        ("import os; assert not [k for k in os.environ if 'NBGRADER' in k or 'BACKPROP' in k]", "")]:
        started, errors, _ = _load(code)
        assert started
        if error:
            assert errors and (error in errors[0][1] or errors[0][1].split(":")[0].endswith(error)), (code, errors)
        else:
            assert not errors, (code, errors)
    assert not (REPO / "stolen.txt").exists()


def test_faults_in_the_sandbox_are_reported_not_fatal(monkeypatch):
    monkeypatch.setattr(settings, "VERIFY_CELL_SECONDS", 1)
    started, _, fault = _load("import os\nos._exit(3)")
    assert not started and "exit code 3" in fault
    started, errors, _ = _load("while True:\n    pass")
    assert started and "CellTimeout" in errors[0][1], "a looping cell is interrupted, the next cells run"
    started, errors, _ = _load("x = bytearray(8 * 2**30)")
    assert started and "MemoryError" in errors[0][1]


def test_sandboxes_forked_from_one_server_share_nothing():
    """Each student's process gets its own /tmp and no privileges, though all are forked from one template."""
    if not isolation_available():
        pytest.skip("no user/mount namespaces on this machine: verification runs without isolation")
    from autograders.integrity.sandbox_server import ForkedChild
    plant = ("import os\nseen = os.listdir('/tmp')\nopen('/tmp/planted', 'w').write('x')\n"
             "raise RuntimeError('planted' in seen, 'work' in seen)")
    status = ("import os\nst = dict(l.split(':\\t') for l in open('/proc/self/status').read().splitlines() "
              "if ':\\t' in l)\nraise RuntimeError(st['CapEff'], st['NoNewPrivs'])")
    for _ in range(2):
        with Sandbox([(0, plant)], course_root=REPO) as box:
            assert box.start(), box.fault
            assert isinstance(box.proc, ForkedChild), "not forked from the sandbox server"
            assert box.load_errors[0][1] == "RuntimeError: (False, True)", box.load_errors   # a fresh /tmp
    with Sandbox([(0, status)], course_root=REPO) as box:
        assert box.start(), box.fault
        assert box.load_errors[0][1] == "RuntimeError: ('0000000000000000', '1')", box.load_errors


@pytest.mark.parametrize("server", ["1", "0"], ids=["forked", "spawned"])
def test_a_fork_storm_in_verification_stops_at_the_sandboxs_process_limit(server, monkeypatch):
    """The sandbox's cgroup (where the grader may make one: root, or a delegated cgroup) holds it to
    SANDBOX_PROCESSES, its forks included."""
    from autograders.integrity import cgroups
    from autograders.integrity.sandbox import SANDBOX_PROCESSES
    if not isolation_available() or not cgroups.available():
        pytest.skip("no sandbox or no cgroup of ours here: only the per-uid rlimit holds")
    monkeypatch.setenv("BACKPROP_SANDBOX_SERVER", server)
    storm = ("import os, time\nn = 0\nfor _ in range(300):\n    try:\n        pid = os.fork()\n"
             "    except OSError:\n        break\n    if pid == 0:\n        time.sleep(60)\n        os._exit(0)\n"
             "    n += 1\nraise RuntimeError(n)")
    started, errors, _ = _load(storm)
    assert started and errors, errors
    forked = int(errors[0][1].rsplit(" ", 1)[-1])
    assert forked < SANDBOX_PROCESSES, f"{forked} processes forked in one verification sandbox"
