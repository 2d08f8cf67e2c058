"""Formative trials and a diagnosis from outputs a student's own kernel computed.

The service draws a check's trials from a formative seed (never the graded one),
sends their inputs, and gets back only what the student's function returned on
them. `Replay` stands in for the student's function: called by the unchanged
engine (`grading.grade`) on exactly those inputs, it returns the recorded
outputs, so the diagnosis, the catalogue and the messages are the ones the
autograder uses. No engine code is changed or copied.
"""
import hashlib
import hmac
import json
import keyword
import math
import pickle

import numpy as np

from ...engine import catalogue, settings
from ...engine.grading import grade
from ...engine.guard import Call, CallTimeout
from ...engine.hints import ignored_arguments
from ...engine.trials import Trials, drawn as draws_of, keep

#: The most entries one returned value may have on the wire (a gradient here has at most a few dozen).
MAX_ENTRIES = 10_000
#: The most nested levels of lists/tuples in one returned value.
MAX_DEPTH = 4


class BadAnswer(ValueError):
    """The request does not hold outputs of the issued inputs: `status` is the HTTP status to answer."""

    def __init__(self, message, status=422):
        super().__init__(message, status)             # both in args: it crosses to and from worker processes
        self.status = status

    def __str__(self):
        return str(self.args[0])


def formative_seed(secret, student, check_id, nonce):
    """A 32-bit seed of one formative attempt: keyed by the formative secret, never the course secret."""
    digest = hmac.new(secret.encode(), f"{student}\0{check_id}\0{nonce}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "little")


def inputs_for(check_id, seed):
    """[args dict] the diagnosis of `check_id` with `seed` may call the function on: every trial it can
    draw (the engine draws them in order from the seed), then the nudged copies of trial 0 its
    ignored-argument clue tries. Raises KeyError for an unknown check id."""
    return _draw(check_id, seed)[0]


def _draw(check_id, seed):
    exercise, check = catalogue.load(check_id)
    trials = Trials(exercise, check, seed)
    with np.errstate(all="ignore"):
        for _ in range(settings.MAX_TRIALS):
            trials.draw()
    inputs = [{p: t.args[p] for p in check.params} for t in trials.items]
    asked = []

    def record(args):
        asked.append({p: args[p] for p in check.params})
        return Call(error=LookupError("recorded"))
    first = trials[0]
    ignored_arguments(first, check, first.reference, record)
    return inputs + asked, draws_of(trials)


def drawn(check_id, seed):
    """A worker's part of issuing trial inputs: (their JSON for the wire, the inputs and the trials drawn
    for them, pickled). The server keeps the bytes as they are (unpickling and pickling again a hundred
    small arrays would cost its event loop ~0.5 ms) until `judged` takes them back in a worker."""
    inputs, draws = _draw(check_id, seed)
    return (json.dumps([encode_args(a) for a in inputs], allow_nan=False),
            pickle.dumps((inputs, draws), pickle.HIGHEST_PROTOCOL))


def judged(check_id, seed, drawn_bytes, body):
    """`judge` of the outputs in `body` on the inputs and trials `drawn` pickled (the service's own bytes,
    never a request's)."""
    inputs, draws = pickle.loads(drawn_bytes)
    return judge(check_id, seed, inputs, body, draws)


# -- the wire: a returned value as JSON and back ---------------------------------------------------
# {"array": [flat entries, null where not finite], "shape": [...]}, {"number": x or null},
# {"list": [...]}, {"tuple": [...]}, {"none": true}, {"type": "str"} (anything else, by its type's name),
# {"big": [shape]} (an array too large to send: only its shape counts).

def encode_args(args):
    """Inputs for the wire: arrays as nested lists with their shape, floats as they are (exact in JSON)."""
    return {p: {"array": v.ravel().tolist(), "shape": list(v.shape)} if isinstance(v, np.ndarray)
            else {"number": float(v)} for p, v in args.items()}


_STAND_INS = {"str": "", "bytes": b"", "dict": {}, "set": set(), "bool": False, "complex": 0j}


def _number(x, where):
    if x is None:
        return math.nan                                       # a non-finite entry, sent as null
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise BadAnswer(f"{where}: entries must be numbers or null, not {type(x).__name__}")
    if isinstance(x, int) and abs(x) > 2 ** 63:
        raise BadAnswer(f"{where}: a number out of range")
    return float(x)


def decode(value, where="output", depth=0):
    """A returned value from its wire form; BadAnswer (422, or 413 when too large) if malformed."""
    if not isinstance(value, dict) or len(value) not in (1, 2):
        raise BadAnswer(f"{where}: expected an object such as {{\"array\": [...], \"shape\": [...]}}")
    if depth > MAX_DEPTH:
        raise BadAnswer(f"{where}: nested more than {MAX_DEPTH} levels")
    if "array" in value:
        data, shape = value["array"], value.get("shape")
        if isinstance(data, list) and len(data) > MAX_ENTRIES:
            raise BadAnswer(f"{where}: {len(data)} entries, more than {MAX_ENTRIES}", 413)
        if not isinstance(data, list) or not isinstance(shape, list) or len(shape) > MAX_DEPTH or \
                not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= MAX_ENTRIES for n in shape):
            raise BadAnswer(f"{where}: an array needs a flat list of entries and a shape of at most "
                            f"{MAX_DEPTH} sizes")
        if math.prod(shape) != len(data):
            raise BadAnswer(f"{where}: {len(data)} entries do not fill shape {tuple(shape)}")
        return np.array([_number(x, where) for x in data], dtype=np.float64).reshape(shape)
    if "number" in value:
        return _number(value["number"], where)
    if "big" in value:
        shape = value["big"]
        if not isinstance(shape, list) or len(shape) > 8 or \
                not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= 10 ** 9 for n in shape):
            raise BadAnswer(f"{where}: \"big\" needs the shape of the array")
        return np.broadcast_to(np.float64(0.0), tuple(shape))  # its shape is all that is judged; no memory
    for kind, build in (("list", list), ("tuple", tuple)):
        if kind in value:
            items = value[kind]
            if not isinstance(items, list) or len(items) > MAX_ENTRIES:
                raise BadAnswer(f"{where}: a {kind} of at most {MAX_ENTRIES} items", 413 if
                                isinstance(items, list) else 422)
            return build(decode(v, f"{where}[{k}]", depth + 1) if isinstance(v, dict) else _number(v, where)
                         for k, v in enumerate(items))
    if value.get("none") is True:
        return None
    if isinstance(value.get("type"), str):
        name = value["type"]
        if name in _STAND_INS:
            return _STAND_INS[name]
        if not name.isidentifier() or keyword.iskeyword(name) or len(name) > 60:
            raise BadAnswer(f"{where}: {name!r} is not a type name")
        return type(name, (), {})()                           # a stand-in of that type, for the message
    raise BadAnswer(f"{where}: unknown form {sorted(value)}")


