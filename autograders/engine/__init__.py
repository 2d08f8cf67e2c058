"""The grading engine: trials, the guarded call, the diagnosis against the catalogue, the messages.

Pure Python and NumPy; it imports nothing of integrity/ or instructor/.

grading     grade() and check(): a Result with score, mistakes and message
trials      random non-degenerate trials per check, the reference and every mutant on them
diagnose    which catalogued mistake (or pair) the student's outputs match
guard       the contract of one call: time limit, captured output, copied arguments
outputs     reading a student's return value, relative error
hints       structure of an unrecognised answer (sign, factor, which entries)
numerical   is this a finite-difference "gradient"?
feedback    what/why/fix messages and the feedback HTML
seeds       trial seeds from the course secret, the student and the check
settings    tolerance, time limits, policies (environment, nbgrader_config.py, defaults)
course      where a course directory's files are, its config, its lock
catalogue/  the mistakes, one module per exercise
discovery/  probe trials, grouping and candidate explanations for answers no mistake names
"""
