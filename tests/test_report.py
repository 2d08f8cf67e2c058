"""The class report, the LMS exports and the CLI, on the class graded by real nbgrader (conftest.py);
the pages are opened in headless Chromium (Debian's, driven by Playwright) and screenshotted."""
import csv
import html
import json
import subprocess
import sys

import pytest

from autograders.engine.catalogue import load
from autograders.engine.course import ASSIGNMENTS

CLI = [sys.executable, "-m", "autograders.instructor.cli"]


@pytest.fixture(scope="module")
def outputs(graded, tmp_path_factory):
    root, _ = graded
    out = tmp_path_factory.mktemp("reports")
    proc = subprocess.run([*CLI, "report", "--course", str(root), "--out", str(out)], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    return root, out, proc.stdout


def test_report_csv_has_one_row_per_student_and_check(outputs, graded):
    _, rows = graded
    _, out, _ = outputs
    with open(out / "class_report.csv") as f:
        lines = list(csv.DictReader(f))
    assert len(lines) == len(rows)
    mine = {(r["student"], r["check_id"]): r for r in lines}
    assert mine[("elementwise", "matrix_mlp.df_dW1")]["mistakes"] == "elementwise_chain"
    assert float(mine[("solver", "multi_path.dL_dw")]["score"]) == 3


def test_report_html_is_one_self_contained_file_with_charts_and_messages(outputs):
    _, out, stdout = outputs
    page = (out / "class_report.html").read_text()
    assert "<svg" in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "<script" not in page and "src=" not in page, "no external resources"
    exercise, _ = load("matrix_mlp.df_dW1")
    what = next(m.what for m in exercise.mistakes if m.id == "elementwise_chain")
    assert html.escape(what) in page or what in page
    assert "class_report.html" in stdout, "the command prints where it wrote the report"


def test_gradescope_and_canvas_exports_match_the_gradebook(outputs):
    root, out, _ = outputs
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for a in ASSIGNMENTS:
            for sub in gb.find_assignment(a).submissions:
                path = out / "gradescope" / a / sub.student_id / "results.json"
                if not path.exists():
                    continue
                result = json.loads(path.read_text())
                assert result["score"] == pytest.approx(sub.score)
                assert all("output" in t and t["max_score"] > 0 for t in result["tests"])
        with open(out / "canvas_grades.csv") as f:
            lines = list(csv.reader(f))
        assert lines[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
        assert lines[1][0] == "Points Possible"
        column = {a: lines[0].index(a) for a in ASSIGNMENTS}
        for line in lines[2:]:
            for a, k in column.items():
                if line[k]:
                    assert float(line[k]) == pytest.approx(gb.find_submission(a, line[0]).score)
    flipped = json.loads((out / "gradescope" / "scalar_chain" / "flipped" / "results.json").read_text())
    assert any("sign_flipped" in t["tags"] and t["score"] == 0 for t in flipped["tests"])


def test_cli_help_exit_codes_and_one_line_errors(tmp_path):
    for args in ([], ["demo"], ["report"], ["verify"]):
        proc = subprocess.run([*CLI, *args, "--help"], capture_output=True, text=True)
        assert proc.returncode == 0 and "usage: backprop-grader" in proc.stdout
    proc = subprocess.run([*CLI, "report"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "nbgrader_config.py" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run([*CLI, "report", "no_such_assignment", "--course", str(tmp_path)], capture_output=True,
                          text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_report_in_a_real_browser_shows_chart_and_messages(outputs, browser, artifacts):
    _, out, _ = outputs
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto((out / "class_report.html").as_uri())
    section = page.locator("section.check[id='matrix_mlp.df_dW1']")
    section.scroll_into_view_if_needed()
    assert section.locator("svg.chart").is_visible()
    box = section.locator("svg.chart rect").first.bounding_box()
    assert box and box["width"] > 2 and box["height"] > 5, "the bars are drawn"
    assert section.get_by_text("elementwise_chain").first.is_visible()
    assert section.get_by_text("elementwise", exact=False).first.is_visible()
    section.screenshot(path=str(artifacts / "class_report_df_dW1.png"))
    page.screenshot(path=str(artifacts / "class_report.png"))
    page.close()


def test_feedback_page_in_a_real_browser_shows_the_mistake_message(graded, browser, artifacts):
    root, _ = graded
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto((root / "feedback" / "elementwise" / "matrix_mlp" / "matrix_mlp.html").as_uri())
    box = page.locator(".backprop-feedback[data-check='matrix_mlp.df_dW1']")
    box.scroll_into_view_if_needed()
    assert box.is_visible()
    exercise, _ = load("matrix_mlp.df_dW1")
    what = next(m.what for m in exercise.mistakes if m.id == "elementwise_chain")
    assert what in box.inner_text()
    assert "from autograders" not in page.content()
    box.screenshot(path=str(artifacts / "feedback_df_dW1.png"))
    page.close()
