"""Where a mistake is made (MISTAKES.md, "Where a mistake is made, and how it may be written"): sites,
per-bias, readings, where a mistake applies, equivalent explanations, and a round trip from knobs."""
import numpy as np
import pytest

from autograders.engine import catalogue
from autograders import grade
from autograders.engine.grading import record
from autograders.engine.trials import RAISES, Trials, space_of
from solutions import matrix_mlp, multi_path, scalar_chain
from solutions.factors import sigmoid

# -- sites: one mistake at several places is named once, and the message says where -------------------


def _z_times(z):
    return z * (1 - z)


def _scalar_chain_dL_dw1(sp1, sp2):
    """dL_dw1 written with one σ' helper per layer, as a student would."""
    def dL_dw1(x, y, w1, w2, b):
        z1 = x * w1 + b
        h = sigmoid(z1)
        z2 = h * w2 + b
        y_hat = sigmoid(z2)
        return np.sum((y_hat - y) * sp2(z2) * w2 * sp1(z1) * x)
    return dL_dw1


def _right(z):
    return sigmoid(z) * (1 - sigmoid(z))


@pytest.mark.parametrize("sp1, sp2, where", [
    (_z_times, _z_times, "at both layers"),
    (_z_times, _right, "at layer 1 (h)"),
    (_right, _z_times, "at layer 2 (ŷ)"),
])
def test_a_helper_written_wrong_is_one_mistake_named_once_with_where(sp1, sp2, where):
    for seed in range(3):
        r = grade("scalar_chain.dL_dw1", _scalar_chain_dL_dw1(sp1, sp2), seed=seed)
        assert r.mistakes == ("z_times_one_minus_z",), r.message
        assert f"Where: {where}." in r.message, r.message


def test_sigma_used_for_sigma_prime_at_both_layers_of_df_dW1():
    def df_dW1(x, W1, W2, W3):
        a1 = W1 @ x
        h1 = sigmoid(a1)
        a2 = W2 @ h1
        d2 = W3[0] * sigmoid(a2)
        return np.outer((W2.T @ d2) * sigmoid(a1), x)
    r = grade("matrix_mlp.df_dW1", df_dW1, seed=3)
    assert r.mistakes == ("sigma_instead_of_sigma_prime",) and "at both layers" in r.message, r.message


def test_forms_are_every_non_empty_site_set_within_the_exclusive_groups():
    exercise, _ = catalogue.load("multi_path.dL_db")
    by_id = {m.id: m for m in exercise.mistakes}
    live = exercise.live_knobs("dL_db")
    assert len(by_id["bias_single_path"].forms(live)) == 8       # (3 × 3 combinations) - (both right)
    assert len(by_id["z_times_one_minus_z"].forms(live)) == 3    # layer 1, layer 2, both
    assert len(by_id["missing_downstream_weight"].forms(live)) == 2   # two readings, never together
    assert len(by_id["z_times_one_minus_z"].forms(exercise.live_knobs("dL_dw5"))) == 1   # layer 2 only
    sc, _ = catalogue.load("scalar_chain.dL_db")
    assert len({m.id: m for m in sc.mistakes}["bias_single_path"].forms(sc.live_knobs("dL_db"))) == 2


def test_singles_are_named_once_and_pairs_have_two_different_ids():
    for check_id in catalogue.all_check_ids():
        exercise, check = catalogue.load(check_id)
        space = space_of(exercise, check.name)
        assert all(space.size(f) == 1 for f in space.singles), check_id
        assert all(space.size(p) == 2 for p in space.pairs), check_id
        assert len(set(space.singles)) == len(space.singles) and len(set(space.pairs)) == len(space.pairs)


# -- per bias ------------------------------------------------------------------------------------------

def _multi_path_dL_db(b1_through, b2_through):
    def dL_db(i, t, w, b):
        W1, W2 = w[:4].reshape(2, 2), w[4:].reshape(2, 2)
        h = sigmoid(W1 @ i + b[0])
        o = sigmoid(W2 @ h + b[1])
        delta_o = (o - t) * o * (1 - o)
        delta_h = (W2.T @ delta_o) * h * (1 - h)
        return np.array([delta_h[b1_through].sum(), delta_o[b2_through].sum()])
    return dL_db


BOTH = [0, 1]


