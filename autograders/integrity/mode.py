"""Fail closed: grading stops when student code cannot be isolated, unless the instructor says
--allow-unisolated (BACKPROP_ALLOW_UNISOLATED=1, inherited by nbgrader and its kernels), and then
every summary says so in red. Every run prints its isolation mode once (summary)."""
import os

ALLOW_ENV = "BACKPROP_ALLOW_UNISOLATED"


class IsolationMissing(RuntimeError):
    """Student code would run without the isolation this machine was expected to give."""


def allowed():
    return os.environ.get(ALLOW_ENV) == "1"


def allow():
    """--allow-unisolated: this process and everything it starts (nbgrader, kernels, workers)."""
    os.environ[ALLOW_ENV] = "1"


def missing(kernels=True, verification=True):
    """What is missing here, as short phrases; [] when student code is isolated (kernels and verification
    share one sandbox, bubblewrap.py)."""
    from . import bubblewrap
    return [bubblewrap.problem()] if (kernels or verification) and bubblewrap.problem() else []


def require(kernels=True, verification=True):
    """Raise IsolationMissing (one line naming what is missing) unless isolated or explicitly allowed."""
    gone = missing(kernels, verification)
    if gone and not allowed():
        raise IsolationMissing("cannot isolate student code: missing " + "; ".join(gone) +
                               ". Install or permit it, or rerun with --allow-unisolated to grade without it")


def summary(kernels=True, verification=True):
    """One line (rich markup) for the run's header and its summaries: the isolation mode."""
    from . import bubblewrap
    gone = missing(kernels, verification)
    if gone:
        return (f"[bold red]UNISOLATED (--allow-unisolated): missing {'; '.join(gone)}; "
                f"student code runs with the grader's rights[/]")
    return "isolation: " + bubblewrap.summary()
