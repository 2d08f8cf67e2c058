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

On Dask, each worker thread keeps one such process of its own (`Solo`, `own_worker`): a submission
that outlives its wall clock is stopped there too, its process group and kernels with it, and the
Dask worker's thread is free for the next one.
"""
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection, Pipe, wait

PR_SET_PDEATHSIG = 1


@dataclass
class Death:
    """A worker that ended while it held a task."""
    task: object
    exitcode: int
    reason: str
    timed_out: bool = False


class TaskError(Exception):
    """What a task raised in a worker process, as the text `_serve` sent back ('ValueError: ...')."""


def overtime(wall_clock):
    """Why a submission that held its worker longer than its wall clock was stopped."""
    return f"grading it took longer than {wall_clock:g} s: stopped"


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
    from .interrupts import remove_kernel_homes
    remove_kernel_homes([os.getpid()])                    # (os._exit runs no atexit: its kernels' homes go here)
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
                        on_death(Death(w.task, w.process.exitcode, overtime(wall_clock), True))
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


class Solo:
    """One worker process for a thread of a process that is not ours (a Dask worker's): `call` runs one task
    in it at a time, for at most its wall clock.

    The worker is a fresh interpreter (subprocess), not a fork: a Dask worker process is daemonic
    (multiprocessing refuses it children) and runs threads (its event loop, the profiler), and a fork copies
    any lock one of them holds. It has a session and process group of its own (its kernels' sandboxes join
    the group) and dies with the thread that started it (PR_SET_PDEATHSIG): a Dask worker that dies takes it,
    and its kernels, along. It costs one start (imports) per Dask thread, and again after a death."""

    def __init__(self, init=None, init_args=(), start_seconds=300):
        ours, theirs = Pipe()
        boot = (f"import sys; sys.path[:0] = [p for p in {sys.path!r} if p not in sys.path]; "
                f"from {__name__} import _boot; _boot({theirs.fileno()}, {os.getpid()})")
        try:
            self.proc = subprocess.Popen([sys.executable, "-c", boot], pass_fds=(theirs.fileno(),),
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        finally:
            theirs.close()
        self.conn, self.oom_before = ours, oom_kills()
        try:
            ours.send((init, init_args))
            kind = ours.recv()[0] if ours.poll(start_seconds) else None
        except (EOFError, OSError):
            kind = None
        if kind != "ready":
            self.kill()
            raise RuntimeError(f"the grading process could not start (exit code {self.proc.returncode})")

    def alive(self):
        return self.proc.poll() is None

    def call(self, fn, args, task=None, wall_clock=None):
        """fn(*args) in the worker: ("done", value), ("error", text), or a Death: the worker died while it ran
        it, or held it longer than `wall_clock` seconds (then the worker and its process group are killed)."""
        self.oom_before = oom_kills()
        deadline = time.monotonic() + wall_clock if wall_clock else float("inf")
        try:
            self.conn.send((fn, args))
            while True:
                if self.conn.poll(max(0.0, min(1.0, deadline - time.monotonic()))):
                    kind, value = self.conn.recv()
                    if kind in ("done", "error"):
                        return kind, value
                if not self.alive():
                    break
                if time.monotonic() >= deadline:
                    self.kill()
                    return Death(task, self.proc.returncode, overtime(wall_clock), True)
        except (EOFError, OSError):
            pass
        try:
            self.proc.wait(timeout=5)                       # it died: its own exit status, not our SIGKILL's
        except subprocess.TimeoutExpired:
            pass
        self.kill()                                         # whatever it left in its group goes too
        return Death(task, self.proc.returncode, death_reason(self.proc.returncode, self.oom_before, oom_kills()))

    def kill(self):
        """SIGKILL the worker and its process group; reap it; remove its kernels' homes (interrupts.py)."""
        from .interrupts import remove_kernel_homes
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        self.conn.close()
        remove_kernel_homes([self.proc.pid])


def _boot(fd, parent):
    """A Solo's worker, from its first line: die with the thread that started it, then serve."""
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:                              # that thread already ended
        os._exit(1)
    os.set_inheritable(fd, False)                           # nothing it starts keeps the pipe open
    conn = Connection(fd)
    init, init_args = conn.recv()
    _serve(conn, init, init_args)


_OWN = threading.local()


def own_worker(init=None, init_args=()):
    """This thread's Solo: the one it has, or a new one if it has none or its worker has ended."""
    solo = getattr(_OWN, "solo", None)
    if solo is None or not solo.alive():
        _OWN.solo = None
        _OWN.solo = Solo(init, init_args)
    return _OWN.solo