@pytest.mark.parametrize("b1, b2, where", [
    ([0], BOTH, "for b1 (through h1 only)"), ([1], BOTH, "for b1 (through h2 only)"),
    (BOTH, [0], "for b2 (through o1 only)"), (BOTH, [1], "for b2 (through o2 only)"),
    ([0], [0], "for b1 (through h1 only) and for b2 (through o1 only)"),
    ([0], [1], "for b1 (through h1 only) and for b2 (through o2 only)"),
    ([1], [0], "for b1 (through h2 only) and for b2 (through o1 only)"),
    ([1], [1], "for b1 (through h2 only) and for b2 (through o2 only)"),
])
def test_bias_single_path_is_judged_per_bias(b1, b2, where):
    r = grade("multi_path.dL_db", _multi_path_dL_db(b1, b2), seed=7)
    assert r.mistakes == ("bias_single_path",) and where in r.message, r.message


@pytest.mark.parametrize("layer", ["layer 1", "layer 2"])
def test_scalar_chain_bias_through_one_layer_only(layer):
    def dL_db(x, y, w1, w2, b):
        h = sigmoid(x * w1 + b)
        y_hat = sigmoid(h * w2 + b)
        d2 = (y_hat - y) * y_hat * (1 - y_hat)
        return np.sum(d2 * w2 * h * (1 - h) if layer == "layer 1" else d2)
    r = grade("scalar_chain.dL_db", dL_db, seed=2)
    assert r.mistakes == ("bias_single_path",) and f"through {layer} only" in r.message, r.message


# -- readings ------------------------------------------------------------------------------------------

def test_missing_downstream_weight_as_all_ones_runs_for_any_shape_and_is_named():
    def df_dW1(x, W1, W2, W3):
        h1 = sigmoid(W1 @ x)
        h2 = sigmoid(W2 @ h1)
        delta2 = W3[0] * h2 * (1 - h2)
        return np.outer(delta2.sum() * h1 * (1 - h1), x)      # Σδ2 to every unit of layer 1
    for seed in range(3):
        r = grade("matrix_mlp.df_dW1", df_dW1, seed=seed)
        assert r.mistakes == ("missing_downstream_weight",) and "all ones" in r.message, r.message
    x, W1, W2, W3 = np.ones(4), np.ones((3, 4)), np.ones((5, 3)), np.ones((1, 5))
    out = matrix_mlp.gradients(x, W1, W2, W3, frozenset({"missing_downstream_weight:ones"}))["W1"]
    assert out.shape == (3, 4), "the all-ones reading is computable for non-square W2"


def test_swapped_biases_are_named_as_b1_and_b2_not_as_a_weight():
    def dL_db(i, t, w, b):
        return multi_path.dL_db(i, t, w, b)[::-1]
    r = grade("multi_path.dL_db", dL_db, seed=4)
    assert r.mistakes == ("wrong_weight_index",), r.message
    assert "b1 and b2 are swapped" in r.message and "neighbouring connection" not in r.message, r.message


def test_activation_instead_of_preactivation_input_is_the_pre_activation_where_h2_belongs():
    def df_dW3(x, W1, W2, W3):
        return (W2 @ sigmoid(W1 @ x)).reshape(1, -1)
    assert grade("matrix_mlp.df_dW3", df_dW3, seed=1).mistakes == ("activation_instead_of_preactivation_input",)


# -- where a mistake applies: derived from the reference ----------------------------------------------

SIGMA_PRIME = ("missing_sigma_prime_layer1", "missing_sigma_prime_layer2", "sigma_instead_of_sigma_prime",
               "sigma_prime_of_activation", "z_times_one_minus_z")

