"""Worker processes for the service's CPU work (drawing inputs, judging answers), driven by its event loop.

Each worker has its own socket pair: the loop writes a job to an idle worker and reads the result when
the socket is readable (`loop.add_reader`), so a request crosses no helper thread and waits for no
lock: concurrent.futures' process pool passes every job through a feeder thread and every result
through a manager thread, two hand-offs of the GIL that the busy loop makes wait (5 ms each at
CPython's switch interval). Jobs wait in one queue, in order, for the first idle worker. A worker
that dies fails only its own job (WorkerDied) and is replaced.
"""
import asyncio
import multiprocessing
import os
import pickle
import signal
from collections import deque

class WorkerDied(RuntimeError):
    pass


class _Worker:
    def __init__(self, index, context, others=()):
        self.index = index
        parent, child = context.Pipe(duplex=True)
        inherited = [parent.fileno(), *others] if context.get_start_method() == "fork" else []
        self.process = context.Process(target=_serve, args=(child, inherited), daemon=True,
                                       name=f"backprop-feedback-worker-{index}")
        self.process.start()
        child.close()
        self.conn, self.job = parent, None


class Pool:
    """`n` worker processes; `await pool.run(fn, *args)` -> fn(*args), run in one of them."""

    def __init__(self, n, context="fork"):
        self.context = multiprocessing.get_context(context)
        self.workers = []
        for k in range(n):
            self.workers.append(_Worker(k, self.context, [w.conn.fileno() for w in self.workers]))
        self.queue = deque()
        self.closed = False
        self.loop = None                           # the loop that runs the service (set on first use)
        self.on_idle = None                        # called when the last busy worker finishes
        for w in self.workers:                     # started: each answers once before the first request
            w.conn.send((os.getpid, ()))
            w.conn.recv()

    def run(self, fn, *args):
        """A future of fn(*args) (fn's exception if it raised), run by the first idle worker."""
        loop = asyncio.get_running_loop()
        if self.closed:
            raise RuntimeError("the worker pool is shut down")
        if loop is not self.loop:                  # every worker's results (and its end) are read by this loop
            for w in self.workers:
                if self.loop is not None and not self.loop.is_closed():
                    self.loop.remove_reader(w.conn.fileno())
                loop.add_reader(w.conn.fileno(), self._done, w)
            self.loop = loop
        job = (fn, args, loop.create_future())
        idle = next((w for w in self.workers if w.job is None), None)
        if idle is not None:
            self._start(idle, job)
        else:
            self.queue.append(job)
        return job[2]

    def _start(self, worker, job):
        try:
            data = pickle.dumps((job[0], job[1]), pickle.HIGHEST_PROTOCOL)
        except Exception as error:                 # noqa: BLE001 - this request fails, nothing else
            job[2].set_exception(error)
            return self._next(worker)
        worker.job = job
        try:
            worker.conn.send_bytes(data)
        except OSError:                            # it has died: its reader sees that, fails the job, replaces it
            pass

    def _done(self, worker):
        job = worker.job
        try:
            ok, value = worker.conn.recv()
        except (EOFError, OSError):
            ok, value = False, WorkerDied(f"a worker process of the feedback service exited "
                                          f"(exit code {worker.process.exitcode}); it is replaced")
            worker = self._replace(worker)
        except Exception as error:                 # noqa: BLE001 - a reply this process cannot unpickle
            ok, value = False, RuntimeError(f"a worker's reply could not be read: {type(error).__name__}: {error}")
        worker.job = None
        if job is not None and not job[2].done():
            if ok:
                job[2].set_result(value)
            else:
                job[2].set_exception(value)
        self._next(worker)

    def _next(self, worker):
        if self.queue and not self.closed:
            self._start(worker, self.queue.popleft())
        elif self.on_idle is not None and self.idle():
            self.on_idle()

    def idle(self):
        """No job running or waiting."""
        return not self.queue and all(w.job is None for w in self.workers)

    def _replace(self, worker):
        self.loop.remove_reader(worker.conn.fileno())
        worker.conn.close()
        worker.process.join(1)
        others = [w.conn.fileno() for w in self.workers if w is not worker]
        fresh = _Worker(worker.index, self.context, others)
        self.workers[worker.index] = fresh
        if not self.closed:
            self.loop.add_reader(fresh.conn.fileno(), self._done, fresh)
        return fresh

    def shutdown(self):
        """Stop the workers (each exits when its socket closes); queued jobs are cancelled."""
        self.closed = True
        for job in self.queue:
            job[2].cancel()
        self.queue.clear()
        for w in self.workers:
            if self.loop is not None and not self.loop.is_closed():
                self.loop.remove_reader(w.conn.fileno())
            w.conn.close()
        for w in self.workers:
            w.process.join(5)
            if w.process.is_alive():
                w.process.kill()
                w.process.join(5)


def _serve(conn, inherited):
    """A worker: run each job it is sent and send back (True, value) or (False, the exception)."""
    for fd in inherited:                                    # the server's ends of the sockets (ours, the others'):
        try:                                                # closed here, so each worker sees its own close
            os.close(fd)
        except OSError:
            pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)            # Ctrl-C stops the server, which closes our socket
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = (True, fn(*args))
        except Exception as error:                         # noqa: BLE001 - the request fails, not the worker
            reply = (False, error)
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        except Exception as error:                         # noqa: BLE001 - a result or error that cannot be pickled
            conn.send((False, RuntimeError(f"{type(error).__name__}: {error}")))
