"""The nbgrader course directory: finding it, and running nbgrader commands in it."""
import os
import subprocess
import sys
from pathlib import Path

ASSIGNMENTS = ("scalar_chain", "matrix_mlp", "multi_path")


class CourseError(Exception):
    """A problem the instructor can fix; shown as one line, never a traceback."""


def find_root(start=None):
    """The nearest directory at or above `start` holding nbgrader_config.py (as nbgrader finds it)."""
    here = Path(start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if (d / "nbgrader_config.py").is_file():
            return d
    raise CourseError(f"no nbgrader_config.py in {here} or above: run this inside a course directory")


def tool_env(extra=None):
    """The environment for nbgrader: this Python's bin/ first on PATH (nbgrader shells out to alembic)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(extra or {})
    return env


def nbgrader(root, *args, check=True, quiet=True, env=None):
    """Run `nbgrader ARGS` in the course root; CourseError with nbgrader's last lines on failure."""
    cmd = [sys.executable, "-m", "nbgrader", *args]
    proc = subprocess.run(cmd, cwd=root, env=tool_env(env), text=True,
                          stdout=subprocess.PIPE if quiet else None, stderr=subprocess.STDOUT if quiet else None)
    if check and proc.returncode != 0:
        tail = "\n".join((proc.stdout or "").strip().splitlines()[-15:])
        raise CourseError(f"`nbgrader {' '.join(args)}` failed (exit {proc.returncode}):\n{tail}")
    return proc


def gradebook_url(root, db_url=None):
    """The gradebook nbgrader uses: `db_url` when given, else gradebook.db in the course root."""
    return db_url or f"sqlite:///{Path(root) / 'gradebook.db'}"


def source_notebook(root, assignment):
    return Path(root) / "source" / assignment / f"{assignment}.ipynb"
