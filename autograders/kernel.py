"""The kernel nbgrader autograde starts, run as user `nobody` when grading as root.

The student's code runs in that kernel, so it must not be able to write the gradebook,
the course files or other students' work. Started by root, the kernel drops to
`nobody` (util-linux `setpriv`), which can read the Python installation and its own
notebook's folder but write none of the instructor's files. Started by an ordinary
user it runs as that user, as nbgrader does (see README, "Integrity").
"""
import os
import shutil
import tempfile
import uuid

from jupyter_client.manager import AsyncKernelManager
from nbgrader.preprocessors import Execute

NOBODY = 65534


def can_drop_privileges():
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("setpriv") is not None


class NobodyKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernel process runs as nobody (when we are root)."""

    async def _async_pre_start_kernel(self, **kw):
        if can_drop_privileges():
            self._home = tempfile.mkdtemp(prefix="backprop-kernel-")
            os.chmod(self._home, 0o777)                           # the kernel's HOME and connection file
            self.connection_file = os.path.join(self._home, f"kernel-{uuid.uuid4()}.json")
        return await super()._async_pre_start_kernel(**kw)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if can_drop_privileges():
            os.chmod(self.connection_file, 0o644)
            env = dict(kw.get("env") or os.environ)
            env.update(HOME=self._home, IPYTHONDIR=os.path.join(self._home, ".ipython"),
                       MPLCONFIGDIR=os.path.join(self._home, ".mpl"), JUPYTER_RUNTIME_DIR=self._home)
            kw["env"] = env
            kernel_cmd = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                          "--inh-caps=-all", *kernel_cmd]
        return await super()._async_launch_kernel(kernel_cmd, **kw)

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        home = getattr(self, "_home", None)
        if home and not restart:
            shutil.rmtree(home, ignore_errors=True)


class NobodyExecute(Execute):
    """nbgrader's Execute preprocessor, unchanged except for the kernel manager."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", NobodyKernelManager)
        super().__init__(*args, **kwargs)
