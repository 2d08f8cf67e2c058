"""Integrity: student code runs jailed, grades are verified out of the kernel, every write is recorded.

Imports the engine, never instructor/.

bubblewrap        the one sandbox (bwrap) every process that runs student code starts in; why bubblewrap
cgroups           a cgroup per sandbox where the grader may make one (memory, processes)
jail              stdlib-only steps a template's forked child takes on itself (PID namespace, own folders, privileges)
mode              fail closed: what a run does when isolation cannot be set up (--allow-unisolated)
secret            the verification secret, kept on the grader's side
kernel            nbgrader's kernels in the sandbox (JailedKernelManager)
kernel_fork       kernels forked from a warm template (the fork server)
execute           the Execute preprocessor nbgrader_config.py names (and the kernel's folder made safe after)
sandbox           the verification sandbox, the grader's side; sandbox_server its template,
                  sandbox_protocol its bounded wire protocol, sandbox_runner the child's side
verify            re-grade every submission in the sandbox on secret trials, flag, override
static_flags      the static scan of student cells
notebook_cells    the cells verification runs, as the kernel ran them
nbgrader_plugins  nbgrader preprocessors and helpers (submission metadata, hidden-test cells)
evidence          reports/verify/<assignment>.json
ledger            every score the tool writes, before and after, and how to undo it
"""
