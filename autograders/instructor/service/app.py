"""The feedback service's HTTP API (tornado, as JupyterHub services are written).

    POST {prefix}api/checks/<check_id>/trials    -> 200 {"trial_id", "check_id", "params", "inputs", "expires_in"}
    POST {prefix}api/checks/<check_id>/answers   {"trial_id", "outputs": [one per input], "again": ...}
                                                 -> 200 {"status": "correct" | "not yet", "message", "html", "left"}
    GET  {prefix}api/health                      -> 200 {"ok": true, "auth": "hub" | "local"}

Every request but health carries `Authorization: token <token>`. Errors are JSON {"error": text}
with a 4xx status: 400 malformed JSON, 401 no or unknown token, 403 feedback off for the assignment
("off": true) or trial inputs issued to another student, 404 unknown check, 409 inputs already
answered, 410 inputs expired or unknown, 413 too large, 422 outputs that do not fit the inputs,
429 too many checks this hour (Retry-After). A bad request never stops the service.
"""
import asyncio
import json
import logging
import secrets
import time
from collections import OrderedDict, deque
from dataclasses import dataclass

from tornado.web import Application, HTTPError, RequestHandler

from ...engine import catalogue
from .formative import BadAnswer, drawn, formative_seed, judged
from .messages import answer_for

#: Issued trial inputs kept per student (the oldest are dropped), and answered ids remembered (replays).
PENDING_PER_STUDENT = 8
REMEMBERED = 100_000


class Refused(HTTPError):
    def __init__(self, status, message, **extra):
        super().__init__(status, reason=None)
        self.message, self.extra = message, extra


@dataclass
class Issued:
    student: str
    check_id: str
    seed: int
    drawn: bytes                                          # the inputs and their trials, pickled (formative.drawn)
    expires: float


class Limiter:
    """At most `n` per hour for each (student, check): a sliding window of the times of the last n."""

    def __init__(self, n, window=3600.0):
        self.n, self.window, self.times = n, window, {}

    def take(self, key, now):
        """(allowed, left after this one, seconds until the next is allowed)."""
        times = self.times.setdefault(key, deque())
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) >= self.n:
            return False, 0, self.window - (now - times[0])
        times.append(now)
        return True, self.n - len(times), 0.0


class Service:
    """The service's state: settings, the store, who may ask, the limits and the issued inputs."""

    def __init__(self, settings, store, auth, pool=None):
        self.settings, self.store, self.auth = settings, store, auth
        self.pool = pool                                  # worker processes for the CPU work, or None: inline
        self.secret = settings.formative_secret or store.formative_secret()
        self.limiter = Limiter(settings.attempts_per_hour)
        self.pending = OrderedDict()                      # trial id -> Issued
        self.answered = OrderedDict()                     # trial id -> student, for replays
        self.unwritten = []                               # attempts answered, not yet in the store
        self.mine = {}                                    # student -> their trial ids, oldest first
        self.ahead = None                                 # inputs drawn ahead (start())

    def start(self):
        """Draw inputs ahead while the workers are idle (c.FeedbackService.inputs_ahead per function)."""
        if self.pool is not None and self.settings.inputs_ahead > 0 and self.ahead is None:
            from .ahead import Ahead
            self.ahead = Ahead(self, self.settings.inputs_ahead)
            self.ahead.start()

    def stop(self):
        if self.ahead is not None:
            self.ahead.stop()
        self.flush()

    async def run(self, fn, *args):
        """fn(*args) in a worker process when there is a pool (two students' checks at once on two cores)."""
        if self.pool is None:
            return fn(*args)
        return await self.pool.run(fn, *args)

    def record(self, *attempt):
        """Record an attempt (Store.record_many's fields) just after this turn of the loop: the answers
        of this turn are sent first, and their attempts written in one transaction."""
        if not self.unwritten:
            asyncio.get_running_loop().call_soon(self.flush)
        self.unwritten.append(attempt)

    def flush(self):
        attempts, self.unwritten = self.unwritten, []
        try:
            self.store.record_many(attempts)
        except Exception:                                 # noqa: BLE001 - kept, and tried again with the next
            logging.getLogger("tornado.application").exception("could not record %d attempt(s)", len(attempts))
            self.unwritten = (attempts + self.unwritten)[-REMEMBERED:]

    async def issue(self, student, check_id, now):
        """(trial id, Issued, the inputs as JSON text)."""
        ready = self.ahead.take(check_id) if self.ahead is not None else None
        if ready is not None:
            nonce, seed, wire, drawn_bytes = ready
        else:
            nonce = secrets.token_urlsafe(18)
            seed = formative_seed(self.secret, student, check_id, nonce)
            wire, drawn_bytes = await self.run(drawn, check_id, seed)
        issued = Issued(student, check_id, seed, drawn_bytes, now + self.settings.trial_seconds)
        mine = [k for k in self.mine.get(student, ()) if k in self.pending]
        for k in mine[:max(0, len(mine) - PENDING_PER_STUDENT + 1)]:
            del self.pending[k]
        while self.pending and next(iter(self.pending.values())).expires < now:
            self.pending.popitem(last=False)
        self.pending[nonce] = issued
        self.mine[student] = mine[max(0, len(mine) - PENDING_PER_STUDENT + 1):] + [nonce]
        return nonce, issued, wire


