"""`grade` (the diagnosis as a Result) and `check` (what a hidden test cell calls)."""
import math
from dataclasses import dataclass, field

import numpy as np

from . import catalogue, feedback, settings
from .diagnose import search
from .guard import call
from .hints import ignored_arguments, structure
from .numerical import PerturbationTracer
from .outputs import BadOutput, normalise, rel_error
from .seeds import current_student, derive_seed
from .trials import Trials

#: A numerical gradient is recognised when it is at least this close to the reference ...
NUMERICAL_CLOSE = 1e-2
#: ... but not this close: a finite difference is off by its truncation and rounding (1e-11 at best for a
#: central difference in float64), an analytic answer only by float rounding. A correct analytic gradient
#: that checks itself against a finite difference inside the function is analytic.
ROUNDING_CLOSE = 1e-12


@dataclass(frozen=True)
class Result:
    check_id: str
    correct: bool
    score: float                  # in [0, 1]
    mistakes: tuple               # ids from MISTAKES.md (catalogue or contract); () when correct
    message: str                  # plain text for the student
    html: str                     # the same, for a notebook
    seed: int
    trials: int                   # how many random test cases were used
    readings: tuple = ()          # when several explanations compute the same answer: the ids of each,
                                  # the one in `mistakes` first; () otherwise

    def _repr_html_(self):
        return self.html

    def __str__(self):
        return self.message


@dataclass
class Outcome:
    """What grading found, before it is worded (see feedback.compose)."""
    check_id: str
    check: object
    seed: int
    describe: str = ""
    correct: bool = False
    score: float = 0.0
    mistakes: tuple = ()
    explanations: list = field(default_factory=list)   # (what, why, fix) per mistake
    readings: list = field(default_factory=list)       # [(ids, [(what, why, fix), ...]), ...] when several fit
    hints: list = field(default_factory=list)
    note: str = ""
    output: bool = False
    trial: object = None
    n_trials: int = 0


class _Stop(Exception):
    """Grading ends early with a contract failure."""


