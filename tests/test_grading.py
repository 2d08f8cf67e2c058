"""The grading API: contract failures, seeds, messages, and what `check` returns to nbgrader."""
import textwrap

import numpy as np
import pytest

from autograders import check, grade
from autograders.engine.catalogue import all_check_ids, load
from autograders.engine.seeds import derive_seed
from autograders.engine.trials import Trials
from solutions import matrix_mlp, multi_path, scalar_chain
from students import case_id, cases, load as load_student

CONTRACT = cases(folder="contract")


@pytest.mark.parametrize("case", CONTRACT, ids=[case_id(c) for c in CONTRACT])
def test_contract_failures_get_their_id(case):
    path, check_id, expected = case
    fn = getattr(load_student(path), check_id.split(".")[1])
    result = grade(check_id, fn, seed=11)
    assert result.mistakes == expected, f"{path.name} {check_id}: {result.mistakes} != {expected}\n{result.message}"
    assert result.score == (0.0 if expected else 1.0)


def test_grading_goes_on_after_a_timeout(monkeypatch):
    monkeypatch.setattr("autograders.engine.settings.CALL_TIME_LIMIT", 0.2)

    def forever(x, y, w1, w2, b):
        while True:
            pass
    assert grade("scalar_chain.dL_dw1", forever, seed=1).mistakes == ("timeout",)
    assert grade("scalar_chain.dL_dw2", scalar_chain.dL_dw2, seed=1).correct


def test_a_function_swallowing_the_timeout_still_times_out(monkeypatch):
    monkeypatch.setattr("autograders.engine.settings.CALL_TIME_LIMIT", 0.2)

    def stubborn(x, y, w1, w2, b):
        for _ in range(3):
            try:
                while True:
                    pass
            except BaseException:
                pass
    assert grade("scalar_chain.dL_dw1", stubborn, seed=1).mistakes == ("timeout",)


def test_missing_function_is_a_clear_zero():
    result = grade("matrix_mlp.df_dW1", None, seed=1)
    assert result.mistakes == ("wrong_type",) and result.score == 0
    assert "df_dW1` is not defined" in result.message


def test_unknown_check_id_is_an_instructor_error():
    with pytest.raises(KeyError, match="matrix_mlp.df_dW1"):
        grade("matrix_mlp.df_dW9", matrix_mlp.df_dW1)


def test_same_seed_same_result_and_students_get_different_trials():
    def wrong(i, t, w, b):
        return multi_path.dL_dw(i, t, w, b) * 1.5
    a, b = grade("multi_path.dL_dw", wrong, seed=5), grade("multi_path.dL_dw", wrong, seed=5)
    assert a == b
    ex, chk = load("multi_path.dL_dw")
    seeds = {derive_seed("multi_path.dL_dw", student=s, secret="x") for s in ("ada", "bob", "cy")}
    assert len(seeds) == 3
    firsts = [Trials(ex, chk, s).draw().args["w"] for s in seeds]
    assert not np.allclose(firsts[0], firsts[1]) and not np.allclose(firsts[1], firsts[2])
    assert derive_seed("multi_path.dL_dw", "ada", "x") != derive_seed("multi_path.dL_dw", "ada", "y"), \
        "the course secret must change the trials"


def test_seed_none_uses_the_student_from_the_environment(monkeypatch):
    monkeypatch.setenv("BACKPROP_STUDENT", "ada")
    assert grade("scalar_chain.dL_dw2", scalar_chain.dL_dw2).seed == derive_seed("scalar_chain.dL_dw2", "ada")


def _reference_strings(result, check_id):
    exercise, chk = load(check_id)
    trials = Trials(exercise, chk, result.seed)
    for _ in range(result.trials):
        trials.draw()
    for t in trials.items:
        for v in np.ravel(t.reference):
            yield from {repr(float(v)), f"{v:.6g}", f"{v:.8f}", f"{v:.5f}"}


WRONG = [c for c in cases() if c[2] and c[0].parent.name != "contract"]


@pytest.mark.parametrize("case", WRONG, ids=[case_id(c) for c in WRONG])
def test_messages_never_show_reference_values(case):
    path, check_id, _ = case
    result = grade(check_id, getattr(load_student(path), check_id.split(".")[1]), seed=3)
    for text in (result.message, result.html):
        leaked = [s for s in _reference_strings(result, check_id) if s in text]
        assert not leaked, f"{path.name}: message shows reference values {leaked}\n{text}"
    assert f"Seed {result.seed}" in result.message and "np.array" in result.message or "=" in result.message


