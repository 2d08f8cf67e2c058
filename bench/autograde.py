"""Sequential `nbgrader autograde` against `backprop-grader autograde --jobs N`, side by side in one run.

Builds one class of mixed submissions (correct styles, catalogued mistakes, pairs,
broken code) for one assignment, copies it into two identical course directories,
grades one with nbgrader and the other with ours (including the out-of-kernel
verification), checks that the two gradebooks hold the same grades and comments,
and prints the times and the speed-up. Run: .venv/bin/python bench/autograde.py
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograders.instructor import demo
from autograders.engine.course import gradebook_url, tool_env
from autograders.instructor.parallel import autograded_outputs as outputs, gradebook_snapshot


def build_class(root, assignment, n):
    demo.make_course(root)
    demo.release(root)
    plans = [p for p in demo.roster(n) if p.assignment == assignment]
    for plan in plans:
        demo.submit(root, plan)
    return len(plans)


def snapshot(root, assignment):
    return gradebook_snapshot(gradebook_url(root), assignment)


def run(cmd, cwd, env):
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=tool_env(env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return time.perf_counter() - start, proc


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--assignment", default="scalar_chain")
    parser.add_argument("--jobs", type=int, default=2 * (os.cpu_count() or 1), help="as the CLI (default 2 x CPUs)")
    parser.add_argument("--keep", action="store_true",
                        help="on a difference, keep both course directories and both commands' logs, and say where")
    args = parser.parse_args()
    env = {"BACKPROP_COURSE_SECRET": "bench-secret"}
    work = Path(tempfile.mkdtemp(prefix="backprop-bench-"))
    try:
        seq, par = work / "sequential", work / "parallel"
        n = build_class(seq, args.assignment, args.students)
        shutil.copytree(seq, par)
        print(f"{n} submissions of {args.assignment}, {os.cpu_count()} CPUs")
        t_seq, p1 = run([sys.executable, "-m", "nbgrader", "autograde", args.assignment, "--force"], seq, env)
        t_par, p2 = run([sys.executable, "-m", "autograders.instructor.cli", "autograde", args.assignment, "--jobs",
                         str(args.jobs), "--force"], par, env)
        (work / "sequential.log").write_text(p1.stdout)
        (work / "parallel.log").write_text(p2.stdout)
        if p2.returncode not in (0, 1):
            print(p2.stdout[-3000:])
            raise SystemExit("backprop-grader autograde failed")
        a, b = snapshot(seq, args.assignment), snapshot(par, args.assignment)
        differ = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        print(f"nbgrader autograde (sequential):            {t_seq:7.1f} s  ({t_seq / n:.2f} s per submission)")
        print(f"backprop-grader autograde --jobs {args.jobs} (+verify): {t_par:7.1f} s  ({t_par / n:.2f} s per submission)")
        oa, ob = outputs(seq, args.assignment), outputs(par, args.assignment)
        out_differ = sorted(s for s in set(oa) | set(ob) if oa.get(s) != ob.get(s))
        print(f"speed-up: {t_seq / t_par:.2f}x   gradebooks: "
              + ("identical" if not differ else f"{len(differ)} DIFFERENCES, e.g. {differ[:3]}")
              + "   autograded outputs: "
              + ("identical" if not out_differ else f"differ for {out_differ[:5]}"))
        print(f"({len(a)} grade, comment and total rows compared)")
        for student in out_differ[:1]:
            if student not in oa or student not in ob:
                print(f"{student}: no autograded notebook in the {'sequential' if student not in oa else 'parallel'} run")
                continue
            cells = [(k, x, y) for k, (x, y) in enumerate(zip(oa[student], ob[student])) if x != y]
            print(f"first output difference, {student}, cell {cells[0][0]}:\n  sequential: {str(cells[0][1])[:600]}"
                  f"\n  parallel:   {str(cells[0][2])[:600]}" if cells else f"{student}: cell count differs")
        flags = [line for line in p2.stdout.splitlines() if line.startswith(("flag", "failed"))]
        if flags:
            print("verification flags:\n  " + "\n  ".join(flags))
        if (differ or out_differ) and args.keep:
            print(f"kept for inspection: {work} (sequential/, parallel/, sequential.log, parallel.log)")
            work = None
        return 1 if differ or out_differ else 0
    finally:
        if work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
