"""Fail closed (issue 21): no isolation, no grading, unless --allow-unisolated, which every summary
prints in red; every run prints its isolation mode once."""
import asyncio
import shutil

import pytest

from autograders.instructor import cli, cli_grading
from autograders.integrity import bubblewrap, kernel, sandbox
from autograders.integrity import mode


@pytest.fixture
def no_namespaces(monkeypatch):
    """A machine without bubblewrap: `bwrap` is not on the PATH."""
    monkeypatch.delenv(mode.ALLOW_ENV, raising=False)
    which = shutil.which
    monkeypatch.setattr(bubblewrap.shutil, "which", lambda name, *a, **k: None if name == "bwrap" else which(name, *a, **k))
    bubblewrap.problem.cache_clear()
    yield
    bubblewrap.problem.cache_clear()


@pytest.fixture
def course(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    return tmp_path


def test_verification_without_namespaces_refuses_to_run_student_code(no_namespaces):
    with pytest.raises(mode.IsolationMissing, match="bubblewrap"):
        sandbox.Sandbox([(0, "x = 1")])


def test_a_kernel_without_namespaces_refuses_to_start(no_namespaces, tmp_path):
    km = kernel.JailedKernelManager()
    try:
        with pytest.raises(mode.IsolationMissing, match="apt-get install bubblewrap"):
            asyncio.run(km.start_kernel(cwd=str(tmp_path)))
    finally:
        shutil.rmtree(getattr(km, "_home", tmp_path / "none"), ignore_errors=True)


@pytest.mark.parametrize("command", ["autograde", "verify"])
def test_the_cli_stops_with_one_line_naming_what_is_missing(no_namespaces, course, command, capsys):
    status = cli.main([command, "--course", str(course)])
    out = capsys.readouterr().out
    assert status == 2, out
    error = [line for line in out.splitlines() if line.startswith("error:")]
    assert len(error) == 1 and "missing" in error[0] and "--allow-unisolated" in error[0], out


def test_allow_unisolated_runs_and_says_so_in_red(no_namespaces, monkeypatch):
    monkeypatch.setattr(mode.os, "environ", {**mode.os.environ})
    mode.allow()
    mode.require()                                # no longer raises
    assert "UNISOLATED" in mode.summary() and "[bold red]" in mode.summary()
    box = sandbox.Sandbox([(0, "x = 1")])
    assert not box.isolated


def test_an_isolated_machine_prints_its_mode_once(capsys):
    if mode.missing():
        pytest.skip(f"this machine lacks {mode.missing()}")
    from rich.console import Console
    console = Console()
    assert cli_grading._isolation(type("A", (), {"allow_unisolated": False})(), console)
    out = capsys.readouterr().out
    assert out.count("isolation:") == 1 and "PID" in out, out
