"""The Execute preprocessor nbgrader's autograde runs here (named in nbgrader_config.py)."""
import os
import stat

from nbgrader.preprocessors import Execute

from .kernel import JailedKernelManager
from .kernel_fork import ForkKernelManager


class JailedExecute(Execute):
    """nbgrader's Execute preprocessor with our kernel manager (forked kernels when BACKPROP_FORK_KERNELS is
    set, as `backprop-grader autograde` does), and the kernel's folder made safe for the grader afterwards."""

    def __init__(self, *args, **kwargs):
        manager = ForkKernelManager if os.environ.get("BACKPROP_FORK_KERNELS") else JailedKernelManager
        kwargs.setdefault("kernel_manager_class", manager)
        super().__init__(*args, **kwargs)

    def preprocess(self, nb, resources, *args, **kwargs):
        try:
            return super().preprocess(nb, resources, *args, **kwargs)
        finally:                                   # the kernel and everything it started are gone by now
            folder = (resources or {}).get("metadata", {}).get("path")
            for path in only_plain_files(folder) if folder else ():
                self.log.warning("removed %s from the kernel's folder: not a plain file (a trap for the grader)", path)


def only_plain_files(folder):
    """Remove from the kernel's folder whatever is not a plain file or folder: a symlink the kernel left
    where nbgrader then writes the autograded notebook (and sets it 0444) would make the grader, with its
    rights, overwrite the gradebook or any file the link names; a FIFO would block it. Returns what went."""
    removed = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in [*dirnames, *filenames]:
            path = os.path.join(dirpath, name)
            try:
                mode = os.lstat(path).st_mode
                if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                    os.unlink(path)
                    removed.append(path)
            except OSError:
                pass
    return removed
