"""Integrity: student code runs jailed, grades are verified out of the kernel, every write is recorded.

Imports the engine, never instructor/.

namespaces        covers, namespaces and privileges both kernels and the sandbox use (nothing runs student code)
jail              stdlib-only steps a jailed process takes on itself (PID namespace, /proc, privileges)
mode              fail closed: what a run does when isolation cannot be set up (--allow-unisolated)
secret            the verification secret, kept on the grader's side
kernel            nbgrader's kernels in their own namespaces (JailedKernelManager)
kernel_fork       kernels forked from a warm template (the fork server)
execute           the Execute preprocessor nbgrader_config.py names
sandbox           the verification sandbox, the grader's side; sandbox_server its template,
                  sandbox_protocol its bounded wire protocol, sandbox_runner the child's side
verify            re-grade every submission in the sandbox on secret trials, flag, override
static_flags      the static scan of student cells
notebook_cells    the cells verification runs, as the kernel ran them
nbgrader_plugins  nbgrader preprocessors and helpers (submission metadata, hidden-test cells)
evidence          reports/verify/<assignment>.json
ledger            every score the tool writes, before and after, and how to undo it
"""
