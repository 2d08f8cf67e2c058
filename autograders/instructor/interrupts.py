"""Ctrl-C during a parallel autograde.

The first Ctrl-C stops handing out work: submissions not yet started are cancelled,
those in flight finish (or fail) cleanly, their kernels and temporary folders are
cleaned up as usual, and the command exits 130. Workers run in their own process
group, so the terminal's SIGINT reaches this process only, never a kernel in the
middle of a hidden test. The second Ctrl-C ends at once: this process is a child
subreaper, so every process started under it (workers, kernel templates, kernels,
verification sandboxes, even those that left their session) is found, killed and
reaped, and the workers' `backprop-kernels-<pid>-*` folders of kernel homes are removed.
"""
import ctypes
import os
import shutil
import signal
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def worker_init():
    """In each worker: a process group of its own (the terminal's Ctrl-C is for the command, not for it)."""
    os.setpgrp()


class Interrupts:
    """Around a pool's work: install(), watch(futures), `.stopping` after the first Ctrl-C, restore()."""

    def __init__(self):
        self.stopping, self.futures, self.previous = False, [], None

    def install(self):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        except (OSError, AttributeError):
            pass
        self.previous = signal.signal(signal.SIGINT, self._on_sigint)
        return self

    def restore(self):
        signal.signal(signal.SIGINT, self.previous or signal.default_int_handler)

    def watch(self, futures):
        self.futures = list(futures)
        if self.stopping:
            self._cancel()

    def _cancel(self):
        for future in self.futures:
            future.cancel()

    def _on_sigint(self, signum, frame):
        if not self.stopping:
            self.stopping = True
            self._cancel()
            print("\nbackprop-grader: interrupted: no new submissions; waiting for those being graded "
                  "(Ctrl-C again to stop at once)", file=sys.stderr, flush=True)
            return
        print("\nbackprop-grader: interrupted again: stopping at once", file=sys.stderr, flush=True)
        kill_descendants()
        os._exit(130)


def _children():
    """{pid: parent pid} of every process on this machine that /proc shows."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
                parents[int(entry)] = int(stat[stat.rindex(")") + 2:].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    return parents


def _descendants(root):
    parents = _children()
    found, frontier = [], [root]
    while frontier:
        pid = frontier.pop()
        kids = [p for p, pp in parents.items() if pp == pid]
        found += kids
        frontier += kids
    return found


def _kernel_homes(pids):
    """The folders of kernel homes these processes made (integrity/kernel.py's homes_root)."""
    from ..integrity.kernel import homes_roots_of
    return homes_roots_of(pids)


def kill_descendants(deadline=3.0):
    """SIGKILL every process below this one until none is left (orphans come back to a subreaper);
    then remove the folders of the kernels among them."""
    me, homes, end = os.getpid(), set(), time.monotonic() + deadline
    while time.monotonic() < end:
        pids = _descendants(me)
        if not pids:
            break
        homes |= _kernel_homes(pids)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        except ChildProcessError:
            pass
        time.sleep(0.02)
    _remove(homes)


def remove_kernel_homes(pids):
    """Remove the folders of kernel homes of these processes (once they are gone: a Solo's killed worker)."""
    _remove(_kernel_homes(pids))


def _remove(homes):
    for home in homes:
        shutil.rmtree(home, ignore_errors=True)
