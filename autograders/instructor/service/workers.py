"""Worker processes for the service's CPU work (drawing inputs, judging answers), driven by its event loop.

Each worker has its own socket pair: the loop writes a job to an idle worker and reads the result when
the socket is readable (`loop.add_reader`), so a request crosses no helper thread and waits for no
lock: concurrent.futures' process pool passes every job through a feeder thread and every result
through a manager thread, two hand-offs of the GIL that the busy loop makes wait (5 ms each at
CPython's switch interval). Jobs wait in one queue, in order, for the first idle worker. A worker
that dies fails only its own job (WorkerDied) and is replaced.

On the wire each message is its pickled length (8 bytes) and the pickle, written at once. The loop
reads what has arrived and keeps a partial reply until the rest comes: a worker that the machine's
other work preempts halfway through a large reply never holds up the loop.
"""
import asyncio
import multiprocessing
import os
import pickle
import signal
import socket
import struct
from collections import deque

HEADER = struct.Struct("!Q")



class WorkerDied(RuntimeError):
    pass


class _Worker:
    def __init__(self, index, context, others=()):
        self.index = index
        parent, child = socket.socketpair()
        inherited = [parent.fileno(), *others] if context.get_start_method() == "fork" else []
        self.process = context.Process(target=_serve, args=(child, inherited), daemon=True,
                                       name=f"backprop-feedback-worker-{index}")
        self.process.start()
        child.close()
        self.conn, self.job, self.received = parent, None, bytearray()

    def fileno(self):
        return self.conn.fileno()


class Pool:
    """`n` worker processes; `await pool.run(fn, *args)` -> fn(*args), run in one of them."""

    def __init__(self, n, context="fork"):
        self.context = multiprocessing.get_context(context)
        self.workers = []
        for k in range(n):
            self.workers.append(_Worker(k, self.context, [w.fileno() for w in self.workers]))
        self.queue = deque()
        self.closed = False
        self.loop = None                           # the loop that runs the service (set on first use)
        self.on_idle = None                        # called when the last busy worker finishes
        for w in self.workers:                     # started: each answers once before the first request
            _send(w.conn, (os.getpid, ()))
            _receive(w.conn)

    def run(self, fn, *args):
        """A future of fn(*args) (fn's exception if it raised), run by the first idle worker."""
        loop = asyncio.get_running_loop()
        if self.closed:
            raise RuntimeError("the worker pool is shut down")
        if loop is not self.loop:                  # every worker's results (and its end) are read by this loop
            for w in self.workers:
                if self.loop is not None and not self.loop.is_closed():
                    self.loop.remove_reader(w.fileno())
                loop.add_reader(w.fileno(), self._done, w)
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
        try:                                       # an idle worker is reading: this does not wait
            worker.conn.sendall(HEADER.pack(len(data)) + data)
        except OSError:                            # it has died: its reader sees that, fails the job, replaces it
            pass

    def _done(self, worker):
        try:
            chunk = worker.conn.recv(1 << 20, socket.MSG_DONTWAIT)      # what has arrived, never waiting
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if chunk:
            worker.received += chunk
            if len(worker.received) < HEADER.size or \
                    len(worker.received) < HEADER.size + HEADER.unpack_from(worker.received)[0]:
                return                             # the rest of the reply is on its way
            size = HEADER.unpack_from(worker.received)[0]
            data = bytes(worker.received[HEADER.size:HEADER.size + size])
            del worker.received[:HEADER.size + size]
            try:
                ok, value = pickle.loads(data)
            except Exception as error:             # noqa: BLE001 - a reply this process cannot unpickle
                ok, value = False, RuntimeError(f"a worker's reply could not be read: {type(error).__name__}: {error}")
        else:
            ok, value = False, WorkerDied(f"a worker process of the feedback service exited "
                                          f"(exit code {worker.process.exitcode}); it is replaced")
        job, worker.job = worker.job, None
        if not chunk:
            worker = self._replace(worker)
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
        self.loop.remove_reader(worker.fileno())
        worker.conn.close()
        worker.process.join(1)
        others = [w.fileno() for w in self.workers if w is not worker]
        fresh = _Worker(worker.index, self.context, others)
        self.workers[worker.index] = fresh
        if not self.closed:
            self.loop.add_reader(fresh.fileno(), self._done, fresh)
        return fresh

    def shutdown(self):
        """Stop the workers (each exits when its socket closes); queued jobs are cancelled."""
        self.closed = True
        for job in self.queue:
            job[2].cancel()
        self.queue.clear()
        for w in self.workers:
            if self.loop is not None and not self.loop.is_closed():
                self.loop.remove_reader(w.fileno())
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
            fn, args = _receive(conn)
        except (EOFError, OSError):
            return
        try:
            reply = (True, fn(*args))
        except Exception as error:                         # noqa: BLE001 - the request fails, not the worker
            reply = (False, error)
        try:
            _send(conn, reply)
        except OSError:
            return
        except Exception as error:                         # noqa: BLE001 - a result or error that cannot be pickled
            _send(conn, (False, RuntimeError(f"{type(error).__name__}: {error}")))


def _send(conn, message):
    data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)      # first: a message that cannot be pickled sends nothing
    conn.sendall(HEADER.pack(len(data)) + data)


def _receive(conn):
    size = HEADER.unpack(_exactly(conn, HEADER.size))[0]
    return pickle.loads(_exactly(conn, size))


def _exactly(conn, n):
    data = bytearray()
    while len(data) < n:
        chunk = conn.recv(min(n - len(data), 1 << 20))
        if not chunk:
            raise EOFError("the other end closed")
        data += chunk
    return bytes(data)
