"""The course check's looks at a notebook as students get it and as it is graded: what nbgrader's
ClearHiddenTests leaves of the hidden tests, whether given code is read-only (autograding restores only
locked cells), whether the story's diagram renders (statically: an attachment JupyterLab draws, with
alt text, no inline SVG or HTML picture) and whether `nbgrader validate` gives the solutions full marks."""
import base64
import copy
import shutil
import tempfile
from pathlib import Path

import mistune
from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests

from .course_check_cells import is_hidden_test, ok, problem, where

#: Raw HTML that draws a picture (JupyterLab strips inline <svg>; the others are not how a notebook carries one).
PICTURE_TAGS = ("<svg", "<img", "<object", "<embed", "<iframe", "<canvas", "<picture")
#: The attachment types JupyterLab 4 shows (its AttachmentsResolver takes an attachment's FIRST type and draws
#: it only if imageRendererFactory has it: bmp, png, jpeg, gif, webp; an SVG attachment is not drawn).
SHOWN = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp")
MAGIC = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8", "image/gif": b"GIF8", "image/bmp": b"BM"}


def _tokens(tokens):
    for token in tokens:
        yield token
        yield from _tokens(token.get("children") or [])


def _text(token):
    return "".join(t.get("raw", "") for t in _tokens(token.get("children") or []))


def _picture(attachment):
    """(kind, None) for an attachment JupyterLab draws as a picture, (None, why) otherwise."""
    kind = next(iter(attachment or {}), None)
    if kind not in SHOWN:
        return None, (f"JupyterLab shows attachments of type {', '.join(SHOWN)}, and this one is "
                      f"{kind or 'empty'}" + (" (draw the SVG as a PNG)" if kind == "image/svg+xml" else ""))
    try:
        data = base64.b64decode("".join(attachment[kind]), validate=True)
    except ValueError:
        return None, f"its {kind} data is not valid base64"
    if not data.startswith(MAGIC.get(kind, b"")) or not data:
        return None, f"its {kind} data is not a {kind.split('/')[1].upper()} image"
    if kind == "image/png":
        return f"PNG, {int.from_bytes(data[16:20], 'big')}x{int.from_bytes(data[20:24], 'big')}", None
    return kind.split("/")[1].upper(), None


def check_markers(nb):
    """What nbgrader's ClearHiddenTests leaves of each hidden test must be comments only."""
    found, hide = [], ClearHiddenTests()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        released = copy.deepcopy(cell)
        try:
            removed = hide._remove_hidden_test_region(released)      # what generate_assignment does to it
        except RuntimeError as err:
            found.append(problem(where(index, cell), f"nbgrader cannot hide the test: {err}",
                                 "put ### BEGIN HIDDEN TESTS and ### END HIDDEN TESTS around the test code, once each"))
            continue
        if not is_hidden_test(cell):
            if removed:
                found.append(problem(where(index, cell), "HIDDEN TESTS markers in a cell that is not an autograder "
                                     "test: nbgrader generate_assignment stops there",
                                     "make the cell 'Autograder tests' in Create Assignment, or remove the markers"))
            continue
        code = [line for line in released.source.splitlines() if line.strip() and not line.strip().startswith("#")]
        if not removed:
            found.append(problem(where(index, cell), "the hidden test has no ### BEGIN HIDDEN TESTS / "
                                 "### END HIDDEN TESTS markers: students would see it",
                                 "put the test code between the two markers"))
        elif code:
            found.append(problem(where(index, cell), f"code outside the HIDDEN TESTS markers: {code[0].strip()!r} "
                                 "(students see it, and it runs in their notebook)",
                                 "move it between ### BEGIN HIDDEN TESTS and ### END HIDDEN TESTS"))
    return found or [ok("hidden code sits between the HIDDEN TESTS markers")]


def check_locked(nb):
    """Given code cells (not answers, not tests) must be read-only: autograding restores only locked cells."""
    found, n = [], 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or utils.is_solution(cell) or utils.is_grade(cell):
            continue
        n += 1
        if not utils.is_locked(cell):
            first = next((line for line in cell.source.splitlines() if line.strip()), "")
            found.append(problem(where(index, cell), f"this given code cell ({first[:50]!r}) is not read-only: "
                                 "a student could change it and grading would run their version",
                                 "choose 'Read-only' for it in Create Assignment"))
    return found or [ok(f"given code cells are read-only ({n} cells)")]