#: The checks column of MISTAKES.md (where each mistake is most often met): the derived applicability
#: must include every one of them.
DOCUMENTED = {
    "sign_flipped": ("scalar_chain.*", "multi_path.*"),
    "loss_factor_double": ("scalar_chain.*", "multi_path.*"),
    "loss_factor_half": ("scalar_chain.*", "multi_path.*"),
    "mean_instead_of_sum": ("scalar_chain.*",),
    "per_sample_not_summed": ("scalar_chain.*",),
    "post_update_weights": ("scalar_chain.sgd_step",),
    "wrong_input_factor": ("scalar_chain.dL_dw1", "scalar_chain.dL_dw2", "matrix_mlp.*", "multi_path.dL_dw5",
                           "multi_path.dL_dw1"),
    "missing_downstream_weight": ("scalar_chain.dL_dw1", "scalar_chain.dL_db", "matrix_mlp.df_dW1",
                                  "multi_path.dL_dh1", "multi_path.dL_dw1"),
    "bias_single_path": ("scalar_chain.dL_db", "multi_path.dL_db"),
    "single_output_path": ("multi_path.dL_dh1", "multi_path.dL_dw1", "multi_path.dL_dw"),
    "chain_through_weight": ("multi_path.dL_dh1", "multi_path.dL_dw1", "multi_path.dL_dw"),
    "wrong_weight_index": ("multi_path.*",),
    "elementwise_chain": ("matrix_mlp.df_dW1",),
    "missing_outer_with_input": ("matrix_mlp.df_dW1", "matrix_mlp.df_dW2"),
    "transposed_result": ("matrix_mlp.*",),
    "weight_not_transposed": ("matrix_mlp.df_dW1",),
    "activation_instead_of_preactivation_input": ("matrix_mlp.df_dW3",),
}


def _applies(mistake_id, check_id):
    exercise, check = catalogue.load(check_id)
    return exercise.applies(mistake_id, check.name)


def test_applicability_covers_the_checks_column_of_the_catalogue():
    missing = []
    for mistake_id, where in DOCUMENTED.items():
        for pattern in where:
            exercise, name = pattern.split(".")
            for check_id in catalogue.all_check_ids():
                if check_id.startswith(exercise + ".") and name in ("*", check_id.split(".")[1]) \
                        and not _applies(mistake_id, check_id):
                    missing.append(f"{mistake_id} on {check_id}")
    assert not missing, "derived applicability misses:\n" + "\n".join(missing)


def test_every_scalar_chain_mistake_applies_to_sgd_step_and_no_sigma_prime_mistake_to_df_dW3():
    exercise, _ = catalogue.load("scalar_chain.sgd_step")
    assert {m.id for m in exercise.mistakes_for("sgd_step")} == {m.id for m in exercise.mistakes}
    assert not any(_applies(m, "matrix_mlp.df_dW3") for m in SIGMA_PRIME)
    assert not _applies("missing_sigma_prime_layer1", "multi_path.dL_dw5")
    assert not _applies("bias_single_path", "multi_path.dL_dw"), "the biases never reach ∂L/∂w"


# -- equivalent explanations ---------------------------------------------------------------------------

def test_equivalent_pairs_are_both_given_and_both_recorded():
    def dL_dw1(i, t, w, b):                 # chain through the weight, σ'1 dropped
        _, h, _, o = multi_path.layers(i, w, b)
        return float(((o - t) * o * (1 - o)).sum() * h[0] * i[0])
    r = grade("multi_path.dL_dw1", dL_dw1, seed=5)
    assert r.mistakes == ("chain_through_weight", "missing_sigma_prime_layer1")
    assert r.readings == (("chain_through_weight", "missing_sigma_prime_layer1"),
                          ("missing_downstream_weight", "sigma_instead_of_sigma_prime")), r.readings
    assert "Either:" in r.message and "Or:" in r.message and "Two explanations" in r.message, r.message
    assert record(r, 1, 0.0)["readings"] == [list(x) for x in r.readings]


def _mutant(check, knobs):
    """A student function computing the reference with `knobs` on."""
    def fn(*args):
        out = check.compute(dict(zip(check.params, args)), knobs)
        if check.view is not None:          # sgd_step: the new weights, not the step
            out = np.asarray(out) + np.array(args[2:5]).reshape((3,) + (1,) * (np.ndim(out) - 1))
            return tuple(out)
        return out
    return fn


def _probes(exercise, check, n=3):
    trials = Trials(exercise, check, 12345)
    for _ in range(n):
        trials.draw()
    return trials


def _computes_the_same(trials, a, b):
    return all(_same(trials.output(t, a), trials.output(t, b)) for t in trials.items)


def _same(x, y):
    if x is RAISES or y is RAISES:
        return x is y
    return x.shape == y.shape and np.abs(x - y).max(initial=0) <= 1e-9 * max(np.abs(y).max(initial=0), 1e-300)


