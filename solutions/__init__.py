"""Reference forward passes and gradients, one module per exercise.

Each module's `gradients(...)` is the backward pass written once, one
chain-rule factor per line; the graded functions of EXERCISES.md are thin
wrappers around it. Passing `mistakes=` switches catalogued chain-rule
mistakes on at the factors they change (see `factors.py`), so the grader's
mutants come from the same lines as the reference.
"""