def test_wrong_message_says_what_why_and_what_to_try():
    def forgot_sigma(x, y, w1, w2, b):
        h = 1 / (1 + np.exp(-(x * w1 + b)))
        y_hat = 1 / (1 + np.exp(-(h * w2 + b)))
        return float(np.sum((y_hat - y) * y_hat * (1 - y_hat) * w2 * x))
    r = grade("scalar_chain.dL_dw1", forgot_sigma, seed=2)
    assert r.mistakes == ("missing_sigma_prime_layer1",)
    for part in ("What we found:", "Why:", "Try this:", "To reproduce", "print(dL_dw1(x, y, w1, w2, b))"):
        assert part in r.message
    namespace = {"dL_dw1": forgot_sigma}
    exec(textwrap.dedent(r.message.split("notebook:")[1]).replace("print(", "got = ("), namespace)
    assert namespace["got"] is not None, "the reproduction snippet must run"


def test_check_returns_plain_float_points_and_prints_feedback(capsys):
    earned = check("matrix_mlp.df_dW2", matrix_mlp.df_dW2, points=3)
    assert type(earned) is float and earned == 3.0 and repr(earned) == "3.0"
    assert "matrix_mlp.df_dW2: correct" in capsys.readouterr().out
    assert check("matrix_mlp.df_dW2", lambda *a: matrix_mlp.df_dW2(*a).T, points=3) == 0.0


def test_noise_from_student_code_never_reaches_stderr(capsys):
    def noisy(x, W1, W2, W3):
        import sys, warnings
        print("debug", file=sys.stderr)
        warnings.warn("careful")
        np.exp(1000.0)
        return matrix_mlp.df_dW3(x, W1, W2, W3)
    assert check("matrix_mlp.df_dW3", noisy, points=2) == 2.0
    assert capsys.readouterr().err == ""


def test_numerical_gradient_credit_is_an_instructor_setting(monkeypatch):
    def loss(x, y, w1, w2, b):                        # the notebook's own loss, as students have it
        y_hat = 1 / (1 + np.exp(-(w2 / (1 + np.exp(-(x * w1 + b))) + b)))
        return 0.5 * np.sum((y - y_hat) ** 2)

    def finite_differences(x, y, w1, w2, b):
        h = 1e-6
        return (loss(x, y, w1 + h, w2, b) - loss(x, y, w1 - h, w2, b)) / (2 * h)
    assert grade("scalar_chain.dL_dw1", finite_differences, seed=1).mistakes == ("numerical_gradient",)
    monkeypatch.setattr("autograders.engine.settings.NUMERICAL_GRADIENT_CREDIT", 0.5)
    assert grade("scalar_chain.dL_dw1", finite_differences, seed=1).score == 0.5


def test_a_catalogued_mistake_that_only_runs_on_square_shapes_is_named():
    def square_only(x, W1, W2, W3):
        h1 = 1 / (1 + np.exp(-W1 @ x))
        h2 = 1 / (1 + np.exp(-W2 @ h1))
        delta2 = W3[0] * h2 * (1 - h2)
        delta1 = (W2 @ delta2) * h1 * (1 - h1)       # raises unless W2 is square
        return np.outer(delta1, x)
    r = grade("matrix_mlp.df_dW1", square_only, seed=4)
    assert r.mistakes == ("weight_not_transposed",), r.message


def test_every_check_id_of_the_spec_exists():
    assert set(all_check_ids()) == {
        "scalar_chain.dL_dw2", "scalar_chain.dL_dw1", "scalar_chain.dL_db", "scalar_chain.sgd_step",
        "matrix_mlp.df_dW3", "matrix_mlp.df_dW2", "matrix_mlp.df_dW1",
        "multi_path.dL_dw5", "multi_path.dL_dh1", "multi_path.dL_dw1", "multi_path.dL_dw", "multi_path.dL_db"}


def test_an_analytic_gradient_that_checks_itself_against_a_finite_difference_is_analytic():
    """It evaluates the loss at nudged weights (as a numerical gradient does) but returns the derivation:
    correct to rounding, so it is graded as analytic, not as `numerical_gradient`."""
    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    def loss(x, y, w1, w2, b):
        y_hat = sigmoid(sigmoid(x * w1 + b) * w2 + b)
        return 0.5 * np.sum((y - y_hat) ** 2)

    def dL_dw2(x, y, w1, w2, b):
        h = sigmoid(x * w1 + b)
        y_hat = sigmoid(h * w2 + b)
        g = np.sum((y_hat - y) * y_hat * (1 - y_hat) * h)
        eps = 1e-6
        numeric = (loss(x, y, w1, w2 + eps, b) - loss(x, y, w1, w2 - eps, b)) / (2 * eps)
        assert abs(numeric - g) <= 1e-5 * max(1.0, abs(g))
        return g

    result = grade("scalar_chain.dL_dw2", dL_dw2, seed=5)
    assert result.correct and result.mistakes == (), result.message
