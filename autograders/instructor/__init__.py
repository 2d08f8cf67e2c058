"""The instructor's tools: the CLI and what it runs. Imports the engine and integrity.

cli                          `backprop-grader`: the parser; cli_grading (autograde, verify), cli_course (the rest)
parallel, pool, worker, markers, interrupts
                             autograde N submissions at a time (or on Dask), what is done, faults, Ctrl-C
report, discovery_section, summary, records, exports
                             the class report and LMS files
mistake_draft                `backprop-grader mistake draft`
course_check (+ _cells, _render)   `backprop-grader check-course`
demo, classroom              `make demo`'s simulated class
hub, hub_users               a JupyterHub for the course on one machine
service/                     the instant-feedback service
"""
