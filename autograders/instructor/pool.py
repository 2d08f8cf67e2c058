"""A pool of worker processes that knows which submission each worker is grading.

concurrent.futures' ProcessPoolExecutor cannot say which task killed a worker: one death
breaks the whole pool and fails every task queued or in flight, so one submission that
kills its grader (or runs it out of memory) costs the class. Here each worker holds one
submission at a time, so a worker's death is charged to that submission alone:

* the other submissions go on, on the other workers and on a fresh worker started in
  its place, without counting a try against them;
* the submission it was grading is tried once more ALONE, with nothing else in flight,
  once the rest of the class is done; if its worker dies again it is reported with the
  reason (signal, out of memory).

Ctrl-C is the caller's (interrupts.py): once `stopping()` says so, no new task is handed out
and those in flight finish.
"""
import os
import signal
import time
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import wait


@dataclass
class Death:
    """A worker that ended while it held a task."""
    task: object
    exitcode: int
    reason: str
    timed_out: bool = False


def _serve(conn, init, init_args):
    """A worker: run `init` once, then one task at a time from `conn` until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)            # the parent decides what Ctrl-C stops
    if init is not None:
        init(*init_args)
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            break
        if message is None:
            break
        fn, args = message
        try:
            conn.send(("done", fn(*args)))
        except Exception as err:                          # noqa: BLE001 - the parent reports it
            conn.send(("error", f"{type(err).__name__}: {err}"[:300]))
    os._exit(0)


class _Worker:
    def __init__(self, ctx, init, init_args):
        self.conn, theirs = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(theirs, init, init_args), daemon=True)
        self.process.start()
        theirs.close()
        self.task = None
        self.given = 0.0
        self.ready = False
        self.oom_before = oom_kills()

    def give(self, fn, task, args):
        self.task = task
        self.given = time.monotonic()
        self.oom_before = oom_kills()
        self.conn.send((fn, args))

    def stop(self, now=False):
        try:
            if now:
                self.process.kill()
            else:
                self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(timeout=None if now else 10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def oom_kills():
    """How many processes the kernel's OOM killer has killed in this cgroup (None where unknown)."""
    for path, key in (("/sys/fs/cgroup/memory.events", "oom_kill"),
                      ("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill")):
        try:
            with open(path) as f:
                for line in f:
                    name, _, value = line.partition(" ")
                    if name == key:
                        return int(value)
        except (OSError, ValueError):
            continue
    return None


def death_reason(exitcode, oom_before, oom_after):
    if oom_before is not None and oom_after is not None and oom_after > oom_before:
        return "out of memory: the system killed the process grading it"
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"the process grading it was killed ({name}) while it ran this submission"
    return f"the process grading it exited (code {exitcode}) while it ran this submission"


def run(fn, tasks, jobs, args_of, on_result, on_death, init=None, init_args=(), stopping=lambda: False,
        wall_clock=None):
    """Run fn(*args_of(task)) for every task on `jobs` workers; on_result(task, ok, value) for each
    answer (ok False: value is the error text), on_death(Death) for a task whose worker died twice
    (once with others in flight, once alone), or that held its worker longer than `wall_clock` seconds (its
    wall clock: the worker is killed, and the task is not tried again). Returns the tasks not run because
    `stopping()` said so."""
    ctx = get_context("fork")
    queue, suspects, workers = list(tasks), [], []
    failed_starts = [0]
    try:
        for alone in (False, True):
            if alone:
                queue, suspects = suspects, []
            limit = 1 if alone else max(1, min(jobs, len(queue)))
            while (queue and not stopping()) or any(w.task is not None for w in workers):
                while len(workers) < limit and queue and not stopping():
                    workers.append(_Worker(ctx, init, init_args))
                for w in workers:
                    if w.ready and w.task is None and queue and not stopping():
                        task = queue.pop(0)
                        w.give(fn, task, args_of(task))
                idle = [w for w in workers if w.ready and w.task is None]
                if idle and (not queue or stopping()):
                    for w in idle:                          # nothing more for them
                        w.stop()
                        workers.remove(w)
                    continue
                ready = wait([w.conn for w in workers] + [w.process.sentinel for w in workers], timeout=1.0)
                for w in list(workers):
                    if wall_clock and w.task is not None and w.conn not in ready \
                            and time.monotonic() - w.given > wall_clock:
                        w.stop(now=True)                    # its wall clock: the worker and what it started
                        workers.remove(w)
                        on_death(Death(w.task, w.process.exitcode,
                                       f"grading it took longer than {wall_clock:g} s: stopped", True))
                for w in list(workers):
                    if w.conn in ready:
                        try:
                            kind, value = w.conn.recv()
                        except (EOFError, OSError):
                            kind = None
                        if kind == "ready":
                            w.ready = True
                            continue
                        if kind in ("done", "error"):
                            task, w.task = w.task, None
                            on_result(task, kind == "done", value)
                            continue
                    if w.process.sentinel in ready or (w.conn in ready and kind is None):
                        w.process.join()
                        workers.remove(w)
                        w.conn.close()
                        if w.task is None:                  # died idle or while starting: nothing lost
                            failed_starts[0] += not w.ready
                            if failed_starts[0] >= 3:       # a problem of the machine, not of a student
                                for task in queue:
                                    on_result(task, False, "the grading workers could not start "
                                                           f"(exit code {w.process.exitcode})")
                                queue.clear()
                            continue
                        reason = death_reason(w.process.exitcode, w.oom_before, oom_kills())
                        if alone:
                            on_death(Death(w.task, w.process.exitcode, reason))
                        else:
                            suspects.append(w.task)
            for w in workers:
                w.stop()
            workers.clear()
            if stopping():
                return queue + suspects
        return []
    finally:
        for w in workers:
            w.stop(now=True)
