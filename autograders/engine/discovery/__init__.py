"""Mistake discovery: what the class got wrong that the catalogue does not name (issue 17).

probes      a student's outputs on the class-wide probe trials of a check (recorded in verification)
groups      the students of a check whose probe outputs agree, ranked by size
candidates  a wider search than grading: up to three catalogued mistakes, generic operators
operators   generic edits of the reference's backward pass, each a knob line
section     the report's "Not yet in the catalogue" (instructor only: it shows a student's code)
draft       `backprop-grader mistake draft`: what adding a group to the catalogue takes
"""
