"""Every fixture student is graded as its file says: full marks, the exact mistake ids, or unrecognised."""
import pytest

from autograders import grade
from students import case_id, cases, files, load

SEEDS = (0, 1, 2)
CASES = [c for c in cases() if c[0].parent.name != "contract"]


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_fixture_is_diagnosed_as_expected(case):
    """The ids, and where the file says so, the place the message must name (WHERE) and every
    equivalent reading the diagnosis must keep (READINGS)."""
    path, check_id, expected = case
    module = load(path)
    fn = getattr(module, check_id.split(".")[1])
    where = getattr(module, "WHERE", {}).get(check_id)
    readings = sorted(tuple(sorted(r)) for r in getattr(module, "READINGS", {}).get(check_id, []))
    for seed in SEEDS:
        result = grade(check_id, fn, seed=seed)
        assert result.mistakes == expected, (
            f"{path.name} {check_id} seed {seed}: diagnosed {result.mistakes}, expected {expected}\n"
            f"{result.message}")
        assert where is None or where in result.message, (
            f"{path.name} {check_id} seed {seed}: the message does not say where ({where!r})\n{result.message}")
        assert sorted(result.readings) == readings, (
            f"{path.name} {check_id} seed {seed}: readings {result.readings}, expected {readings}\n{result.message}")
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


def test_every_mistake_at_every_site_set_of_every_check_has_a_student_fixture():
    """Every single the search knows on a check (one mistake at one allowed set of sites: a layer, both
    layers, a bias through one unit, ...) is what some student-style file is diagnosed as, with the
    message naming that place."""
    from autograders.engine import catalogue
    messages = {}
    for path, check_id, expected in cases():
        if path.parent.name != "contract" and len(expected) == 1 and expected != ("unrecognised",):
            result = grade(check_id, getattr(load(path), check_id.split(".")[1]), seed=0)
            messages.setdefault((check_id, result.mistakes), []).append(result.message)
    missing = []
    for check_id in catalogue.all_check_ids():
        exercise, check = catalogue.load(check_id)
        live = exercise.live_knobs(check.name)
        for mistake in exercise.mistakes_for(check.name):
            for form in mistake.forms(live):
                what = mistake.text(check.name, form, live)[0]
                if not any(what in m for m in messages.get((check_id, (mistake.id,)), [])):
                    missing.append(f"{check_id}: {mistake.id} {mistake.where(form, live) or ''}")
    assert not missing, "no student fixture for:\n" + "\n".join(missing)
    for exercise in catalogue.EXERCISE_NAMES:
        assert len([p for p in files("pair_*.py", exercise)]) >= 5, f"{exercise}: want >= 5 compound fixtures"
        assert len(files("unrecognised_*.py", exercise)) >= 3, f"{exercise}: want >= 3 unrecognised fixtures"


def test_mutants_derived_from_a_factor_equal_the_computed_ones():
    """A mistake declared with `factor` (sign, ½, 2) is derived as factor × the mutant without it, not
    computed; on every check, every single and every pair, that must be what the backward pass gives."""
    import numpy as np
    from autograders.engine import catalogue
    from autograders.engine.outputs import rel_error, scale_of
    from autograders.engine.trials import RAISES, Trials
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
