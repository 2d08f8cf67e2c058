"""Every fixture student is graded as its file says: full marks, the exact mistake ids, or unrecognised."""
import pytest

from autograders import grade
from students import case_id, cases, files, load

SEEDS = (0, 1, 2)
CASES = [c for c in cases() if c[0].parent.name != "contract"]


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_fixture_is_diagnosed_as_expected(case):
    path, check_id, expected = case
    fn = getattr(load(path), check_id.split(".")[1])
    for seed in SEEDS:
        result = grade(check_id, fn, seed=seed)
        assert result.mistakes == expected, (
            f"{path.name} {check_id} seed {seed}: diagnosed {result.mistakes}, expected {expected}\n"
            f"{result.message}")
        if expected:
            assert result.score == 0 and not result.correct, f"{path.name} {check_id}: a wrong answer got credit"
        else:
            assert result.score == 1 and result.correct, f"{path.name} {check_id}: a correct answer lost credit"


def test_every_exercise_has_at_least_three_correct_styles():
    for exercise in ("scalar_chain", "matrix_mlp", "multi_path"):
        styles = [c for c in cases("correct_*.py", exercise)]
        checks = {check_id for _, check_id, _ in styles}
        for check_id in checks:
            n = sum(1 for _, c, e in styles if c == check_id and e == ())
            assert n >= 3, f"{check_id} has {n} correct fixture styles, want >= 3"


def test_every_catalogued_mistake_of_every_check_has_a_student_fixture():
    """MISTAKES.md lists (check, mistake) pairs; each one that changes the answer is written as a student would."""
    import numpy as np
    from autograders import catalogue
    have = {(c, e[0]) for _, c, e in cases() if len(e) == 1}
    pairs = {c for _, c, e in cases() if len(e) == 2}
    missing = []
    for check_id in catalogue.all_check_ids():
        exercise, check = catalogue.load(check_id)
        rng = np.random.default_rng(0)
        args = None
        while args is None:
            args = exercise.draw(rng)
        reference = check.compute(args, frozenset())
        for mistake in exercise.mistakes_for(check.name):
            changes = any(np.shape(out := check.compute(args, frozenset({k}))) != np.shape(reference)
                          or not np.allclose(np.asarray(out, dtype=float), np.asarray(reference, dtype=float))
                          for k in mistake.knobs())
            if changes and (check_id, mistake.id) not in have:
                missing.append(f"{check_id}: {mistake.id}")
    assert not missing, "no student fixture for:\n" + "\n".join(missing)
    for exercise in catalogue.EXERCISE_NAMES:
        assert len([p for p in files("pair_*.py", exercise)]) >= 5, f"{exercise}: want >= 5 compound fixtures"
        assert len(files("unrecognised_*.py", exercise)) >= 3, f"{exercise}: want >= 3 unrecognised fixtures"


def test_mutants_derived_from_a_factor_equal_the_computed_ones():
    """A mistake declared with `factor` (sign, ½, 2) is derived as factor × the mutant without it, not
    computed; on every check, every single and every pair, that must be what the backward pass gives."""
    import numpy as np
    from autograders import catalogue
    from autograders.outputs import rel_error, scale_of
    from autograders.trials import RAISES, Trials
    derived = 0
    for check_id in catalogue.all_check_ids():
        exercise, check = catalogue.load(check_id)
        for seed in range(4):
            trials = Trials(exercise, check, seed)
            trial = trials.draw()
            for knobs in trials.candidates(1) + trials.candidates(2):
                if not any(m.factor for m in exercise.mistakes for k in knobs if k in m.knobs()):
                    continue
                derived += 1
                got = trials.output(trial, knobs)
                with np.errstate(all="ignore"):
                    want = trials._compute(trial.args, knobs, trial.known)
                assert (got is RAISES) == (want is RAISES), f"{check_id} {sorted(knobs)}: one of them raises"
                if want is not RAISES:       # rounding only (sgd_step's step is w_new - w): far below TOLERANCE
                    assert got.shape == want.shape and rel_error(got, want, scale_of(want)) < 1e-10, (
                        f"{check_id} seed {seed} {sorted(knobs)}: derived {got}, computed {want}")
    assert derived > 100, f"only {derived} derived mutants were compared"