class Base(RequestHandler):
    def initialize(self, service):
        self.service = service
        self.student = None

    def set_default_headers(self):
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")

    def finish(self, chunk=None):
        if not self._finished:                        # how long the service took, for benches and proxies
            self.set_header("Server-Timing", f"app;dur={1000 * self.request.request_time():.2f}")
        return super().finish(chunk)

    def write_error(self, status_code, **kwargs):
        error = kwargs.get("exc_info", (None, None))[1]
        if isinstance(error, Refused):
            body = {"error": error.message, **error.extra}
            if "retry_after" in error.extra:
                self.set_header("Retry-After", str(error.extra["retry_after"]))
        elif status_code >= 500:
            body = {"error": "the feedback service failed on this request; it keeps running"}
        else:
            body = {"error": self._reason}
        self.finish(json.dumps(body))

    def log_exception(self, typ, value, tb):
        if not isinstance(value, Refused):
            super().log_exception(typ, value, tb)

    async def prepare(self):
        if getattr(self, "open_to_all", False):
            return
        from .auth import token_of
        token = token_of(self.request)
        if not token:
            raise Refused(401, "no token: send 'Authorization: token <your token>'")
        self.student = await self.service.auth.student(token)
        if not self.student:
            raise Refused(401, "this token is not valid for the feedback service")

    def body(self):
        if len(self.request.body) > self.service.settings.max_body_bytes:
            raise Refused(413, f"the request is larger than {self.service.settings.max_body_bytes} bytes")
        try:
            data = json.loads(self.request.body or b"{}", parse_constant=_no_constants)
        except (ValueError, RecursionError) as err:
            raise Refused(400, f"the body is not valid JSON ({str(err)[:120]})") from None
        if not isinstance(data, dict):
            raise Refused(400, "the body must be a JSON object")
        return data

    def check(self, check_id):
        try:
            catalogue.load(check_id)
        except KeyError:
            raise Refused(404, f"there is no check called {check_id[:100]!r}") from None
        assignment = check_id.partition(".")[0]
        policy = self.service.settings.policy_of(assignment)
        if policy == "off":
            raise Refused(403, f"instant feedback is off for {assignment}", off=True)
        return policy


def _no_constants(name):
    raise ValueError(f"{name} is not JSON: send null for an entry that is not a finite number")


class Health(Base):
    open_to_all = True

    def get(self):
        self.finish({"ok": True, "auth": self.service.auth.kind})


class Trials(Base):
    async def post(self, check_id):
        self.check(check_id)
        self.body()
        now = time.time()
        allowed, left, wait = self.service.limiter.take((self.student, check_id), now)
        if not allowed:
            n = self.service.settings.attempts_per_hour
            raise Refused(429, f"you have used the {n} instant checks of {check_id} of this hour; the next one "
                               f"is possible in {int(wait // 60) + 1} minute(s).", retry_after=int(wait) + 1)
        nonce, issued, wire = await self.service.issue(self.student, check_id, now)
        _, check = catalogue.load(check_id)
        head = json.dumps({"trial_id": nonce, "check_id": check_id, "params": list(check.params), "left": left,
                           "expires_in": self.service.settings.trial_seconds})
        self.finish(f'{head[:-1]}, "inputs": {wire}}}')     # the inputs' JSON as the worker wrote it


class Answers(Base):
    async def post(self, check_id):
        policy = self.check(check_id)
        data = self.body()
        nonce = data.get("trial_id")
        if not isinstance(nonce, str) or not 0 < len(nonce) <= 100:
            raise Refused(422, "\"trial_id\" must be the id the trials request returned")
        service = self.service
        issued = service.pending.get(nonce)
        if issued is None:
            if nonce in service.answered:
                raise Refused(409, "these trial inputs were already answered: ask for new ones")
            raise Refused(410, "unknown or expired trial inputs: ask for new ones")
        if issued.student != self.student:
            raise Refused(403, "these trial inputs were issued to another student")
        if issued.check_id != check_id:
            raise Refused(422, f"these trial inputs were issued for {issued.check_id}, not {check_id[:100]}")
        if issued.expires < time.time():
            del service.pending[nonce]
            raise Refused(410, "these trial inputs have expired: ask for new ones")
        del service.pending[nonce]                         # one answer per issue (taken now: a replay gets 409)
        try:
            result = await service.run(judged, check_id, issued.seed, issued.drawn, data)
        except BadAnswer as bad:
            service.pending[nonce] = issued                # a malformed answer does not use the inputs up
            raise Refused(bad.status, str(bad)) from None
        service.answered[nonce] = self.student
        while len(service.answered) > REMEMBERED:
            service.answered.popitem(last=False)
        times = service.limiter.times.get((self.student, check_id), ())
        self.finish(answer_for(result, policy, service.settings.attempts_per_hour - len(times)))
        service.record(self.student, check_id, result.correct, result.mistakes, policy, result.trials, time.time())


def make_app(service, prefix="/"):
    """The tornado Application; routes under `prefix` (a hub service's /services/<name>/) and under /."""
    prefixes = dict.fromkeys([prefix if prefix.endswith("/") else prefix + "/", "/"])
    routes = []
    for p in prefixes:
        routes += [(rf"{p}api/health", Health, {"service": service}),
                   (rf"{p}api/checks/([^/]+)/trials", Trials, {"service": service}),
                   (rf"{p}api/checks/([^/]+)/answers", Answers, {"service": service})]
    return Application(routes, default_handler_class=NotFound, default_handler_args={"service": service})


class NotFound(Base):
    open_to_all = True

    def prepare(self):
        raise Refused(404, "no such endpoint: POST api/checks/<check_id>/trials, then .../answers")
