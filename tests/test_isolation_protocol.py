"""The grader's side of the verification protocol is bounded (issue 21, finding 3): a child that writes
half an answer and sleeps, or an endless line, or a call that outlasts the per-call limit off the main
thread (as on Dask), costs the grader seconds, never the class; and every submission has a wall clock."""
import threading
import time

import pytest

from autograders import grade
from autograders.engine import settings
from autograders.engine.guard import CallTimeout
from autograders.integrity.sandbox import Sandbox
from students import cases

CORRECT = next(c for c in cases() if c[0].stem == "correct_loops" and c[1] == "scalar_chain.dL_dw2")[0]


def _in_a_thread(fn, limit):
    """fn() in a non-main thread (no SIGALRM there, as in a Dask worker); (finished, value or exception)."""
    box = {}

    def run():
        try:
            box["value"] = fn()
        except BaseException as exc:         # noqa: BLE001 - the test inspects it
            box["value"] = exc
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit)
    return not thread.is_alive(), box.get("value")


HALF_LINE = """
import signal, sys, time
signal.signal(signal.SIGALRM, signal.SIG_IGN)
def f(x):
    out = sys.modules["__main__"].out
    out.write("{"); out.flush()
    time.sleep(1000)
"""

ENDLESS = """
import sys
def f(x):
    out = sys.modules["__main__"].out
    chunk = "x" * (1 << 20)
    for _ in range(48):                      # 48 MB with no newline (more than any answer may be)
        out.write(chunk)
    out.flush()
    import time; time.sleep(1000)
"""


@pytest.mark.parametrize("code", [HALF_LINE, ENDLESS], ids=["newline-less brace, SIGALRM ignored", "endless line"])
def test_a_child_cannot_hang_the_grader_or_fill_its_memory(code):
    with Sandbox([(0, code)]) as box:
        assert box.start(), box.fault
        fn = box.function("f")
        start = time.monotonic()
        finished, value = _in_a_thread(lambda: fn(1.0), settings.CALL_TIME_LIMIT + 10)
        assert finished, "the grader still waits for the child's answer"
        assert isinstance(value, (CallTimeout, RuntimeError)), value
        assert time.monotonic() - start < settings.CALL_TIME_LIMIT + 5


def test_a_call_that_outlasts_the_limit_times_out_off_the_main_thread():
    """On Dask, verification runs in a worker thread where SIGALRM does nothing: the child's own limit holds."""
    slow = CORRECT.read_text() + "\nimport time\n_fast = dL_dw2\ndef dL_dw2(*a):\n    time.sleep(3.5)\n    return _fast(*a)\n"
    with Sandbox([(0, slow)]) as box:
        assert box.start(), box.fault
        finished, result = _in_a_thread(lambda: grade("scalar_chain.dL_dw2", box.function("dL_dw2"), seed=3), 30)
    assert finished and not isinstance(result, BaseException), result
    assert result.mistakes == ("timeout",), result.mistakes


def test_a_child_that_ignores_the_alarm_is_still_stopped_at_the_limit():
    code = "import signal, time\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\ndef f(x):\n    time.sleep(1000)\n"
    with Sandbox([(0, code)]) as box:
        assert box.start(), box.fault
        start = time.monotonic()
        finished, value = _in_a_thread(lambda: box.call("f", [1.0], False), 30)
        assert finished and isinstance(value, CallTimeout), value
        assert time.monotonic() - start < settings.CALL_TIME_LIMIT + 1.0, "the child's watchdog answered"


def _sleep_if_slow(task):
    if task == "slow":
        time.sleep(1000)
    return task


def test_the_local_pool_stops_a_submission_at_its_wall_clock():
    from autograders.instructor.pool import run
    results, deaths = {}, []
    start = time.monotonic()
    run(_sleep_if_slow, ["slow", "a", "b"], 2, lambda t: (t,),
        lambda t, ok, v: results.__setitem__(t, (ok, v)), deaths.append, wall_clock=2)
    assert time.monotonic() - start < 20
    assert results == {"a": (True, "a"), "b": (True, "b")}
    assert [d.task for d in deaths] == ["slow"] and "longer than 2 s" in deaths[0].reason, deaths


def _hang_with_a_child(path):
    """A task that starts a process of its own, then never returns."""
    import subprocess
    path.write_text(str(subprocess.Popen(["sleep", "1000"]).pid))
    time.sleep(1000)


def _gone(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def test_a_dask_threads_own_worker_stops_a_task_at_its_wall_clock_with_what_it_started(tmp_path):
    """pool.own_worker, as a Dask worker's thread uses it: a task past its wall clock comes back as a timed-out
    Death, its worker and what that started are killed, the thread's next task gets a fresh worker, and the
    worker dies with the thread that started it."""
    import os
    from autograders.instructor.pool import Death, own_worker

    def run():
        first = own_worker()
        assert first.call(_sleep_if_slow, ("a",), "a", 5) == ("done", "a")
        start = time.monotonic()
        death = first.call(_hang_with_a_child, (tmp_path / "pid",), "slow", 2)
        took = time.monotonic() - start
        second = own_worker()
        return death, took, first.proc.pid, second is not first and second.call(os.getpid, (), "b", 5), second
    finished, value = _in_a_thread(run, 60)
    assert finished and not isinstance(value, BaseException), value
    death, took, first, (kind, second_pid), second = value
    assert isinstance(death, Death) and death.timed_out and "longer than 2 s" in death.reason, death
    assert took < 5, took
    time.sleep(0.2)
    assert _gone(first) and _gone(int((tmp_path / "pid").read_text())), \
        "the worker or what it started outlived the wall clock"
    assert kind == "done" and second_pid == second.proc.pid != first
    assert second.proc.wait(timeout=5) == -9, "the worker outlived the thread that started it"