def test_a_single_is_preferred_to_a_pair_that_computes_the_same():
    found = 0
    with np.errstate(all="ignore"):
        for check_id in catalogue.all_check_ids():
            exercise, check = catalogue.load(check_id)
            trials = _probes(exercise, check)
            space = trials.space
            for pair in space.pairs:
                single = next((s for s in space.singles if _computes_the_same(trials, pair, s)), None)
                if single is None or _computes_the_same(trials, pair, frozenset()):
                    continue
                found += 1
                r = grade(check_id, _mutant(check, pair), seed=found)
                assert len(r.mistakes) == 1, f"{check_id} {sorted(pair)} = {sorted(single)}: {r.mistakes}"
    assert found >= 3, "no pair computing what a single computes was met"


def test_scalar_chain_trials_vary_n_so_mean_with_double_never_passes_for_half():
    exercise, check = catalogue.load("scalar_chain.dL_dw1")
    for seed in range(5):
        trials = Trials(exercise, check, seed)
        sizes = [len(trials.draw().args["x"]) for _ in range(3)]
        assert len(set(sizes)) == 3, sizes

    def dL_dw1(x, y, w1, w2, b):
        return 2 * np.mean(scalar_chain.gradients(x, y, w1, w2, b, frozenset({"per_sample_not_summed:all"}))["w1"])
    for seed in range(20):
        assert grade("scalar_chain.dL_dw1", dL_dw1, seed=seed).mistakes == ("loss_factor_double",
                                                                             "mean_instead_of_sum")


# -- round trip: the mutant of random knob sets is diagnosed as exactly those ids ----------------------

def _round_trip_cases(seed):
    """Two random singles and three random pairs per check (with their sites), for this seed."""
    rng = np.random.default_rng(1000 + seed)
    out = []
    for check_id in catalogue.all_check_ids():
        exercise, check = catalogue.load(check_id)
        space = space_of(exercise, check.name)
        out += [(check_id, space.singles[k]) for k in rng.choice(len(space.singles), 2, replace=False)]
        out += [(check_id, space.pairs[k]) for k in rng.choice(len(space.pairs), 3, replace=False)]
    return out


@pytest.mark.parametrize("seed", range(20))
def test_round_trip_random_knob_sets_are_diagnosed_as_exactly_their_ids(seed):
    checked = 0
    for check_id, knobs in _round_trip_cases(seed):
        exercise, check = catalogue.load(check_id)
        space = space_of(exercise, check.name)
        ids = tuple(sorted({space.info[k][0] for k in knobs}))
        if len(ids) == 2:
            with np.errstate(all="ignore"):
                trials = _probes(exercise, check)
                if any(_computes_the_same(trials, knobs, other) for other in [frozenset()] + space.singles):
                    continue                 # a pair that is a single (or nothing): the single is named
        r = grade(check_id, _mutant(check, knobs), seed=seed)
        named = set(r.readings) | {r.mistakes}
        assert ids in named, f"seed {seed} {check_id} {sorted(knobs)}: diagnosed {r.mistakes} {r.readings}\n{r.message}"
        checked += 1
    assert checked >= 50


# -- pruning pairs without computing them is sound ------------------------------------------------------

def test_entries_a_mistake_leaves_alone_are_what_the_other_mistake_computes_alone():
    """The pair search skips a pair whose answer, on entries one of its mistakes never touches, is what the
    other mistake computes alone (trials.ruled_out); on fresh draws that must hold for every such rule."""
    checked = 0
    with np.errstate(all="ignore"):
        for check_id in catalogue.all_check_ids():
            exercise, check = catalogue.load(check_id)
            for seed in range(3):
                trials = Trials(exercise, check, 500 + seed)
                trial = trials.draw()
                for pair, rules in trials.space.rules.items():
                    out = trials.output(trial, pair)
                    for single, entries in rules:
                        alone = trials.output(trial, single)
                        if out is RAISES or alone is RAISES or not out.shape == alone.shape == trial.reference.shape:
                            continue                 # (as in ruled_out: entries are those of the answer's shape)
                        checked += 1
                        assert np.allclose(out.flat[entries], alone.flat[entries], rtol=1e-9, atol=1e-14), (
                            f"{check_id} {sorted(pair)}: entries {entries} differ from {sorted(single)} alone")
    assert checked > 1000
