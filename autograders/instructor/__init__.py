"""The instructor's tools: the CLI and what it runs. Imports the engine and integrity.

cli, commands   `backprop-grader` and its commands
parallel, pool, interrupts   autograde N submissions at a time (or on Dask), faults, Ctrl-C
report, discovery_section, summary, records, exports   the class report and LMS files
mistake_draft   `backprop-grader mistake draft`
demo, classroom `make demo`'s simulated class
hub             a JupyterHub for the course on one machine
service/        the instant-feedback service
"""
