"""Mistake discovery (issue 17): probe trials, groups by behaviour, candidate explanations."""
import numpy as np

from autograders import grade
from autograders.engine.discovery import candidates, groups, probes
from autograders.engine.seeds import derive_seed
from tests import students

CHECK = "matrix_mlp.df_dW1"
SECRET = "test-secret"


def fixture(folder, name):
    return students.load(students.ROOT / folder / f"{name}.py")


def entry(student, fn, check_id=CHECK):
    r = grade(check_id, fn, seed=1)
    p = probes.record(check_id, fn, SECRET) if probes.wanted(r.mistakes) else None
    return {"student": student, "checks": [{"check_id": check_id, "mistakes": list(r.mistakes), "probes": p}]}


def test_probe_seed_is_per_check_and_secret_and_not_a_graded_seed():
    s = probes.probe_seed(CHECK, SECRET)
    assert s == probes.probe_seed(CHECK, SECRET)
    assert s != probes.probe_seed("matrix_mlp.df_dW2", SECRET)
    assert s != probes.probe_seed(CHECK, "other")
    assert s not in {derive_seed(CHECK, f"s{i}", SECRET) for i in range(200)}


def test_probe_trials_differ_from_graded_trials():
    p = probes.probe_trials(CHECK, SECRET)
    r = grade(CHECK, fixture("matrix_mlp", "correct_vectorised").df_dW1, seed=derive_seed(CHECK, "s1", SECRET))
    assert len(p) == probes.PROBES and r.correct
    assert not any(np.array_equal(p[0].args["x"], q.args["x"]) for q in probes.probe_trials(CHECK, "other").items)


def test_one_misconception_in_two_styles_is_one_group_and_others_are_singletons():
    evidence = {}
    for student, (folder, name) in {
            "ann": ("matrix_mlp", "unrecognised_squared_weights"), "bob": ("discovery", "squared_weights_loops"),
            "cat": ("matrix_mlp", "unrecognised_tanh_derivative"), "dan": ("matrix_mlp", "correct_loops"),
            "eve": ("matrix_mlp", "unrecognised_plus_constant")}.items():
        evidence[student] = entry(student, fixture(folder, name).df_dW1)
    assert evidence["dan"]["checks"][0]["probes"] is None            # correct answers record nothing
    found = groups.cluster(evidence)[CHECK]
    assert [g.members for g in found] == [["ann", "bob"], ["cat"], ["eve"]]
    assert [g.id for g in found] == [f"{CHECK}#1", f"{CHECK}#2", f"{CHECK}#3"]
    assert groups.group_of({CHECK: found})[("bob", CHECK)] == f"{CHECK}#1"
    assert candidates.explain(found[0], SECRET) == {"catalogued": [], "generic": [], "edits": []}   # none found


def test_a_triple_of_catalogued_mistakes_is_found_with_its_sites():
    module = fixture("discovery", "triple_summed_error_no_sigma_prime")
    e = entry("fay", module.df_dW1)
    assert e["checks"][0]["mistakes"] == ["unrecognised"]
    [group] = groups.cluster({"fay": e})[CHECK]
    found = candidates.explain(group, SECRET)["catalogued"]
    assert found and {k.partition(":")[0] for k in found[0]} == set(module.TRIPLE), found


def test_generic_swap_of_two_entries():
    def swapped(x, W1, W2, W3):
        out = fixture("matrix_mlp", "correct_vectorised").df_dW1(x, W1, W2, W3).copy()
        out.flat[0], out.flat[1] = out.flat[1], out.flat[0]
        return out
    [group] = groups.cluster({"gus": entry("gus", swapped)})[CHECK]
    assert "entries 0 and 1 of the answer swapped" in candidates.explain(group, SECRET)["generic"]


def test_three_styles_of_one_uncatalogued_mistake_are_one_group_explained_by_an_edit_of_the_backward_pass():
    evidence = {f"s{k}": entry(f"s{k}", fixture("discovery", f"forgot_output_weights_{style}").df_dW1)
                for k, style in enumerate(("vectorised", "loops", "einsum"))}
    [group] = groups.cluster(evidence)[CHECK]
    assert group.members == ["s0", "s1", "s2"]
    found = candidates.explain(group, SECRET)
    assert any(e["changed"] == "d2 = sigma_prime(h2, a2, 2, m)" for e in found["edits"]), found
    assert any("drops the factor `W3.T @ d3`" in g for g in found["generic"])


def test_the_demo_class_has_a_group_not_in_the_catalogue_in_three_styles():
    from autograders.instructor import demo
    plans = [p for p in demo.roster(30) if p.assignment == "matrix_mlp" and p.overlay is not None
             and p.overlay.parent.name == "discovery"]
    assert len(plans) == 5 and len({p.overlay.name for p in plans}) == 3
    assert all(p.expected()[CHECK] == ("unrecognised",) for p in plans)
