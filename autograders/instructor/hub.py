"""The course on a JupyterHub on this machine: local Unix users, JupyterLab with nbgrader, nbgrader's exchange.

    make hub                     # as root: installs what is missing, then runs python -m autograders.instructor.hub

The hub listens on 127.0.0.1 only. An instructor and three students are created as Unix users when missing
(home 0700, no Unix password: they log in to the hub with a shared password, printed at start). The
instructor's home holds a copy of the course (nbgrader_config.py and source/) and the gradebook; the
exchange is a shared directory with mode 1777, as nbgrader documents. A real deployment changes the
authenticator (here SharedPasswordAuthenticator; e.g. PAMAuthenticator or an OAuthenticator) and the
spawner (here LocalProcessSpawner; e.g. SystemdSpawner or DockerSpawner), see README ("Trying the course on
a JupyterHub"). The instant-feedback service (backprop-grader serve) is a hub service run as the instructor.
"""
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from autograders.instructor.hub_users import _kill, _kill_group, chown_tree, ensure_user, processes_of
from autograders.instructor.service.hub import NAME as FEEDBACK_NAME, config_text

COURSE = "backprop"
INSTRUCTOR = "bp-instructor"
STUDENTS = ("bp-alice", "bp-bob", "bp-carol")
HUB_DIR = Path(os.environ.get("BACKPROP_HUB_DIR", "/srv/backprop-hub"))
REPO = Path(__file__).resolve().parents[2]           # the course directory this package came with

#: What students never see: the instructor's panels (formgrader, Create Assignment, the course list).
STUDENT_LAB_OFF = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                   "@jupyter/nbgrader:course-list")
STUDENT_SERVER_OFF = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")

