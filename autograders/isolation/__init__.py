"""Isolation of student code, for kernels and verification alike (issue 21): how it is set up and
what a run does when it cannot be (mode.py: fail closed unless --allow-unisolated)."""