def check_diagram(nb):
    """The story (the first markdown cell) shows an attached picture with alt text; no markdown cell
    draws a picture with inline SVG or HTML; every attachment an image names is there."""
    parse = mistune.create_markdown(renderer=None)
    found, story_pictures = [], []
    markdown = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "markdown"]
    for n, (index, cell) in enumerate(markdown):
        tokens = list(_tokens(parse(cell.source)))
        for token in tokens:
            raw = token.get("raw", "") if token["type"] in ("inline_html", "block_html") else ""
            tag = next((t for t in PICTURE_TAGS if t in raw.lower()), None)
            if tag:
                why = ("JupyterLab strips inline SVG, so students see nothing there" if tag == "<svg" else
                       "a course notebook carries its pictures as attachments shown with markdown and alt text")
                found.append(problem(where(index, cell), f"a picture drawn with inline HTML ({tag}...>): {why}",
                                     "draw it as a PNG and attach it to the cell (drag the file into the cell in "
                                     "JupyterLab), shown with ![what it shows](attachment:<file>.png)"))
        for token in (t for t in tokens if t["type"] == "image"):
            url, alt = token["attrs"]["url"], _text(token).strip()
            if not alt:
                found.append(problem(where(index, cell), f"the image {url} has no alt text",
                                     "describe the picture between the brackets: ![what it shows](...)"))
            if url.startswith("attachment:"):
                name = url[len("attachment:"):]
                kind, why = _picture(cell.get("attachments", {}).get(name))
                if kind is None:
                    found.append(problem(where(index, cell), f"the image attachment:{name} does not render: {why}",
                                         "attach the picture to this cell again (drag the file into the cell)"))
                elif n == 0:
                    story_pictures.append(f"{name} ({kind})")
    if markdown and not story_pictures and not found:
        index, cell = markdown[0]
        found.append(problem(where(index, cell), "the story cell shows no picture attached to it",
                             "attach the network diagram to the first markdown cell as a PNG, with alt text"))
    if not markdown:
        found.append(problem("", "the notebook has no markdown cell to tell the story", "restore the story cell"))
    return found or [ok(f"diagram: {', '.join(story_pictures)} attached to the story cell, with alt text, "
                        "no inline SVG or HTML pictures")]


def check_validate(root, path):
    """`nbgrader validate` (nbgrader's Validator, with the course's config) of a temporary copy of the
    notebook's folder: every autograder test must give full marks."""
    from nbgrader.validator import Validator

    from ..engine.course import course_config

    class KeepExecuted(Validator):
        def _preprocess(self, nb):
            self.executed = super()._preprocess(nb)
            return self.executed

    config = course_config(root) if (Path(root) / "nbgrader_config.py").is_file() else None
    with tempfile.TemporaryDirectory(prefix="backprop-check-course-") as tmp:
        folder = Path(tmp) / path.parent.name
        shutil.copytree(path.parent, folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        validator = KeepExecuted(config=config) if config is not None else KeepExecuted()
        try:
            results = validator.validate(str(folder / path.name))
        except Exception as err:                    # noqa: BLE001 - a kernel that does not start, a bad cell
            return [problem("", f"nbgrader validate could not run: {type(err).__name__}: "
                                f"{str(err).strip().splitlines()[0][:300] if str(err).strip() else ''}",
                            "run `nbgrader validate` on a copy of the notebook to see the whole error")]
    if results.get("type_changed"):
        return [problem("", f"nbgrader validate: {len(results['type_changed'])} cell(s) changed type since they were "
                            "marked", "mark them again in Create Assignment")]
    executed = getattr(validator, "executed", None)
    cells = list(enumerate(executed.cells)) if executed is not None else []
    found = []
    for failed in results.get("failed", []):
        for index, cell in cells:
            if utils.is_grade(cell) and cell.source.strip() == failed["source"]:
                score, points = utils.determine_grade(cell)
                found.append(problem(where(index, cell), f"nbgrader validate: {score:g} of {points:g} points with the "
                                     f"solutions in the notebook: {_said(cell) or failed['raw_error'].strip()[:400]}",
                                     "fix the solution it tests (or the test) so that it gets full marks"))
    for index, cell in cells:
        errors = [o for o in cell.get("outputs", []) if o.output_type == "error"]
        if errors and not utils.is_grade(cell):
            found.append(problem(where(index, cell), f"raises {errors[0].ename} when the notebook runs: "
                                 f"{errors[0].evalue[:200]}", "fix the cell: every cell must run without errors"))
    if found:
        return found
    graded = [utils.determine_grade(c) for _, c in cells if utils.is_grade(c) and c.cell_type == "code"]
    return [ok(f"nbgrader validate: full marks with the solutions ({sum(s for s, _ in graded):g} of "
               f"{sum(p for _, p in graded):g} autograded points)")]


def _said(cell):
    """The plain-text message the hidden test showed (the grader's diagnosis), in one line."""
    for output in cell.get("outputs", []):
        text = output.get("data", {}).get("text/plain") or (output.get("text") if output.get("name") == "stdout"
                                                            else None)
        if text and output.output_type != "execute_result":
            return " ".join("".join(text).split())[:400]
    return ""
