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


def course_config(root, db_url=None):
    """The course's nbgrader_config.py, as nbgrader loads it, rooted at `root`."""
    from traitlets.config.loader import PyFileConfigLoader
    try:
        config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    except Exception as err:                          # noqa: BLE001 - a config file that does not run
        raise CourseError(f"{Path(root) / 'nbgrader_config.py'} cannot be loaded: "
                          f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}") from None
    config.CourseDirectory.root = str(root)
    if db_url:
        config.CourseDirectory.db_url = db_url
    return config


def gradebook_url(root, db_url=None):
    """The gradebook nbgrader uses: `db_url` when given, else c.CourseDirectory.db_url of the course's
    nbgrader_config.py, else gradebook.db in the course root (as nbgrader decides it)."""
    if db_url:
        return db_url
    if (Path(root) / "nbgrader_config.py").is_file():
        configured = course_config(root).CourseDirectory.get("db_url")
        if configured:
            return str(configured)
    return f"sqlite:///{Path(root) / 'gradebook.db'}"


def write_atomic(path, text):
    """Write `text` to `path` so that a reader sees the old file or the new one, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


class CourseLock:
    """An exclusive lock on the course for one run of autograde, verify or undo: a second run at the
    same time stops with a one-line error instead of grading the same submissions twice."""

    def __init__(self, root):
        self.path = Path(root) / ".backprop-grader.lock"
        self.fd = None

    def __enter__(self):
        import fcntl
        try:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:
            raise CourseError(f"cannot create the course lock {self.path}: {err.strerror}") from None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(self.fd, 100).decode(errors="replace").strip() or "?"
            os.close(self.fd)
            raise CourseError(f"another backprop-grader run is working on this course (pid {holder}); "
                              f"wait for it to end (lock: {self.path})") from None
        os.ftruncate(self.fd, 0)
        os.write(self.fd, f"{os.getpid()}\n".encode())
        return self

    def __exit__(self, *exc):
        os.ftruncate(self.fd, 0)
        os.close(self.fd)


def source_notebook(root, assignment):
    return Path(root) / "source" / assignment / f"{assignment}.ipynb"
