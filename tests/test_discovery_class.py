"""Mistake discovery end to end (issue 17), through real nbgrader: a simulated class where 7 students share
an uncatalogued mistake in 3 coding styles, 3 share a triple of catalogued mistakes, 4 have one-off
mistakes and the rest are correct or catalogued. The report groups them; the draft command's output,
applied in a copy of the package, makes the group of 7 diagnosed by name after `autograde --force`."""
import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograders.instructor import demo
from autograders.engine.course import nbgrader

REPO = Path(__file__).resolve().parent.parent
STUDENTS = REPO / "tests" / "students"
CHECK = "matrix_mlp.df_dW1"
ENV = {**os.environ, "BACKPROP_COURSE_SECRET": "discovery-test-secret"}
CLI = [sys.executable, "-m", "autograders.instructor.cli"]
STYLES = ("vectorised", "loops", "einsum")
SEVEN = [f"w3_{k}" for k in range(7)]                  # forgot the output weights, 3 styles
THREE = ["triple_a", "triple_b", "triple_c"]
ONE_OFFS = {"sq": "unrecognised_squared_weights", "tanh": "unrecognised_tanh_derivative",
            "plus": "unrecognised_plus_constant", "nosq": "unrecognised_sigma_prime_missing_square"}
OTHERS = {"solver": None, "elem": "elementwise_chain", "sigma": "sigma_instead_of_sigma_prime"}


def overlay(student):
    if student in SEVEN:
        return STUDENTS / "discovery" / f"forgot_output_weights_{STYLES[SEVEN.index(student) % 3]}.py"
    if student in THREE:
        return STUDENTS / "discovery" / "triple_summed_error_no_sigma_prime.py"
    name = ONE_OFFS.get(student) or OTHERS.get(student)
    return STUDENTS / "matrix_mlp" / f"{name}.py" if name else None


def run(*args, env=ENV, cwd=None):
    proc = subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, cwd=cwd)
    assert proc.returncode == 0, f"{args}: {proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = demo.make_course(tmp_path_factory.mktemp("discovery") / "backprop")
    nbgrader(root, "generate_assignment", "matrix_mlp", "--force")
    base = sorted((STUDENTS / "matrix_mlp").glob("correct_*.py"))[0]
    for student in SEVEN + THREE + list(ONE_OFFS) + list(OTHERS):
        demo.submit(root, demo.Plan(student, "matrix_mlp", base, overlay(student)))
    run("autograde", "matrix_mlp", "--course", str(root), "--jobs", "2")
    out = root / "reports"
    run("report", "matrix_mlp", "--course", str(root), "--out", str(out))
    return root, out


def groups_in_csv(out):
    with open(out / "class_report.csv") as f:
        rows = [r for r in csv.DictReader(f) if r["check_id"] == CHECK]
    by = {}
    for r in rows:
        if r["group"]:
            by.setdefault(r["group"], set()).add(r["student"])
    return by


def test_report_groups_the_class_and_the_csv_agrees(course):
    root, out = course
    by = groups_in_csv(out)
    assert by[f"{CHECK}#1"] == set(SEVEN), by
    assert by[f"{CHECK}#2"] == set(THREE), by
    assert sorted(len(v) for v in by.values()) == [1, 1, 1, 1, 3, 7], by
    assert set().union(*by.values()) == set(SEVEN) | set(THREE) | set(ONE_OFFS), "correct/catalogued have no group"
    page = (out / "class_report.html").read_text()
    section = page[page.index("id='not-in-catalogue'"):]
    heads = re.findall(r"id='matrix_mlp\.df_dW1#\d+'><h3>[^<]*: ([^<]*) <", section)
    assert heads == ["group of 7", "group of 3"] + ["singleton"] * 4, heads
    triple = section[section.index(f"id='{CHECK}#2'"):section.index(f"id='{CHECK}#3'")]
    for knob in ("missing_sigma_prime_layer1", "sigma_instead_of_sigma_prime:layer2", "missing_downstream_weight:ones"):
        assert knob in triple, triple
    seven = section[section.index(f"id='{CHECK}#1'"):section.index(f"id='{CHECK}#2'")]
    assert "drops the factor" in seven and "def df_dW1" in seven
    assert "No explanation found" in section[section.index(f"id='{CHECK}#3'"):section.index(f"id='{CHECK}#4'")]