class _Grading:
    def __init__(self, check_id, fn, seed):
        self.exercise, self.check = catalogue.load(check_id)
        self.fn = fn
        self.trials = Trials(self.exercise, self.check, seed)
        self.out = Outcome(check_id, self.check, seed)
        self.values = []
        self.student_errstate = np.geterr()     # the student's code runs with the notebook's settings

    def grade(self):
        """Run the diagnosis; mutants overflow at will (e.g. z(1 - z) for large z) without a warning."""
        with np.errstate(all="ignore"):
            try:
                self.run()
            except _Stop:
                pass

    # -- calling the student ------------------------------------------------------------
    def _call(self, args, tracer=None):
        with np.errstate(**self.student_errstate):
            result = call(self.fn, self.check.params, args, settings.CALL_TIME_LIMIT, tracer)
        self.out.output |= bool(result.output or result.warnings)
        return result

    def _fail(self, contract, trial=None, **fields):
        trial = self.trials[0] if trial is None and len(self.trials) else trial
        if trial is not None:
            fields.setdefault("trial", self.exercise.describe(trial.args))
        self.out.mistakes = (contract,)
        self.out.explanations = [feedback.contract_text(contract, **fields)]
        self.out.trial = trial
        raise _Stop()

    def _value(self, result, trial):
        """The student's output on a trial as an array, None if it raised; stops on contract failures."""
        if result.timed_out:
            self._fail("timeout", trial)
        if result.mutated:
            names = ", ".join(f"`{p}`" for p in result.mutated)
            self._fail("mutated_input", trial, names=names, s="s" if len(result.mutated) > 1 else "")
        if result.raised:
            self.raised = getattr(self, "raised", None) or (result, trial)
            return None
        try:
            value, note = normalise(result.value, self.check.kind)
        except BadOutput as bad:
            self._fail(bad.contract, trial, reason=bad, expected=feedback.EXPECTED[self.check.kind],
                       got="?", want="?")
        if self.check.view is not None:
            value = self.check.view(trial.args, value)
        if not np.all(np.isfinite(value)):
            self._fail("not_finite", trial)
        self.out.note = self.out.note or note
        return value

    def _more(self):
        trial = self.trials.draw()
        self.values.append(self._value(self._call(trial.args), trial))

    # -- the diagnosis ----------------------------------------------------------------------
    def run(self):
        if not callable(self.fn):
            what = "is not defined" if self.fn is None else f"is a {type(self.fn).__name__}, not a function"
            self._fail("wrong_type", reason=f"`{self.check.name}` {what}",
                       expected=f"a function named `{self.check.name}`, defined in its own cell")
        first_trial = self.trials.draw()
        tracer = PerturbationTracer()
        first = self._call(first_trial.args, tracer)
        self.values.append(self._value(first, first_trial))
        if not first.raised:
            again = self._call(first_trial.args)
            if again.timed_out or again.raised or not _identical(first.value, again.value):
                self._fail("nondeterministic", first_trial)
        while len(self.trials) < settings.TRIALS:
            self._more()
        self._judge(tracer)

    def _errors(self):
        return [rel_error(v, t.reference, t.scale) if v is not None else math.inf
                for t, v in zip(self.trials.items, self.values)]

    def _judge(self, tracer):
        errors = self._errors()
        perturbed = tracer.found or getattr(self.fn, "perturbation_seen", False)   # (sandbox.RemoteFunction)
        if perturbed and ROUNDING_CLOSE < max(errors) <= NUMERICAL_CLOSE:
            self._fail("numerical_gradient")
        while max(errors) <= settings.TOLERANCE and self.trials.ambiguous_with_reference() \
                and len(self.trials) < settings.MAX_TRIALS:
            self._more()                 # a mistake is as close as the answer: look further
            errors = self._errors()
        if max(errors) <= settings.TOLERANCE:
            if self.out.note:
                self._fail("wrong_type", reason=self.out.note, expected=feedback.EXPECTED[self.check.kind])
            self.out.correct, self.out.score = True, 1.0
            return
        match = search(self.trials, self.values, self._more)
        if match is not None:
            self._explain(match)
            self.out.trial = self.trials[next((k for k, v in enumerate(self.values) if v is None), 0)]
            return
        if getattr(self, "raised", None):
            result, trial = self.raised
            if isinstance(result.error, NotImplementedError):
                self._fail("raised", trial, error="NotImplementedError: it is not implemented yet",
                           where=" (replace the `raise NotImplementedError()` line with your code)")
            where = f" at {result.where}" if result.where else ""
            self._fail("raised", trial, error=f"{type(result.error).__name__}: {result.error}", where=where)
        for trial, value in zip(self.trials.items, self.values):
            if value.shape != trial.reference.shape:
                self._fail("wrong_shape", trial, got=value.shape, want=trial.reference.shape)
        self.out.mistakes = ("unrecognised",)
        self.out.explanations = [feedback.contract_text("unrecognised")]
        self.out.hints = structure(self.trials, self.values, self.check) or ignored_arguments(
            self.trials[0], self.check, self.values[0], self._call)
        self.out.trial = self.trials[0]


    def _explain(self, match):
        """The mistakes of the match, each saying where it is made; every equivalent reading, if several."""
        by_id = {m.id: m for m in self.exercise.mistakes}
        live = self.exercise.live_knobs(self.check.name)

        def texts(m):
            return [by_id[i].text(self.check.name, m.knobs, live) for i in m.ids]
        self.out.mistakes = match.ids
        self.out.explanations = texts(match)
        readings = []
        for m in match.readings:           # preferred first; the same ids at more sites add nothing
            if all(m.ids != ids for ids, _ in readings):
                readings.append((m.ids, texts(m)))
        if len(readings) > 1:
            self.out.readings = readings


def _identical(a, b):
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return a is b or a == b
    return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


def grade(check_id, fn, seed=None):
    """Grade `fn` for `check_id` on random trials; seed=None derives it from course secret, student, check."""
    seed = derive_seed(check_id) if seed is None else int(seed)
    g = _Grading(check_id, fn, seed)
    g.grade()
    out = g.out
    out.n_trials = len(g.trials)
    if out.trial is not None:
        out.describe = g.exercise.describe(out.trial.args)
    if out.mistakes == ("numerical_gradient",):
        out.score = settings.NUMERICAL_GRADIENT_CREDIT
    message, html = feedback.compose(check_id, out)
    return Result(check_id, out.correct, float(out.score), tuple(out.mistakes), message, html,
                  seed, out.n_trials, readings=tuple(ids for ids, _ in out.readings))


def check(check_id, fn, points=1):
    """Grade, show the feedback in the notebook, and return the points earned (nbgrader's partial credit)."""
    result = grade(check_id, fn)
    earned = float(round(min(max(result.score, 0.0), 1.0) * points, 6))
    _show(result, record(result, points, earned))
    return earned


def record(result, points, earned):
    """What a check found, kept in the notebook's output so reports need not re-run anything."""
    return {"check_id": result.check_id, "score": earned, "points": float(points),
            "mistakes": list(result.mistakes), "seed": result.seed, "trials": result.trials,
            "student": current_student(), "message": result.message,
            "readings": [list(ids) for ids in result.readings]}


def _show(result, diagnosis):
    try:
        from IPython import get_ipython
        from IPython.display import display
        if get_ipython() is not None:
            display({"text/html": result.html, "text/plain": result.message,
                     "application/vnd.backprop.diagnosis+json": diagnosis}, raw=True)
            return
    except ImportError:
        pass
    print(result.message)
