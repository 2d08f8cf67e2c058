"""Grading engine for the backpropagation exercises: `grade` diagnoses, `check` is for hidden tests."""
from .grading import Result, check, grade

__all__ = ["Result", "check", "grade"]
