"""The grader's side of the sandbox's wire protocol: bounded reads of the child's answers, bounded
writes of requests, and the JSON encoding of arrays both ways (sandbox.py uses it)."""
import os
import re
import select
import time

import numpy as np


class ChildGone(RuntimeError):
    """The process running the student's code exited or was killed."""


#: The longest answer the child may write (an array of 100 000 numbers, its input back, and JSON's words).
MAX_REPLY = 32 << 20


#: How much longer than the per-call limit the grader waits for an answer (the child enforces the limit).
CALL_GRACE = 1.0


class Replies:
    """The child's answers, read with os.read into a buffer: one line at a time, each within a deadline
    and at most MAX_REPLY bytes, so a child that writes half a line and sleeps, or an endless line,
    can neither hang the grader nor fill its memory."""

    def __init__(self, fd):
        self.fd, self.buffer = fd, bytearray()

    def fileno(self):
        return self.fd

    def line(self, timeout):
        """The next line (bytes, without its newline); None at end of file; TimeoutError, ChildGone."""
        deadline = time.monotonic() + timeout
        while True:
            end = self.buffer.find(b"\n")
            if end >= 0:
                line = bytes(self.buffer[:end])
                del self.buffer[:end + 1]
                return line
            if len(self.buffer) > MAX_REPLY:
                raise ChildGone(f"the process running your code wrote an answer longer than {MAX_REPLY >> 20} MB")
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError()
            if select.select([self.fd], [], [], left)[0]:
                chunk = os.read(self.fd, 1 << 16)
                if not chunk:
                    return None
                self.buffer += chunk

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _send(fd, data, timeout):
    """Write all of `data` to the child's request pipe (non-blocking) within `timeout` seconds."""
    os.set_blocking(fd, False)
    deadline, view = time.monotonic() + timeout, memoryview(data)
    while view:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError()
        if select.select([], [fd], [], left)[1]:
            try:
                view = view[os.write(fd, view):]
            except BlockingIOError:
                continue


def _encode(value):
    if isinstance(value, np.ndarray):
        return {"array": value.tolist(), "shape": list(value.shape)}
    return float(value) if isinstance(value, (float, int, np.floating, np.integer)) else value


_DTYPES = {"float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"}


_NAME = re.compile(r"^[A-Za-z_]\w{0,40}$")


def _decode(value):
    """Rebuild a returned value from its JSON form; anything odd becomes an inert object of that type name."""
    if not isinstance(value, dict):
        return _opaque("object")
    if "float" in value:
        x = float(value["float"])
        cls = value.get("cls", "float")
        return np.float32(x) if cls == "float32" else np.float64(x) if cls.startswith("float6") else \
            int(x) if cls in ("int", "int64", "int32") and x.is_integer() else x
    if "array" in value:
        dtype = value.get("dtype") if value.get("dtype") in _DTYPES else "float64"
        return np.array(value["array"], dtype=np.float64).reshape(value["shape"]).astype(dtype)
    if "tuple" in value:
        return tuple(_decode(v) for v in value["tuple"][:100])
    if "list" in value:
        return [_decode(v) for v in value["list"][:100]]
    name = value.get("type", "object")
    if name == "NoneType":
        return None
    return _opaque(name if _NAME.match(str(name)) else "object")


def _opaque(name):
    return type(name, (), {"__repr__": lambda self: f"<{name}>"})()
