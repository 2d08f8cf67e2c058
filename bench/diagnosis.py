"""Time `grade` per check: a correct answer, one mistake, a pair of mistakes, and an unrecognised answer.

A pair is found only after every single mistake failed; the unrecognised answer
is the slowest path: every single, every pair and the structural hints are tried
before giving up. Run: make bench  (or .venv/bin/python bench/diagnosis.py)
"""
import argparse
import statistics
import time

import numpy as np

from autograders import grade
from autograders.catalogue import all_check_ids, load


def student(check, knobs=frozenset(), scale=1.0):
    """A student function computing the reference with `knobs` on, times `scale`."""
    def fn(*args):
        out = check.compute(dict(zip(check.params, args)), knobs)
        if check.view is not None:          # sgd_step: return the new weights, not the step
            old = np.array([args[2], args[3], args[4]])
            out = np.asarray(out) + old.reshape((3,) + (1,) * (np.ndim(out) - 1))
        return tuple(out) if check.kind == "triple" else out * scale
    return fn


def timings(check_id, fn, repeat):
    times = []
    for seed in range(repeat):
        start = time.perf_counter()
        grade(check_id, fn, seed=seed)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=60, help="grades per case (default 60)")
    args = parser.parse_args()
    print(f"{'check':24} {'correct ms':>16} {'mistake ms':>16} {'pair ms':>16} {'unrecognised ms':>18}")
    print(f"{'':24} {'median    p95':>16} {'median    p95':>16} {'median    p95':>16} {'median    p95':>18}")
    worst = {"correct": 0.0, "mistake": 0.0, "pair": 0.0, "unrecognised": 0.0}
    for check_id in all_check_ids():
        exercise, check = load(check_id)
        mistakes = exercise.mistakes_for(check.name)
        first, last = mistakes[0].knobs()[0], mistakes[-1].knobs()[-1]
        cases = {"correct": student(check),
                 "mistake": student(check, frozenset([first])),
                 "pair": student(check, frozenset([first, last])),
                 "unrecognised": student(check, scale=1.37) if check.kind != "triple"
                 else student(check, frozenset(["loss_factor_half", "mean_instead_of_sum",
                                                "missing_sigma_prime_layer2"]))}
        row = []
        for name, fn in cases.items():
            med, p95 = timings(check_id, fn, args.repeat)
            worst[name] = max(worst[name], med)
            row.append(f"{med:7.2f} {p95:7.2f}")
        print(f"{check_id:24} {row[0]:>16} {row[1]:>16} {row[2]:>16} {row[3]:>18}")
    print(f"\nworst median: correct {worst['correct']:.2f} ms (target < 2), mistake {worst['mistake']:.2f} ms, "
          f"pair {worst['pair']:.2f} ms (target < 10), unrecognised {worst['unrecognised']:.2f} ms")


if __name__ == "__main__":
    main()