CONFIG = """\
# Written by autograders/instructor/hub.py; do not edit (it is rewritten at every start).
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.JupyterHub.db_url = "sqlite:///{state}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{state}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = "{state}/jupyterhub.pid"

# A real deployment changes these two: the authenticator (PAMAuthenticator, an OAuthenticator or
# LTIAuthenticator of the university) and the spawner (SystemdSpawner, DockerSpawner, KubeSpawner).
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {user_password!r}
c.SharedPasswordAuthenticator.admin_password = {admin_password!r}
c.Authenticator.allowed_users = {students!r}
c.Authenticator.admin_users = {{{instructor!r}}}
c.JupyterHub.spawner_class = "localprocess"

# Every user's server runs this venv (made from /usr/bin/python3, readable by all) and opens JupyterLab.
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {{"PATH": {path!r}, "LANG": "C.UTF-8", "JUPYTER_CONFIG_PATH": {config_path!r}}}
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 120
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Hub:
    """One hub: its venv, its state and exchange under `root`, its users, its ports."""
    venv: Path = HUB_DIR / "venv"
    root: Path = HUB_DIR
    proxy: str = os.environ.get("BACKPROP_HUB_PROXY", str(HUB_DIR / "node/bin/configurable-http-proxy"))
    port: int = 8000
    instructor: str = INSTRUCTOR
    students: tuple = STUDENTS
    user_password: str = ""
    admin_password: str = ""
    feedback_port: int = 0                              # the instant-feedback service (issue 16); 0: a free one
    process: subprocess.Popen = field(default=None, repr=False)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def state(self):
        return self.root / "state"

    @property
    def exchange(self):
        return self.root / "exchange"

    @property
    def users(self):
        return (self.instructor, *self.students)

    def home(self, user):
        return Path(pwd.getpwnam(user).pw_dir)

    @property
    def course(self):
        return self.home(self.instructor) / COURSE

    # -- setting up: users, the instructor's course, the exchange, per-user configuration -------------

    def prepare(self, fresh=False):
        """Create what is missing; with `fresh`, the users' homes and the exchange start empty."""
        for path in (self.venv / "bin/jupyterhub", self.venv / "bin/nbgrader", Path(self.proxy)):
            if not path.exists():
                raise SystemExit(f"{path} is missing: run `make hub-install` (as root)")
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)
        self.state.mkdir(exist_ok=True)
        self.state.chmod(0o700)
        if fresh and self.exchange.exists():
            shutil.rmtree(self.exchange)
        self.exchange.mkdir(exist_ok=True)
        self.exchange.chmod(0o1777)                       # nbgrader: writable by everyone, sticky
        self._passwords()
        for user in self.users:
            ensure_user(user, fresh)
        self._nbgrader_config()
        self._lab_settings()
        self._instructor()
        for student in self.students:
            self._student(student)

    def _passwords(self):
        """Kept in state/ (root only) so that a restart keeps them; admin passwords must be >= 32 chars."""
        path = self.state / "passwords.json"
        if path.exists():
            saved = json.loads(path.read_text())
        else:
            saved = {"user": secrets.token_urlsafe(12), "admin": secrets.token_urlsafe(32)}
            path.write_text(json.dumps(saved))
            path.chmod(0o600)
        self.user_password = self.user_password or saved["user"]
        self.admin_password = self.admin_password or saved["admin"]

    @property
    def config_path(self):
        """This hub's Jupyter config directory, on every user's JUPYTER_CONFIG_PATH (servers and commands)."""
        return self.root / "etc/jupyter"

    def _nbgrader_config(self):
        """The course id and the exchange, the same for everyone on this hub."""
        etc = self.config_path
        etc.mkdir(parents=True, exist_ok=True)
        for path in (etc, etc.parent):
            path.chmod(0o755)
        (etc / "nbgrader_config.py").write_text(
            "c = get_config()  # noqa: F821  (written by autograders/instructor/hub.py)\n"
            f"c.CourseDirectory.course_id = {COURSE!r}\n"
            f"c.Exchange.root = {str(self.exchange)!r}\n")
        (etc / "nbgrader_config.py").chmod(0o644)

    def _lab_settings(self):
        """JupyterLab defaults for everyone on the hub: no prompt about Jupyter news."""
        settings = self.venv / "share/jupyter/lab/settings"
        settings.mkdir(parents=True, exist_ok=True)
        (settings / "overrides.json").write_text(json.dumps(
            {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}},
            indent=1))
        (settings / "overrides.json").chmod(0o644)

    def _instructor(self):
        user = self.instructor
        course = self.course
        if not (course / "nbgrader_config.py").exists():
            course.mkdir(parents=True, exist_ok=True)
            shutil.copy(REPO / "nbgrader_config.py", course)
            shutil.copytree(REPO / "source", course / "source", dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        jupyter = self.home(user) / ".jupyter"
        jupyter.mkdir(exist_ok=True)
        (jupyter / "nbgrader_config.py").write_text(      # the exchange too, for nbgrader run outside the hub
            f"c = get_config()  # noqa: F821\nc.CourseDirectory.root = {str(course)!r}\n"
            f"c.CourseDirectory.course_id = {COURSE!r}\nc.Exchange.root = {str(self.exchange)!r}\n")
        # formgrader is an iframe in JupyterLab; the single-user server forbids framing by default (nbgrader #1870)
        (jupyter / "jupyter_server_config.json").write_text(json.dumps(
            {"ServerApp": {"tornado_settings": {"headers": {
                "Content-Security-Policy": "frame-ancestors 'self'"}}}}, indent=1))
        chown_tree(self.home(user), user)

    def _student(self, user):
        jupyter = self.home(user) / ".jupyter"
        (jupyter / "labconfig").mkdir(parents=True, exist_ok=True)
        (jupyter / "labconfig/page_config.json").write_text(json.dumps(
            {"disabledExtensions": {name: True for name in STUDENT_LAB_OFF}}, indent=1))
        (jupyter / "jupyter_server_config.json").write_text(json.dumps(
            {"ServerApp": {"jpserver_extensions": {name: False for name in STUDENT_SERVER_OFF}}}, indent=1))
        chown_tree(self.home(user), user)

    # -- running -----------------------------------------------------------------------------------

    def config(self):
        path = self.state / "jupyterhub_config.py"
        self.feedback_port = self.feedback_port or free_port()
        path.write_text(CONFIG.format(
            port=self.port, hub_port=free_port(), api_port=free_port(), proxy=str(self.proxy),
            state=self.state, user_password=self.user_password, admin_password=self.admin_password,
            students=set(self.students), instructor=self.instructor,
            singleuser=str(self.venv / "bin/jupyterhub-singleuser"),
            path=f"{self.venv}/bin:/usr/local/bin:/usr/bin:/bin", config_path=str(self.config_path))
            + "\n" + config_text(self.course, str(self.venv / "bin/python"), port=self.feedback_port,
                                 user=self.instructor))
        path.chmod(0o600)
        return path

    def start(self, log=None, timeout=60):
        """Start JupyterHub (it starts the proxy) and wait until it answers."""
        config = self.config()
        env = {"PATH": f"{self.venv}/bin:{Path(self.proxy).parent}:/usr/local/bin:/usr/bin:/bin",
               "LANG": "C.UTF-8", "HOME": str(self.state)}
        self.process = subprocess.Popen([str(self.venv / "bin/jupyterhub"), "-f", str(config)], cwd=self.state,
                                        env=env, stdout=log, stderr=subprocess.STDOUT if log else None,
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with status {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"jupyterhub did not answer on {self.url} within {timeout} s")

    def stop(self):
        """Stop the hub (it stops the proxy and the users' servers), then anything of theirs left over."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                pass
        if self.process is not None:
            _kill_group(self.process.pid)
        pid_file = self.state / "jupyterhub-proxy.pid"
        if pid_file.exists():
            _kill(int(pid_file.read_text().strip() or 0))
            pid_file.unlink()
        for user in self.users:                            # single-user servers and their kernels
            for pid in processes_of(user):
                _kill(pid)

    def run(self, user, *argv, check=True, timeout=600):
        """A command as `user` (with the hub's venv first on PATH), in their course folder or home."""
        home = self.home(user)
        cwd = self.course if user == self.instructor else home
        env = ["env", "-i", f"HOME={home}", f"USER={user}", f"LOGNAME={user}", "LANG=C.UTF-8",
               f"PATH={self.venv}/bin:/usr/local/bin:/usr/bin:/bin", f"JUPYTER_CONFIG_PATH={self.config_path}"]
        return subprocess.run(["runuser", "-u", user, "--", *env, *argv], cwd=cwd, capture_output=True,
                              text=True, check=check, timeout=timeout)


def main():
    if os.geteuid() != 0:
        raise SystemExit("The hub creates Unix users and spawns their servers: run it as root (make hub).")
    hub = Hub(port=int(os.environ.get("BACKPROP_HUB_PORT", "8000")))
    hub.prepare()
    hub.start()
    print(f"JupyterHub for the course '{COURSE}' on {hub.url}  (Ctrl-C stops it and every user's server)\n"
          f"  instructor  {hub.instructor:<14} password {hub.admin_password}\n"
          f"  students    {', '.join(hub.students)}  password {hub.user_password}\n"
          f"  course      {hub.course}   exchange {hub.exchange}\n"
          f"  instant feedback  backprop-grader serve, started by the hub as the service {FEEDBACK_NAME} "
          f"(as {hub.instructor})\n"
          f"  the instructor releases in a terminal of their JupyterLab (in ~/{COURSE}), or from Formgrader, or:\n"
          f"    cd {hub.course} && runuser -u {hub.instructor} -- env PATH={hub.venv}/bin:/usr/bin:/bin sh -c "
          f"'nbgrader generate_assignment matrix_mlp && nbgrader release_assignment matrix_mlp'", flush=True)
    try:
        hub.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        hub.stop()


if __name__ == "__main__":
    sys.exit(main())
