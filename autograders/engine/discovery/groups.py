"""Groups: the students of one check whose outputs on the probe trials agree within the tolerance.

Read from the verification evidence (reports/verify/<assignment>.json), so nothing is re-run.
A group of one is a singleton, listed like any other. Group ids are "<check>#<n>", n from 1
in order of size (largest first), ties by the first member's name.
"""
from dataclasses import dataclass, field

import numpy as np

from .. import settings
from ..outputs import rel_error, scale_of


@dataclass
class Group:
    check_id: str
    number: int
    members: list = field(default_factory=list)
    probes: list = field(default_factory=list)     # the first member's probe outputs (arrays or None)
    mistakes: list = field(default_factory=list)   # unrecognised / wrong_shape, as graded

    @property
    def id(self):
        return f"{self.check_id}#{self.number}"

    @property
    def size(self):
        return len(self.members)


def _arrays(probes):
    return [None if p is None else np.asarray(p, dtype=np.float64) for p in probes]


def agree(a, b, tolerance=None):
    """True when two students' probe outputs agree on every trial (both failing counts as agreeing)."""
    tolerance = settings.TOLERANCE if tolerance is None else tolerance
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x is None or y is None:
            if x is not y:
                return False
        elif x.shape != y.shape or rel_error(x, y, scale_of(x, y)) > tolerance:
            return False
    return True


def recorded(evidence):
    """{check_id: [(student, probes as arrays, mistakes)]} of every check result with probe outputs."""
    out = {}
    for student in sorted(evidence):
        for c in evidence[student].get("checks") or []:
            if c.get("probes"):
                out.setdefault(c["check_id"], []).append((student, _arrays(c["probes"]), c.get("mistakes", [])))
    return out


def cluster(evidence):
    """{check_id: [Group, ...]} ranked by size; each student joins the first group it agrees with."""
    result = {}
    for check_id, rows in recorded(evidence).items():
        groups = []
        for student, probes, mistakes in rows:
            home = next((g for g in groups if agree(g.probes, probes)), None)
            if home is None:
                home = Group(check_id, 0, probes=probes, mistakes=list(mistakes))
                groups.append(home)
            home.members.append(student)
        groups.sort(key=lambda g: (-g.size, g.members[0]))
        for n, g in enumerate(groups, 1):
            g.number = n
        result[check_id] = groups
    return result


def group_of(groups):
    """{(student, check_id): group id} for the class CSV."""
    return {(s, g.check_id): g.id for gs in groups.values() for g in gs for s in g.members}
