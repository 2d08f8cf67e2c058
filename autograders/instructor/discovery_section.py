"""The report's "Not yet in the catalogue" section: per check, the groups of students whose unrecognised
answers behave alike, each with its representative code (instructor only), the structure hints and the
candidate explanations. Read from the verification evidence and the submitted notebooks; nothing is run."""
import ast
import html
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..integrity import evidence
from ..engine.hints import structure
from ..engine.discovery.candidates import explain
from ..engine.discovery.groups import cluster
from ..engine.discovery.probes import probe_trials


@dataclass
class Found:
    assignment: str
    group: object
    source: str = ""                               # the representative's graded function
    hints: list = field(default_factory=list)
    explanations: dict = field(default_factory=dict)

    @property
    def explained(self):
        return bool(self.explanations.get("catalogued") or self.explanations.get("generic"))


def function_source(root, assignment, student, name):
    """The source of `def name` in the student's submitted notebook (its last definition), or ""."""
    path = Path(root) / "submitted" / student / assignment / f"{assignment}.ipynb"
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception:                             # noqa: BLE001 - missing or unreadable: no representative
        return ""
    found = ""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                found = ast.get_source_segment(cell.source, node) or found
    return found


def discover(root, assignments):
    """[Found] of every group of every check of these assignments, largest first within a check; the check
    with the largest group first."""
    out = []
    for assignment in assignments:
        clusters = cluster(evidence.load(root, assignment))
        for check_id, groups in sorted(clusters.items(), key=lambda kv: (-kv[1][0].size, kv[0])):
            for g in groups:
                trials = probe_trials(check_id, n=len(g.probes))
                out.append(Found(assignment, g, function_source(root, assignment, g.members[0],
                                                                check_id.split(".")[1]),
                                 structure(trials, g.probes, trials.check), explain(g)))
    return out


def group_ids(found):
    """{(assignment, student, check_id): group id} for the class CSV."""
    return {(f.assignment, s, f.group.check_id): f.group.id for f in found for s in f.group.members}


def chart(found, width=560, bar_height=22, label_width=250):
    """Group sizes as an inline SVG bar chart: explained groups blue, unexplained grey."""
    if not found:
        return ""
    height = bar_height * len(found) + 8
    top = max(f.group.size for f in found)
    span = width - label_width - 40
    parts = [f"<svg class='chart discovery' role='img' aria-label='groups not in the catalogue' width='{width}' "
             f"height='{height}' viewBox='0 0 {width} {height}' xmlns='http://www.w3.org/2000/svg'>"]
    for k, f in enumerate(found):
        y, w = 4 + k * bar_height, max(2, span * f.group.size / top)
        colour = "#1565c0" if f.explained else "#757575"
        label = html.escape(f.group.id)
        parts.append(f"<text x='{label_width - 6}' y='{y + bar_height * .68:.1f}' text-anchor='end' font-size='13' "
                     f"font-family='monospace'>{label}</text><rect x='{label_width}' y='{y + 3}' width='{w:.1f}' "
                     f"height='{bar_height - 6}' fill='{colour}'><title>{label}: {f.group.size}</title></rect>"
                     f"<text x='{label_width + w + 6:.1f}' y='{y + bar_height * .68:.1f}' font-size='13'>"
                     f"{f.group.size}</text>")
    return "".join(parts) + "</svg>"


def _explanations(f):
    esc = html.escape
    items = [" + ".join(f"<code>{esc(k)}</code>" for k in knobs) for knobs in f.explanations.get("catalogued", [])]
    items += [esc(g) for g in f.explanations.get("generic", [])]
    if not items:
        return "<p class='none'>No explanation found.</p>"
    return "<p>Fits every member on every probe trial:</p><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def render(found):
    """The HTML section (instructor only: it shows a student's code)."""
    esc = html.escape
    head = ("<h2 id='not-in-catalogue'>Not yet in the catalogue</h2><p class='small'>Students whose answer matched "
            "no catalogued mistake, grouped by behaviour: the same outputs (within the tolerance) on probe trials "
            "shared by the whole class. The code shown is one member's (this report only; never in feedback). "
            "Turn a group into a catalogue entry with <code>backprop-grader mistake draft &lt;check&gt; "
            "&lt;group&gt;</code>.</p>")
    if not found:
        return head + "<p class='small'>None: every wrong answer matched a catalogued mistake.</p>"
    parts = [head, chart(found)]
    for f in found:
        g = f.group
        kind = "singleton" if g.size == 1 else f"group of {g.size}"
        hints = "".join(f"<li>{esc(h)}</li>" for h in f.hints) or "<li>none</li>"
        parts.append(f"<section class='group' id='{esc(g.id)}'><h3>{esc(g.id)}: {kind} "
                     f"<span class='small'>({esc(', '.join(g.mistakes))})</span></h3>"
                     f"<p><b>Members:</b> {esc(', '.join(g.members))}</p>"
                     f"<p><b>Representative</b> ({esc(g.members[0])}):</p><pre class='code'>{esc(f.source)}</pre>"
                     f"<p><b>Structure hints:</b></p><ul>{hints}</ul>"
                     f"<p><b>Candidate explanations:</b></p>{_explanations(f)}</section>")
    return "".join(parts)


def summary_lines(found):
    """One line per group of two or more, and the number of singletons, for the terminal."""
    lines = [f"{f.group.id}: {f.group.size} students ({', '.join(f.group.members)}) share a mistake not in the "
             f"catalogue; {'candidate: ' + _first(f) if f.explained else 'no explanation found'}"
             for f in found if f.group.size > 1]
    singles = sum(1 for f in found if f.group.size == 1)
    if singles:
        lines.append(f"{singles} singleton(s): one-off answers no catalogued mistake explains")
    return lines


def _first(f):
    e = f.explanations
    return (" + ".join(e["catalogued"][0]) if e.get("catalogued") else e["generic"][0])