def _raised(info, where):
    """The exception a student's function raised, rebuilt from its type name, text and line."""
    if not isinstance(info, dict) or not isinstance(info.get("type"), str) or \
            not isinstance(info.get("message", ""), str) or not isinstance(info.get("where", ""), str):
        raise BadAnswer(f"{where}: \"raised\" needs {{\"type\": name, \"message\": text, \"where\": text}}")
    name = info["type"][:60]
    if not name.isidentifier() or keyword.iskeyword(name):
        raise BadAnswer(f"{where}: {name!r} is not an exception name")
    builtin = __builtins__.get(name) if isinstance(__builtins__, dict) else getattr(__builtins__, name, None)
    cls = builtin if isinstance(builtin, type) and issubclass(builtin, Exception) else type(name, (Exception,), {})
    error = cls(info.get("message", "")[:300])
    error.remote_where = info.get("where", "")[:200]
    return error


class Outcome:
    """What the student's function did on one input: returned a value, raised, or ran out of time;
    `mutated` names the arguments it changed in place."""

    def __init__(self, item, where, params):
        if not isinstance(item, dict):
            raise BadAnswer(f"{where}: expected an object")
        self.error = _raised(item["raised"], where) if "raised" in item else None
        self.timeout = item.get("timeout") is True
        self.value = decode(item["value"], where) if "value" in item else None
        if self.error is None and not self.timeout and "value" not in item:
            raise BadAnswer(f"{where}: needs \"value\", \"raised\" or \"timeout\"")
        mutated = item.get("mutated", [])
        if not isinstance(mutated, list) or not set(mutated) <= set(params):
            raise BadAnswer(f"{where}: \"mutated\" must list argument names of {', '.join(params)}")
        self.mutated = mutated


class Replay:
    """Stands in for the student's function: the recorded outcome of the input it is called with."""

    def __init__(self, params, inputs, outcomes, again=None):
        self.params, self.inputs, self.outcomes, self.again = params, inputs, outcomes, again
        self.calls = [0] * len(inputs)

    def _find(self, args):
        for k, known in enumerate(self.inputs):
            if all(_same(a, known[p]) for p, a in zip(self.params, args)):
                return k
        return None

    def __call__(self, *args):
        k = self._find(args)
        if k is None:
            raise LookupError("these inputs were not sent to the student's kernel")
        self.calls[k] += 1
        outcome = self.again if k == 0 and self.calls[k] == 2 and self.again is not None else self.outcomes[k]
        for name in outcome.mutated:                          # do to the engine's copy what was done to theirs
            arg = args[self.params.index(name)]
            if isinstance(arg, np.ndarray) and arg.size:
                arg.flat[0] += 1.0
        if outcome.timeout:
            raise CallTimeout()
        if outcome.error is not None:
            raise outcome.error
        value = outcome.value
        return value.copy() if isinstance(value, np.ndarray) and value.flags.writeable else value


def _same(a, b):
    if isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and a.shape == b.shape and np.array_equal(a, b)
    return not isinstance(a, np.ndarray) and a == b


def judge(check_id, seed, inputs, body, draws=None):
    """grading.Result of the outputs in `body` ({"outputs": [...], "again": ...}) on `inputs`; on `draws`
    (from `drawn`), the trials drawn for those inputs, when given."""
    exercise, check = catalogue.load(check_id)
    outputs = body.get("outputs")
    if not isinstance(outputs, list) or len(outputs) != len(inputs):
        raise BadAnswer(f"\"outputs\" must be a list of {len(inputs)} results, one per input sent")
    outcomes = [Outcome(item, f"outputs[{k}]", check.params) for k, item in enumerate(outputs)]
    again = Outcome(body["again"], "again", check.params) if "again" in body else None
    if draws is not None:
        keep(exercise.name, check.name, seed, draws)         # the grade below takes them
    return grade(check_id, Replay(check.params, inputs, outcomes, again), seed=seed)
