"""The child side of out-of-kernel verification (see sandbox.py). Runs as `python -I -S -c <jail.py + this file>`.

It is self-contained on purpose: the child cannot import `autograders` or `solutions`
(they are hidden from it), only NumPy. It reads one JSON request per line from fd 0
and answers one JSON line on the protocol fd; the student's prints go nowhere.

Requests:  {"op": "load", "cells": [[index, source], ...]}
           {"op": "call", "fn": name, "args": [encoded...], "trace": bool}

Both ways it runs in the sandbox of bubblewrap.py. Started with CELL_SECONDS it serves one
student at once. Started with `zygote` instead (sandbox.SandboxServer), it is a template that
has imported NumPy and never runs student code: for each request on its control socket it forks
a monitor, which forks the student's process: pid 1 of its own PID namespace with its own /proc
(jail.py), a fresh mount namespace with its own empty /tmp, /dev/shm, /var/tmp and /run, its
limits, no capability left, then the protocol above. The monitor writes {"died": exit code} on
the protocol fd when that process ends.
"""
import io
import json
import os
import signal
import sys
import threading
import traceback

PROTOCOL_FD = int(sys.argv[1])
sys.path[:0] = json.loads(sys.argv[2])            # NumPy's site directory only: no .pth files, no editable finders
TRACER_SOURCE = sys.argv[3]
ZYGOTE = sys.argv[4] == "zygote"
CELL_SECONDS, CALL_SECONDS = (0.0, 0.0) if ZYGOTE else map(float, sys.argv[4].split(","))

import numpy as np                                 # noqa: E402  (after sys.path is set)

tracer_namespace = {"__name__": "tracer", "__file__": "/nonexistent/autograders/engine/numerical.py"}
exec(compile(TRACER_SOURCE, "<tracer>", "exec"), tracer_namespace)
namespace = {"__name__": "__main__"}
out = requests = OUTER_PID = None


def start_protocol(protocol_fd):
    """Answers on protocol_fd, requests on fd 0, the student's output nowhere; then the hello line."""
    global out, requests
    _libc().prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)       # (jail.py's) an exec made a spawned child dumpable again
    out = os.fdopen(protocol_fd, "w", buffering=1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = sys.stderr = io.StringIO()
    requests = os.fdopen(0, "r")
    answer({"hello": True, "pid": OUTER_PID or os.getpid(), "pid_namespace": OUTER_PID is not None})


def encode(value, depth=0):
    if depth > 4:
        return {"type": type(value).__name__}
    if type(value) is bool or value is None:
        return {"type": type(value).__name__}
    if isinstance(value, (float, int, np.floating, np.integer)):
        return {"float": float(value), "cls": type(value).__name__}
    if isinstance(value, np.ndarray) and type(value) is not np.ndarray:
        try:                                       # np.matrix, masked arrays: as the kernel's normalise()
            value = np.array(value, subok=False)   # reads them (outputs._real_array)
        except Exception:                          # noqa: BLE001
            return {"type": type(value).__name__}
    if type(value) is np.ndarray and value.dtype.kind in "biuf" and value.size <= 100_000:
        return {"array": value.astype(float).tolist(), "shape": list(value.shape), "dtype": str(value.dtype)}
    if type(value) in (tuple, list):
        return {type(value).__name__: [encode(v, depth + 1) for v in value]}
    return {"type": type(value).__name__}


def decode(value):
    if isinstance(value, dict) and "array" in value:
        return np.array(value["array"], dtype=np.float64).reshape(value["shape"])
    return value


def where(tb):
    line = ""
    for frame, lineno in traceback.walk_tb(tb):
        if frame.f_code.co_filename.startswith("<cell"):
            src = namespace.get("__cells__", {}).get(frame.f_code.co_filename, "").splitlines()
            text = src[lineno - 1].strip() if 0 < lineno <= len(src) else ""
            line = f"line {lineno} of {frame.f_code.co_name}" + (f": {text}" if text else "")
    return line


def answer(obj):
    out.write(json.dumps(obj) + "\n")
    out.flush()


class CellTimeout(BaseException):
    """A cell ran longer than CELL_SECONDS: interrupted, and the next cell runs (as nbgrader does)."""


def on_alarm(signum, frame):
    raise CellTimeout(f"the cell ran longer than {CELL_SECONDS:g} s")


class CallTimeout(BaseException):
    """A call ran longer than CALL_SECONDS (the kernel's per-call limit)."""


def on_call_alarm(signum, frame):
    FIRED.append(True)
    raise CallTimeout()


FIRED = []


def watchdog(done):
    """The per-call limit when SIGALRM cannot stop the call (ignored, swallowed, or stuck in a sleep):
    from another thread, say so and end this process (the grader starts a fresh one)."""
    if not done.wait(CALL_SECONDS + 0.5):
        try:
            os.write(out.fileno(), b'{"timeout": true}\n')
        finally:
            os._exit(0)


def load(cells):
    namespace.setdefault("__cells__", {})             # loads come one segment at a time (up to each test)
    errors = []
    signal.signal(signal.SIGALRM, on_alarm)
    for index, source in cells:
        name = f"<cell {index}>"
        namespace["__cells__"][name] = source
        try:
            signal.setitimer(signal.ITIMER_REAL, CELL_SECONDS, 0.5)
            exec(compile(source, name, "exec"), namespace)
        except BaseException as exc:             # SystemExit, KeyboardInterrupt: the student's, not ours
            errors.append([index, f"{type(exc).__name__}: {exc}"[:300]])
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    names = sorted(k for k, v in namespace.items() if callable(v) and not k.startswith("__"))
    answer({"loaded": True, "errors": errors, "functions": names})


def call(name, args, trace):
    fn = namespace.get(name)
    if not callable(fn):
        answer({"missing": True})
        return
    passed = [decode(a) for a in args]
    kept = [a.copy() if isinstance(a, np.ndarray) else a for a in passed]
    tracer = tracer_namespace["PerturbationTracer"]() if trace else None
    done = threading.Event()
    FIRED.clear()
    threading.Thread(target=watchdog, args=(done,), daemon=True).start()
    signal.signal(signal.SIGALRM, on_call_alarm)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, CALL_SECONDS, 0.05)
            if tracer is not None:
                with tracer:
                    value = fn(*passed)
            else:
                value = fn(*passed)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            done.set()
    except CallTimeout:
        FIRED.append(True)
    except BaseException as exc:
        if FIRED:
            answer({"timeout": True})
            return
        answer({"error": f"{type(exc).__name__}: {exc}"[:300], "where": where(exc.__traceback__),
                "type": type(exc).__name__})
        return
    if FIRED:                                      # (a swallowed CallTimeout still counts)
        answer({"timeout": True})
        return
    mutated = [encode(p) if isinstance(p, np.ndarray) and not (p.shape == k.shape and
                                                                 np.array_equal(p, k, equal_nan=True))
               else None for p, k in zip(passed, kept)]
    answer({"value": encode(value), "mutated": mutated, "perturbed": bool(tracer is not None and tracer.found)})


