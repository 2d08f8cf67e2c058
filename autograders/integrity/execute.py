"""The Execute preprocessor nbgrader's autograde runs here (named in nbgrader_config.py)."""
import os

from nbgrader.preprocessors import Execute

from .kernel import JailedKernelManager
from .kernel_fork import ForkKernelManager


class JailedExecute(Execute):
    """nbgrader's Execute preprocessor, unchanged except for the kernel manager
    (forked kernels when BACKPROP_FORK_KERNELS is set, as `backprop-grader autograde` does)."""

    def __init__(self, *args, **kwargs):
        manager = ForkKernelManager if os.environ.get("BACKPROP_FORK_KERNELS") else JailedKernelManager
        kwargs.setdefault("kernel_manager_class", manager)
        super().__init__(*args, **kwargs)
