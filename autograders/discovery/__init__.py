"""Mistake discovery: what the class got wrong that the catalogue does not name (issue 17).

probes     record a student's outputs on the class-wide probe trials of a check (in verification)
groups     cluster the students of a check whose probe outputs agree
candidates search wider than grading for an explanation that fits every member of a group
"""
