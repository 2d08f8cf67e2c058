"""Grading engine for the backpropagation exercises: `grade` diagnoses, `check` is for hidden tests."""
from .engine.grading import Result, check, grade

__all__ = ["Result", "check", "grade"]
