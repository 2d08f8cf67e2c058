"""A cgroup per sandbox, where the grader may make them: memory and process limits that hold for the
sandbox as a whole (its forks included) and an out-of-memory kill that stays inside it.

The grader makes child groups of its own cgroup: as root on cgroup v1 (memory and pids hierarchies) or
on cgroup v2 where both controllers are delegated to its group. Elsewhere (an ordinary user without a
delegated cgroup) `Group` is None and bubblewrap.limits' rlimits are the limits.
"""
import os
import signal
import time
import uuid
from functools import lru_cache

ROOT = "/sys/fs/cgroup"
CONTROLLERS = ("memory", "pids")


def _own_paths():
    """{controller or '': this process's cgroup path} from /proc/self/cgroup ('' is cgroup v2's)."""
    paths = {}
    try:
        with open("/proc/self/cgroup") as f:
            for line in f:
                _, names, path = line.rstrip("\n").split(":", 2)
                for name in names.split(",") if names else [""]:
                    paths[name] = path
    except (OSError, ValueError):
        pass
    return paths


def _can_make_child(folder):
    probe = os.path.join(folder, f"backprop-probe-{os.getpid()}-{uuid.uuid4().hex[:6]}")
    try:
        os.mkdir(probe)
        os.rmdir(probe)
        return True
    except OSError:
        return False


@lru_cache(maxsize=None)
def bases():
    """{controller: folder under which a group can be made}, v1 or v2; {} when cgroups are not ours here."""
    own = _own_paths()
    v1 = {c: os.path.join(ROOT, c) + own[c] for c in CONTROLLERS if c in own}
    if len(v1) == len(CONTROLLERS) and all(_can_make_child(folder) for folder in v1.values()):
        return v1
    if "" in own and os.path.exists(os.path.join(ROOT, "cgroup.controllers")):
        folder = ROOT + own[""]
        try:
            with open(os.path.join(folder, "cgroup.subtree_control")) as f:
                delegated = f.read().split()
        except OSError:
            delegated = []
        if all(c in delegated for c in CONTROLLERS) and _can_make_child(folder):
            return {"": folder}
    return {}


def available():
    return bool(bases())


class Group:
    """One sandbox's cgroup: `memory_bytes` of memory and `processes` processes for everything in it."""

    def __init__(self, memory_bytes, processes):
        name = f"backprop-{os.getpid()}-{uuid.uuid4().hex[:10]}"
        self.folders = [os.path.join(base, name) for base in bases().values()]
        for folder in self.folders:
            os.mkdir(folder)
        self._limit("memory.max" if "" in bases() else "memory.limit_in_bytes", memory_bytes)
        self._limit("pids.max", processes)

    def _limit(self, name, value):
        for folder in self.folders:
            if os.path.exists(os.path.join(folder, name)):
                with open(os.path.join(folder, name), "w") as f:
                    f.write(str(int(value)))

    def add(self, pid):
        """Move `pid` (0: this process, in a preexec_fn) into the group; its later forks stay in it."""
        for folder in self.folders:
            with open(os.path.join(folder, "cgroup.procs"), "w") as f:
                f.write(str(pid or os.getpid()))

    def pids(self):
        found = set()
        for folder in self.folders:
            try:
                with open(os.path.join(folder, "cgroup.procs")) as f:
                    found.update(int(p) for p in f.read().split())
            except OSError:
                pass
        return found

    def oom_killed(self):
        """True if the kernel killed a process of this group for running out of its memory."""
        for folder in self.folders:
            for name in ("memory.events", "memory.oom_control"):
                try:
                    with open(os.path.join(folder, name)) as f:
                        counts = dict(line.split()[:2] for line in f if len(line.split()) >= 2)
                except OSError:
                    continue
                if int(counts.get("oom_kill", 0)) > 0:
                    return True
        return False

    def close(self, wait=1.0):
        """Kill what is left in the group and remove it (retried for `wait` seconds while processes exit)."""
        deadline = time.monotonic() + wait
        while self.folders:
            for pid in self.pids():
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            for folder in list(self.folders):
                try:
                    os.rmdir(folder)
                    self.folders.remove(folder)
                except FileNotFoundError:
                    self.folders.remove(folder)
                except OSError:
                    pass
            if not self.folders or time.monotonic() > deadline:
                return
            time.sleep(0.01)


def group(memory_bytes, processes):
    """A new Group, or None where cgroups are not the grader's to make (the rlimits then hold alone)."""
    if not available():
        return None
    try:
        return Group(memory_bytes, processes)
    except OSError:
        return None
