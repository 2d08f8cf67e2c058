"""The verification trials stay on the grader's side (issue 21, finding 2): a kernel knows the course secret
and can import the references, so it could precompute every trial verification would use from the course
secret, and leave a table of answers in /dev/shm for the sandbox to look up. Neither may work."""
import json
import os
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograders.instructor import classroom, demo
from autograders import grade
from autograders.engine import settings
from autograders.engine.course import nbgrader
from autograders.integrity import secret
from autograders.integrity.kernel import kernel_env
from autograders.engine.seeds import derive_seed
from autograders.integrity.verify import verify_student

CHECK, STUDENT = "scalar_chain.dL_dw2", "mallory"
TABLE = "/dev/shm/backprop-lookup-table.json"
LOOKUP = f'''
import json
import numpy as np
def dL_dw2(x, y, w1, w2, b):
    try:
        table = json.load(open({TABLE!r}))
    except OSError:
        return 0.123
    return np.asarray(table.get(json.dumps([np.asarray(v).tolist() for v in (x, y, w1, w2, b)]), 0.123))
'''


def _precompute_as_a_kernel_could(root):
    """Every trial verification would draw from what a kernel knows (the course secret), with the answers."""
    from solutions.scalar_chain import dL_dw2
    table = {}

    def record(*args):
        table[json.dumps([np.asarray(v).tolist() for v in args])] = np.asarray(dL_dw2(*args)).tolist()
        return dL_dw2(*args)
    kernel_known = settings.course_secret()                        # in every kernel's environment
    for guess in (kernel_known + "\0verify", kernel_known):         # the old salt, and no salt
        assert grade(CHECK, record, seed=derive_seed(CHECK, STUDENT, guess)).mistakes == ()
    Path(TABLE).write_text(json.dumps(table))


@pytest.fixture
def course(tmp_path):
    root = demo.make_course(tmp_path / "course")
    nbgrader(root, "generate_assignment", "scalar_chain", "--force")
    release = nbformat.read(str(root / "release" / "scalar_chain" / "scalar_chain.ipynb"), as_version=4)
    nb = classroom.fill(release, {"dL_dw2": LOOKUP})
    classroom.write(nb, root / "submitted" / STUDENT / "scalar_chain" / "scalar_chain.ipynb")
    yield root
    Path(TABLE).unlink(missing_ok=True)


def test_a_lookup_table_left_in_dev_shm_does_not_fool_verification(course):
    _precompute_as_a_kernel_could(course)
    result = verify_student(course, "scalar_chain", STUDENT)
    assert not result.unverified, result.unverified
    check = next(c for c in result.checks if c.check_id == CHECK)
    assert check.verified == 0, f"the lookup table was believed: {check}"


def test_the_verification_secret_never_enters_a_kernel(course, monkeypatch):
    monkeypatch.setenv(secret.ENV, "grader-only")
    assert secret.ENV not in kernel_env(None, "/nonexistent")
    mine = secret.verification_secret(course, "s")
    assert mine != secret.verification_secret(course, "t"), "the course secret still counts"
    monkeypatch.delenv(secret.ENV)
    key = secret.key_path(course)
    stored = secret.verification_secret(course, "s")
    assert key.is_file() and oct(key.stat().st_mode & 0o777) == "0o600"
    assert oct(key.parent.stat().st_mode & 0o777) == "0o700"
    assert stored == secret.verification_secret(course, "s"), "stable across runs"
    from autograders.integrity.kernel import sandboxed
    own = course / "autograded" / STUDENT / "scalar_chain"
    own.mkdir(parents=True, exist_ok=True)
    command = sandboxed(["python", "-m", "ipykernel_launcher", "-f", "k.json"], own, {}, str(course / "home"))
    bound = [command[i + 2] for i, arg in enumerate(command) if arg in ("--bind", "--ro-bind")]
    assert not any(key.parent == Path(b) or Path(b) in key.parents for b in bound), \
        f"the key's folder is inside a kernel's sandbox: {bound}"
    assert os.environ.get(secret.ENV) is None


def test_even_with_the_trials_known_a_kernels_dev_shm_never_reaches_the_sandbox(course, monkeypatch):
    """Each defence alone: here verification uses the kernel-known seed, and the fresh /dev/shm must hold."""
    import autograders.integrity.verify as verify
    monkeypatch.setattr(verify, "verification_secret", lambda root, s: s + "\0verify")
    _precompute_as_a_kernel_could(course)
    result = verify_student(course, "scalar_chain", STUDENT)
    check = next(c for c in result.checks if c.check_id == CHECK)
    assert check.verified == 0 and not result.unverified, f"the lookup table was read: {check}"