def test_representative_code_never_reaches_student_feedback(course):
    root, _ = course
    nbgrader(root, "generate_feedback", "matrix_mlp", "--force")
    loops = (STUDENTS / "discovery" / "forgot_output_weights_loops.py").read_text()
    marker = "back = sum(W2[i, j] * h2[i] * (1 - h2[i]) for i in range(m2))"
    assert marker in loops
    for student in SEVEN + THREE + list(ONE_OFFS):
        if SEVEN.index(student) % 3 == 1 if student in SEVEN else False:
            continue                                   # a loops student's own feedback shows their own code
        for page in (root / "feedback" / student / "matrix_mlp").glob("*.html"):
            assert marker not in page.read_text(), f"{student}'s feedback shows another student's code"


def test_browser_shows_the_section(course, artifacts):
    _, out = course
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"], headless=True)
        page = b.new_page(viewport={"width": 1100, "height": 900})
        page.goto((out / "class_report.html").as_uri())
        head = page.locator("#not-in-catalogue")
        assert head.is_visible()
        assert page.locator("svg.discovery rect").filter(has_text=f"{CHECK}#").count() == 6
        head.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "not_in_catalogue.png"), clip={
            "x": 0, "y": head.bounding_box()["y"] + page.evaluate("window.scrollY") - 10, "width": 1100,
            "height": 900}, full_page=True)
        b.close()


def apply_draft(text, package, mistake_id):
    """Paste the draft into a copy of the package as it says, with what/why/fix filled in."""
    line = int(re.search(r"right after line (\d+)", text).group(1))
    knob = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    entry = re.findall(r"```python\n(.*?)```", text, re.S)[1]
    entry = (entry.replace("TODO: what the student computed, one sentence.", "δ2 leaves out the output weights W3.")
             .replace("TODO: why it is wrong.", "f = W3 h2, so ∂f/∂h2 is W3ᵀ.")
             .replace("TODO: the one thing to try.", "Start δ2 from W3ᵀ."))
    assert "TODO" not in entry
    sol = package / "solutions" / "matrix_mlp.py"
    lines = sol.read_text().splitlines(keepends=True)
    indent = re.match(r"\s*", lines[line - 1]).group(0)
    lines.insert(line, "".join(indent + ln + "\n" for ln in knob.rstrip("\n").splitlines()))
    sol.write_text("".join(lines))
    cat = package / "autograders" / "engine" / "catalogue" / "matrix_mlp.py"
    cat.write_text(cat.read_text().replace("MISTAKES = [\n", "MISTAKES = [\n" + entry.rstrip("\n") + "\n", 1))


def test_draft_pasted_in_names_the_group_of_seven_after_regrading(course, tmp_path):
    root, _ = course
    text = run("mistake", "draft", CHECK, "1", "--id", "forgot_output_weights", "--out", str(tmp_path / "fx"),
               "--course", str(root))
    assert "Mistake(" in text and 'if "forgot_output_weights" in m:' in text
    fixture = tmp_path / "fx" / "forgot_output_weights.py"
    assert '"matrix_mlp.df_dW1": ("forgot_output_weights",)' in fixture.read_text()
    package = tmp_path / "package"
    for part in ("autograders", "solutions"):
        shutil.copytree(REPO / part, package / part, ignore=shutil.ignore_patterns("__pycache__"))
    apply_draft(text, package, "forgot_output_weights")
    env = {**ENV, "PYTHONPATH": str(package)}
    check = subprocess.run([sys.executable, "-c", "import autograders, sys; print(autograders.__file__)"],
                           capture_output=True, text=True, env=env, cwd=tmp_path)
    assert check.stdout.startswith(str(package)), check
    students = [a for s in SEVEN for a in ("--student", s)]
    run("autograde", "matrix_mlp", "--course", str(root), "--force", "--jobs", "2", *students, env=env, cwd=tmp_path)
    from autograders.instructor.records import collect
    got = {r.student: r.mistakes for r in collect(root, "matrix_mlp") if r.check_id == CHECK}
    assert {s: got[s] for s in SEVEN} == {s: ("forgot_output_weights",) for s in SEVEN}, got
    # and the fixture written from the representative is diagnosed so in the copy, as `make test` would check
    proc = subprocess.run([sys.executable, "-c", f"""
import importlib.util
from autograders import grade
spec = importlib.util.spec_from_file_location("fx", {str(fixture)!r}); m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
print(grade({CHECK!r}, m.df_dW1, seed=0).mistakes)"""], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "forgot_output_weights" in proc.stdout, proc.stderr
