"""Time `grade` per check: a correct answer, one mistake, a pair of mistakes, and an unrecognised answer.

The mistake is the last single the search knows (a mistake at several sites where the check has them), the
pair the last pair it enumerates whose mutant takes a backward pass (no constant factor).
A pair is found only after every single mistake failed; the unrecognised answer
is the slowest path: every single, every pair and the structural hints are tried
before giving up. The last line gives the same figures in units of one reference
backward pass timed in the same run, a measure that moves less with the machine's
load. Run: make bench  (or .venv/bin/python bench/diagnosis.py)

With --accuracy it runs the accuracy sweep instead: every student-style fixture in tests/students/
(every check of each), graded on 20 seeds in one run, counted as correct styles, single mistakes
(the ids, and the place where the file names one), pairs and out-of-catalogue answers.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from autograders import grade
from autograders.engine.catalogue import all_check_ids, load
from autograders.engine.trials import space_of


def student(check, knobs=frozenset(), scale=1.0):
    """A student function computing the reference with `knobs` on, times `scale`."""
    def fn(*args):
        out = check.compute(dict(zip(check.params, args)), knobs)
        if check.view is not None:          # sgd_step: return the new weights, not the step
            old = np.array([args[2], args[3], args[4]])
            out = np.asarray(out) + old.reshape((3,) + (1,) * (np.ndim(out) - 1))
        return tuple(out) if check.kind == "triple" else out * scale
    return fn


def backward_pass(repeat=20):
    """A timer of one reference backward pass (scalar_chain's gradients), the unit of the last line."""
    exercise, check = load("scalar_chain.dL_dw1")
    args, rng = None, np.random.default_rng(0)
    while args is None:
        args = exercise.draw(rng)

    def ms(clock=time.perf_counter):
        start = clock()
        for _ in range(repeat):
            check.compute(args, frozenset())
        return (clock() - start) * 1000 / repeat
    return ms


def accuracy(seeds):
    """The sweep: {kind: [right, total]} over every fixture, check and seed, and the failures."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from students import cases, load
    counts = {kind: [0, 0] for kind in ("correct", "single", "pair", "unrecognised")}
    failures, files, sites = [], set(), set()
    for path, check_id, expected in cases():
        if path.parent.name == "contract":
            continue
        module = load(path)
        fn = getattr(module, check_id.split(".")[1])
        where = getattr(module, "WHERE", {}).get(check_id)
        readings = sorted(tuple(sorted(r)) for r in getattr(module, "READINGS", {}).get(check_id, []))
        kind = ("correct" if not expected else "unrecognised" if expected == ("unrecognised",)
                else "single" if len(expected) == 1 else "pair")
        files.add(path)
        for seed in range(seeds):
            r = grade(check_id, fn, seed=seed)
            ok = (r.mistakes == expected and r.correct == (not expected)
                  and (where is None or where in r.message) and sorted(r.readings) == readings)
            counts[kind][0] += ok
            counts[kind][1] += 1
            if not ok:
                failures.append(f"{path.parent.name}/{path.name} {check_id} seed {seed}: {r.mistakes} "
                                f"{r.readings or ''} (expected {expected}{', ' + where if where else ''})")
            elif kind == "single" and seed == 0:
                sites.add((check_id, r.message.split("\n")[2]))     # the "What we found" line: id and place
    return counts, failures, len(files), len(sites)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=60, help="grades per case (default 60)")
    parser.add_argument("--accuracy", action="store_true", help="run the accuracy sweep instead of the timings")
    parser.add_argument("--seeds", type=int, default=20, help="seeds per fixture in the accuracy sweep")
    args = parser.parse_args()
    if args.accuracy:
        start = time.perf_counter()
        counts, failures, n_files, n_sites = accuracy(args.seeds)
        print(f"accuracy sweep: {n_files} fixture files, {args.seeds} seeds, {time.perf_counter() - start:.0f} s")
        for kind, (right, total) in counts.items():
            print(f"  {kind:13} {right:5}/{total:<5} {100 * right / max(total, 1):6.2f}%")
        print(f"  distinct (check, mistake at a site set) named by single fixtures: {n_sites}")
        for failure in failures:
            print("  FAIL", failure)
        sys.exit(1 if failures else 0)
    cases = {}
    for check_id in all_check_ids():
        exercise, check = load(check_id)
        space = space_of(exercise, check.name)
        computed = [p for p in space.pairs if all(space.info[k][2] is None for k in p)]
        cases[check_id] = {
            "correct": student(check),
            "mistake": student(check, space.singles[-1]),       # the last single: a mistake at several sites
            "pair": student(check, computed[-1]),               # the last pair whose mutant takes a backward pass
            "unrecognised": student(check, scale=1.37) if check.kind != "triple"
            else student(check, frozenset(["loss_factor_half", "mean_instead_of_sum", "missing_sigma_prime_layer2"]))}
    # Seeds outside, cases inside: a slow spell of this shared machine spreads over every case
    # instead of landing on the one being timed.
    times = {(c, name): [] for c in cases for name in cases[c]}
    unit, backward = [], backward_pass()
    cpu, cpu_unit = {key: [] for key in times}, []
    for seed in range(args.repeat):
        unit.append(backward())
        cpu_unit.append(backward(time.process_time))
        for check_id, fns in cases.items():
            for name, fn in fns.items():
                start, start_cpu = time.perf_counter(), time.process_time()
                grade(check_id, fn, seed=seed)
                times[check_id, name].append((time.perf_counter() - start) * 1000)
                cpu[check_id, name].append((time.process_time() - start_cpu) * 1000)
    print(f"{'check':24} {'correct ms':>16} {'mistake ms':>16} {'pair ms':>16} {'unrecognised ms':>18}")
    print(f"{'':24} {'median    p95':>16} {'median    p95':>16} {'median    p95':>16} {'median    p95':>18}")
    worst = dict.fromkeys(("correct", "mistake", "pair", "unrecognised"), 0.0)
    for check_id, fns in cases.items():
        row = []
        for name in fns:
            t = sorted(times[check_id, name])
            med, p95 = statistics.median(t), t[int(0.95 * (len(t) - 1))]
            worst[name] = max(worst[name], med)
            row.append(f"{med:7.2f} {p95:7.2f}")
        print(f"{check_id:24} {row[0]:>16} {row[1]:>16} {row[2]:>16} {row[3]:>18}")
    print(f"\nworst median: correct {worst['correct']:.2f} ms (target < 2), mistake {worst['mistake']:.2f} ms, "
          f"pair {worst['pair']:.2f} ms (target < 10), unrecognised {worst['unrecognised']:.2f} ms")
    backward = statistics.median(unit)
    print(f"one reference backward pass, timed alongside: {backward * 1000:.1f} µs median; the worst medians "
          f"are {worst['correct'] / backward:.0f} (correct) and {worst['pair'] / backward:.0f} (pair) of them")
    # CPU time of this process: what a grade costs, whatever else the machine runs meanwhile.
    worst_cpu = {name: max(statistics.median(cpu[c, name]) for c in cases) for name in worst}
    unit_cpu = statistics.median(cpu_unit)
    print(f"CPU time, the same grades: worst medians correct {worst_cpu['correct']:.2f} ms, pair "
          f"{worst_cpu['pair']:.2f} ms, unrecognised {worst_cpu['unrecognised']:.2f} ms; backward pass "
          f"{unit_cpu * 1000:.1f} µs; in backward passes {worst_cpu['correct'] / unit_cpu:.0f} (correct), "
          f"{worst_cpu['pair'] / unit_cpu:.0f} (pair), {worst_cpu['unrecognised'] / unit_cpu:.0f} (unrecognised)")


if __name__ == "__main__":
    main()
