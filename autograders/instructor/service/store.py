"""Where the service keeps what lasts: every formative attempt, local tokens, the formative secret.

SQLite in the course directory by default (feedback.db), or the course's PostgreSQL: the
gradebook's server when nbgrader's db_url points at one, in tables of their own. SQLAlchemy
Core, as nbgrader's gradebook uses, so one code path serves both.
"""
import hashlib
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (Boolean, Column, Float, Integer, MetaData, String, Table, create_engine, delete, event,
                        insert, select, text)

META = MetaData()
ATTEMPTS = Table("backprop_feedback_attempts", META,
                 Column("id", Integer, primary_key=True, autoincrement=True),
                 Column("student", String(200), nullable=False, index=True),
                 Column("assignment", String(100), nullable=False, index=True),
                 Column("check_id", String(200), nullable=False),
                 Column("at", Float, nullable=False),                   # seconds since the epoch, UTC
                 Column("correct", Boolean, nullable=False),
                 Column("mistakes", String(2000), nullable=False),      # ids joined by ';', '' when correct
                 Column("policy", String(20), nullable=False),          # what the student was told
                 Column("trials", Integer, nullable=False))
TOKENS = Table("backprop_feedback_tokens", META,
               Column("digest", String(64), primary_key=True),          # sha256 of the token; never the token
               Column("student", String(200), nullable=False, index=True),
               Column("created", Float, nullable=False))
SETTINGS = Table("backprop_feedback_meta", META,
                 Column("key", String(100), primary_key=True),
                 Column("value", String(500), nullable=False))


@dataclass(frozen=True)
class Attempt:
    student: str
    assignment: str
    check_id: str
    at: float
    correct: bool
    mistakes: tuple
    policy: str
    trials: int


def default_url(root, gradebook=None):
    """The course's PostgreSQL when its gradebook is one, else sqlite feedback.db in the course."""
    if gradebook and gradebook.startswith(("postgresql:", "postgresql+")):
        return gradebook
    return f"sqlite:///{Path(root) / 'feedback.db'}"


def _engine(url):
    if url.startswith("postgresql://"):                 # psycopg 3, which the cluster extra installs
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.touch(mode=0o600)                      # token digests and the formative secret: the instructor's
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(connection, _):
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()
        return engine
    return create_engine(url, pool_pre_ping=True)


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


class Store:
    def __init__(self, url):
        self.url = url
        self.engine = _engine(url)
        META.create_all(self.engine)
        self._tokens = {}                               # digest -> (student or None, when looked up)

    # -- attempts ----------------------------------------------------------------------------
    def record(self, student, check_id, correct, mistakes, policy, trials, at=None):
        self.record_many([(student, check_id, correct, mistakes, policy, trials, time.time() if at is None else at)])

    def record_many(self, attempts):
        """Record [(student, check_id, correct, mistakes, policy, trials, at)] in one transaction."""
        if not attempts:
            return
        with self.engine.begin() as db:
            db.execute(insert(ATTEMPTS), [
                {"student": student, "assignment": check_id.partition(".")[0], "check_id": check_id, "at": at,
                 "correct": bool(correct), "mistakes": ";".join(mistakes), "policy": policy, "trials": int(trials)}
                for student, check_id, correct, mistakes, policy, trials, at in attempts])

    def attempts(self, assignments=None):
        """[Attempt] in the order they were made, of some assignments or all."""
        query = select(ATTEMPTS).order_by(ATTEMPTS.c.at, ATTEMPTS.c.id)
        if assignments is not None:
            query = query.where(ATTEMPTS.c.assignment.in_(list(assignments)))
        with self.engine.connect() as db:
            return [Attempt(r.student, r.assignment, r.check_id, r.at, r.correct,
                            tuple(m for m in r.mistakes.split(";") if m), r.policy, r.trials)
                    for r in db.execute(query)]

    # -- local tokens (no hub) -----------------------------------------------------------------
    def issue_token(self, student):
        """A new token for `student` (shown once; only its digest is kept). Earlier tokens stay valid."""
        token = f"bpf_{secrets.token_urlsafe(24)}"
        with self.engine.begin() as db:
            db.execute(insert(TOKENS).values(digest=_digest(token), student=student, created=time.time()))
        return token

    def revoke(self, student):
        with self.engine.begin() as db:
            n = db.execute(delete(TOKENS).where(TOKENS.c.student == student)).rowcount
        self._tokens.clear()
        return n

    def student_for(self, token, cache_seconds=30.0):
        """The student a local token was issued to, or None (looked up at most every 30 s per token)."""
        digest, now = _digest(token), time.monotonic()
        cached = self._tokens.get(digest)
        if cached and now - cached[1] < cache_seconds:
            return cached[0]
        with self.engine.connect() as db:
            student = db.execute(select(TOKENS.c.student).where(TOKENS.c.digest == digest)).scalar()
        if len(self._tokens) > 10_000:
            self._tokens.clear()
        self._tokens[digest] = (student, now)
        return student

    # -- the formative secret -------------------------------------------------------------------
    def formative_secret(self):
        """The secret formative trials are drawn from: made once, at random, and kept here."""
        with self.engine.begin() as db:
            value = db.execute(select(SETTINGS.c.value).where(SETTINGS.c.key == "formative_secret")).scalar()
            if value is None:
                value = secrets.token_hex(32)
                db.execute(insert(SETTINGS).values(key="formative_secret", value=value))
        return value

    def ping(self):
        with self.engine.connect() as db:
            db.execute(text("SELECT 1"))

    def close(self):
        self.engine.dispose()

