"""The service as a JupyterHub service: what to put in jupyterhub_config.py.

    from autograders.instructor.service.hub import configure
    configure(c, course="/srv/course")

The hub starts `backprop-grader serve --auth hub`; every student's server gets
BACKPROP_FEEDBACK_URL, and its JUPYTERHUB_API_TOKEN (the one in the kernel) may use this
service and nothing more of it: the token identifies the student to the service.
"""
import sys

NAME = "backprop-feedback"
PORT = 10101


def service_entry(course, name=NAME, port=PORT, python=None, environment=None, user=None):
    """The c.JupyterHub.services entry: the hub starts and stops it, and proxies /services/<name>/.
    With `user` (the instructor who owns the course), the hub runs it as that Unix user, not as itself."""
    entry = {"name": name, "url": f"http://127.0.0.1:{port}",
             "command": [python or sys.executable, "-m", "autograders.instructor.cli", "serve", "--course", str(course),
                         "--auth", "hub"],
             "cwd": str(course), "environment": dict(environment or {})}
    if user:
        entry["user"] = user
    return entry


def configure(c, course, name=NAME, port=PORT, python=None, environment=None):
    """Register the service on a JupyterHub config `c` and let students' servers reach it."""
    services = _get(c.JupyterHub, "services", [])
    services = [s for s in services if s.get("name") != name] + [service_entry(course, name, port, python,
                                                                               environment)]
    c.JupyterHub.services = services
    access = f"access:services!service={name}"
    roles = [dict(r) for r in _get(c.JupyterHub, "load_roles", [])]
    user = next((r for r in roles if r.get("name") == "user"), None)
    if user is None:
        roles.append({"name": "user", "scopes": ["self", access]})
    elif access not in user.get("scopes", []):
        user["scopes"] = list(user.get("scopes", ["self"])) + [access]
    c.JupyterHub.load_roles = roles
    scopes = _get(c.Spawner, "server_token_scopes", ["users:activity!user", "access:servers!server"])
    if access not in scopes:
        scopes.append(access)
    c.Spawner.server_token_scopes = scopes
    env = dict(_get(c.Spawner, "environment", {}))
    env["BACKPROP_FEEDBACK_URL"] = f"http://127.0.0.1:{port}/services/{name}/"
    c.Spawner.environment = env
    return c


def _get(section, name, default):
    """A value set in a traitlets Config section, or `default` (an unset one reads as a LazyConfigValue)."""
    value = section[name] if name in section else None
    return list(value) if isinstance(value, (list, tuple)) else dict(value) if isinstance(value, dict) else \
        list(default) if isinstance(default, list) else dict(default)


def config_text(course, python, name=NAME, port=PORT, user=None):
    """The same as `configure`, as lines to append to a jupyterhub_config.py whose interpreter cannot import
    autograders (a hub venv of its own): the service itself runs with `python`, the course's interpreter."""
    access = f"access:services!service={name}"
    entry = service_entry(course, name, port, python, user=user)
    return "\n".join([
        "# Instant feedback (backprop-grader serve, issue 16): the hub starts it; students' tokens may use it.",
        f"c.JupyterHub.services = [s for s in (c.JupyterHub.services if 'services' in c.JupyterHub else []) "
        f"if s.get('name') != {name!r}] + [{entry!r}]",
        f"c.JupyterHub.load_roles = [r for r in (c.JupyterHub.load_roles if 'load_roles' in c.JupyterHub else []) "
        f"if r.get('name') != 'user'] + [{{'name': 'user', 'scopes': ['self', {access!r}]}}]",
        f"c.Spawner.server_token_scopes = ['users:activity!user', 'access:servers!server', {access!r}]",
        "c.Spawner.environment = dict(c.Spawner.environment if 'environment' in c.Spawner else {}, "
        f"BACKPROP_FEEDBACK_URL='http://127.0.0.1:{port}/services/{name}/')", ""])