def serve():
    for line in requests:
        request = json.loads(line)
        if request["op"] == "load":
            load(request["cells"])
        elif request["op"] == "call":
            call(request["fn"], request["args"], request.get("trace", False))


# -- the zygote: one fresh, locked-down process per student, forked from a template ------------------

def private_tmp(tmp, keep, scratch=()):
    """A new mount namespace whose /tmp is an empty tmpfs (the interpreter's folder bound back if it
    lives there, read-only), and so are /dev/shm, /var/tmp and /run (`scratch`): nothing a kernel or
    another sandbox wrote reaches this one. The working directory and HOME are a fresh folder in /tmp."""
    libc = _libc()
    MS_RDONLY, MS_REMOUNT, MS_BIND = 1, 32, 4096
    _check(libc.unshare(0x00020000), "unshare(CLONE_NEWNS)")
    for folder in scratch:
        _check(libc.mount(b"none", folder.encode(), b"tmpfs", 0, b"size=16m,mode=1777"), "mount " + folder)
    kept = os.open(keep, os.O_PATH | os.O_DIRECTORY) if keep else None
    _check(libc.mount(b"none", tmp.encode(), b"tmpfs", 0, b"size=64m,mode=1777"), "mount /tmp")
    if kept is not None:
        os.makedirs(keep, exist_ok=True)
        _check(libc.mount(f"/proc/self/fd/{kept}".encode(), keep.encode(), None, MS_BIND, None), "bind " + keep)
        _check(libc.mount(None, keep.encode(), None, MS_REMOUNT | MS_BIND | MS_RDONLY, None), "read-only " + keep)
        os.close(kept)
    work = os.path.join(tmp, "work")
    os.mkdir(work, 0o1777)
    os.chmod(work, 0o1777)
    os.chdir(work)


def limits(cpu_seconds, memory_bytes):
    import resource
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 << 20, 16 << 20))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def student_process(request, requests_fd, protocol_fd):
    global CELL_SECONDS, CALL_SECONDS, OUTER_PID
    try:
        os.setsid()
        if request.get("pid_namespace"):
            OUTER_PID = outer_pid()           # the pid the grader kills; here it is pid 1 with its own /proc
            own_proc()
        private_tmp(request["tmp"], request["keep"], request.get("scratch", ()))
        limits(request["cpu_seconds"], request["memory"])
        drop_privileges(request["drop"])
        os.environ.clear()
        os.environ.update(request["env"], HOME=os.getcwd())
        CELL_SECONDS, CALL_SECONDS = float(request["cell_seconds"]), float(request["call_seconds"])
        os.dup2(requests_fd, 0)
        os.close(requests_fd)
        start_protocol(protocol_fd)
    except BaseException as err:                      # the sandbox did not come up: no hello, say why
        os.write(protocol_fd, (json.dumps({"setup_failed": f"{type(err).__name__}: {err}"}) + "\n").encode())
        os._exit(70)
    serve()
    os._exit(0)


def monitor(request, requests_fd, protocol_fd):
    """Fork the student's process, wait for it, and say how it ended on the protocol fd."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    try:
        new_pid_namespace()                   # the student's process is pid 1 of its own PID namespace
        request["pid_namespace"] = True
    except OSError:
        request["pid_namespace"] = False
    pid = os.fork()
    if pid == 0:
        student_process(request, requests_fd, protocol_fd)
    os.close(requests_fd)
    _, status = os.waitpid(pid, 0)
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    try:
        os.write(protocol_fd, (json.dumps({"died": code}) + "\n").encode())
    except OSError:
        pass
    os._exit(0)


def zygote(control):
    import socket
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)                  # monitors reap themselves
    control = socket.socket(fileno=control)
    while True:
        message, fds, _, _ = socket.recv_fds(control, 1 << 16, 2)
        if not message or len(fds) != 2:
            break
        if os.fork() == 0:
            control.close()
            monitor(json.loads(message), *fds)
        for fd in fds:
            os.close(fd)
    os._exit(0)


if ZYGOTE:
    zygote(PROTOCOL_FD)
else:
    start_protocol(PROTOCOL_FD)
    serve()
