"""A maintainer's tool: how the three instructor notebooks source/<assignment>/<assignment>.ipynb were first made.

    python tools/make_notebooks.py                  # writes all three, unless one was edited since
    python tools/make_notebooks.py matrix_mlp       # writes one
    python tools/make_notebooks.py --force ...      # overwrites edits too (they are lost)

The .ipynb files are the one source of truth. An instructor edits them in JupyterLab (Create Assignment
toolbar) and then runs `backprop-grader check-course`; this script is not how to change a notebook.
It records in each notebook's metadata (`backprop_generated`) a fingerprint of what it wrote, and
refuses to overwrite a notebook whose cells (type, source, nbgrader metadata, attachments) differ
from it, or that carries no fingerprint, unless --force. Outputs and JupyterLab's own metadata do
not count. It lives outside source/, so nbgrader never releases it.

Every notebook: story with a diagram, a locked cell of given code, a classmate's
wrong answer with a manually graded written answer, the derivation steps, and per
graded function a solution cell, a one-line public self-check and a hidden autograder test.
The self-checks' code is source/selfcheck.py (public: examples, shapes, finite differences
of the given code, messages); this script copies it into each assignment folder, and
nbgrader releases it beside the notebook. Never put a reference value or grader code in it.
The diagram is a PNG attachment of the story cell (JupyterLab strips inline <svg> from markdown),
drawn from the SVG layout here by headless Chromium: run this script with the project's venv
(it has playwright) on a machine with Debian's chromium.
"""
import argparse
import hashlib
import json
import sys
from pathlib import Path
from string import Template

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

SOURCE = Path(__file__).resolve().parent.parent / "source"   # the course's source/ (nbgrader's source directory)
SELF_CHECK_FILE = "selfcheck.py"   # public self-checks in source/; copied into each assignment folder
STAMP = "backprop_generated"    # notebook metadata: {"fingerprint": ...} of what this tool last wrote
POINTS = {"scalar_chain.dL_db": 3, "scalar_chain.sgd_step": 3, "matrix_mlp.df_dW1": 3,
          "multi_path.dL_dh1": 3, "multi_path.dL_dw1": 3, "multi_path.dL_dw": 3, "multi_path.dL_db": 3}


# -- cells -----------------------------------------------------------------------------------

def _meta(cell, grade_id, *, solution=False, grade=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    cell.id = grade_id.replace("_", "-")
    return cell


def md(text):
    return new_markdown_cell(text.strip())


def given(source):
    return _meta(new_code_cell(source.strip()), "given_code", locked=True)


def written(answer, grade_id="classmate_answer"):
    """A manually graded markdown answer; nbgrader replaces the model answer by YOUR ANSWER HERE."""
    return _meta(new_markdown_cell(answer.strip()), grade_id, solution=True, grade=True, points=1)


def solution(name, source):
    return _meta(new_code_cell(source.strip()), name, solution=True)


def hidden_test(exercise, name):
    points = POINTS.get(f"{exercise}.{name}", 2)
    source = (f"# Autograded test for {name} (hidden). Run the self-check above instead.\n"
              "### BEGIN HIDDEN TESTS\n"
              "from autograders import check\n"
              f'check("{exercise}.{name}", {name}, points={points})\n'
              "### END HIDDEN TESTS")
    return _meta(new_code_cell(source), f"test_{name}", grade=True, locked=True, points=points)


def header(name, points, text):
    return md(f"### `{name}` ({points} points)\n\n{text.strip()}")


def notebook(cells):
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for k, cell in enumerate(nb.cells):
        if "nbgrader" not in cell.metadata:
            cell.id = f"text-{k:02d}"
    return nb


HOW_IT_WORKS = """
## How this notebook works

1. Run the **given code** cell below (it defines $names).
2. Read the steps of the derivation and work them out on paper.
3. Fill in each function where it says `# YOUR CODE HERE` and delete the line
   `raise NotImplementedError()`. Keep the function names and arguments exactly as they are.
4. Run the one-line **self-check** cell under each function. It tries your function on a
   small example and compares it with a finite-difference estimate of the given code. It is
   not graded, and it needs `selfcheck.py`, which comes with this notebook: keep them together.
5. The cell after each self-check is the **hidden autograder test**. It does nothing now;
   when your work is graded it calls your function on fresh random numbers and, if
   something is off, tells you which step of the chain rule went wrong.

Derive the gradients with the chain rule: a graded function that estimates them with
finite differences does not earn the points. Before you hand in, use *Restart Kernel and
Run All Cells*: every cell must run without errors.
"""


def how_it_works(has_loss=True):
    return md(Template(HOW_IT_WORKS).substitute(
        names="`sigmoid`, `forward` and `loss`" if has_loss else "`sigmoid` and `forward`"))


# -- the network diagram: a PNG attachment of the story cell, rendered from the SVG layout -----------

DIAGRAM = "network.png"
#: Debian's Chromium renders the SVG (the browser tests use the same one); JupyterLab's sanitizer strips
#: inline <svg> from markdown and shows attachments only as raster images, so the notebook carries a PNG.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def diagram(alt):
    """The markdown of the picture: an image of the cell's own attachment, with `alt` describing the network."""
    return f"\n![{alt}](attachment:{DIAGRAM} \"The network\")\n"


def render_png(svgs):
    """PNG bytes of each SVG, drawn at its own width and height on white by headless Chromium."""
    import shutil
    from playwright.sync_api import sync_playwright
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)
        page = browser.new_page(device_scale_factor=1)
        out = []
        for svg in svgs:
            page.set_content(f'<body style="margin:0;background:#fff">{svg}</body>')
            out.append(page.locator("svg").screenshot())
        browser.close()
    return out


def attach_diagram(nb, png):
    """Attach `png` to the one markdown cell that shows the diagram."""
    import base64
    cells = [c for c in nb.cells if c.cell_type == "markdown" and f"(attachment:{DIAGRAM}" in c.source]
    assert len(cells) == 1, f"expected one diagram cell, found {len(cells)}"
    cells[0].attachments = {DIAGRAM: {"image/png": base64.b64encode(png).decode("ascii")}}


# -- self-checks: one line each, the machinery in selfcheck.py ----------------------------------

SELF_CHECK = """\
# Self-check (not graded): {name} on a small example, against finite differences.
from selfcheck import self_check; self_check("{exercise}.{name}")"""


def self_check(exercise, name):
    """The public self-check cell: one line; source/selfcheck.py (released beside the notebook) does the work."""
    return _meta(new_code_cell(SELF_CHECK.format(exercise=exercise, name=name)), f"selfcheck_{name}", locked=True)


# == 1. scalar_chain ===========================================================================

SC_SVG = """
<svg xmlns="http://www.w3.org/2000/svg" width="500" height="175" viewBox="0 0 500 175" font-family="sans-serif" font-size="15">
<line x1="50" y1="60" x2="190" y2="60" stroke="#333" stroke-width="2"/>
<line x1="190" y1="60" x2="330" y2="60" stroke="#333" stroke-width="2"/>
<line x1="330" y1="60" x2="440" y2="60" stroke="#333" stroke-width="2"/>
<line x1="260" y1="140" x2="190" y2="60" stroke="#b35900" stroke-width="2" stroke-dasharray="6,4"/>
<line x1="260" y1="140" x2="330" y2="60" stroke="#b35900" stroke-width="2" stroke-dasharray="6,4"/>
<text x="120" y="50" text-anchor="middle" font-style="italic">w1</text>
<text x="260" y="50" text-anchor="middle" font-style="italic">w2</text>
<circle cx="50" cy="60" r="22" fill="#e8f0fe" stroke="#333" stroke-width="2"/>
<circle cx="190" cy="60" r="22" fill="#fff" stroke="#333" stroke-width="2"/>
<circle cx="330" cy="60" r="22" fill="#fff" stroke="#333" stroke-width="2"/>
<rect x="440" y="42" width="36" height="36" fill="#f3f3f3" stroke="#333" stroke-width="2"/>
<circle cx="260" cy="140" r="16" fill="#fff3e0" stroke="#b35900" stroke-width="2"/>
<text x="50" y="65" text-anchor="middle">x</text>
<text x="190" y="65" text-anchor="middle">h</text>
<text x="330" y="65" text-anchor="middle">ŷ</text>
<text x="458" y="65" text-anchor="middle">L</text>
<text x="260" y="145" text-anchor="middle" fill="#b35900">b</text>
<text x="190" y="108" text-anchor="middle" font-size="12">σ</text>
<text x="330" y="108" text-anchor="middle" font-size="12">σ</text>
<text x="458" y="100" text-anchor="middle" font-size="12">½Σ(y−ŷ)²</text>
<text x="260" y="172" text-anchor="middle" font-size="12" fill="#b35900">one bias, two units</text>
</svg>
"""
SC_ALT = ("Network diagram: input x, weight w1 to the sigmoid unit h, weight w2 to the sigmoid output "
          "unit y-hat, then the loss L = one half of the sum of (y minus y-hat) squared. One bias b, drawn "
          "below, feeds both units h and y-hat: one bias, two units.")

SC_STORY = r"""
# Backpropagation, part 1: one bias, two paths

A tiny network: one input, two sigmoid units in a row, and **one bias $b$ that both units
share**. You will derive the gradient of the loss with respect to each parameter,
implement it, and use it for one step of gradient descent.

Students who do this for the first time often find that their gradients for $w_1$ and
$w_2$ are right while the one for $b$ is not, even though every factor they wrote looks
correct. By the end of this notebook you will know why.

## The network
""" + diagram(SC_ALT) + r"""
For $N$ samples $x_1, \dots, x_N$ with targets $y_1, \dots, y_N$ (each between 0 and 1), and
three numbers $w_1, w_2, b$:

$$h_n = \sigma(w_1 x_n + b), \qquad \hat y_n = \sigma(w_2 h_n + b), \qquad
L = \tfrac12 \sum_{n=1}^{N} (y_n - \hat y_n)^2,$$

with $\sigma(z) = 1 / (1 + e^{-z})$. Two details matter:

* the **same** $b$ is added in both units;
* $L$ is a **sum** over the samples, not a mean.

## What we want

* $\partial L / \partial w_2$, $\partial L / \partial w_1$ and $\partial L / \partial b$,
  each one number for the whole batch of $N$ samples;
* one step of gradient descent with learning rate $\eta$: $\; w \leftarrow w - \eta \,\partial L/\partial w$
  for all three parameters.
"""

SC_GIVEN = '''
import numpy as np


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(-z)), elementwise."""
    return 1.0 / (1.0 + np.exp(-z))


def forward(x, w1, w2, b):
    """Forward pass for N samples.

    x: array of shape (N,); w1, w2, b: floats.
    Returns (h, y_hat), each an array of shape (N,).
    """
    h = sigmoid(x * w1 + b)          # hidden unit, one value per sample
    y_hat = sigmoid(h * w2 + b)      # output unit: the SAME b again
    return h, y_hat


def loss(x, y, w1, w2, b):
    """L = ½ Σ_n (y_n - ŷ_n)²: one float, a sum over the samples (not a mean)."""
    _, y_hat = forward(x, w1, w2, b)
    return 0.5 * np.sum((y - y_hat) ** 2)
'''

SC_CLASSMATE = r"""
## A classmate's answer: what is wrong with it?

A classmate wrote the bias gradient like this:

> "$b$ is the bias of the output unit, so
>
> $$\frac{\partial L}{\partial b} = \sum_n \frac{\partial L}{\partial \hat y_n}\,\frac{\partial \hat y_n}{\partial z_{2,n}}\,\frac{\partial z_{2,n}}{\partial b}$$
>
> where $z_{2,n} = w_2 h_n + b$."

They evaluated every factor correctly, and the code runs, yet a finite-difference check
disagrees. **In the cell below, explain in two or three sentences what is wrong and what
the full expression must contain** (in words or symbols). You may come back to this after
working through the steps further down.
"""

SC_CLASSMATE_ANSWER = r"""
The classmate counts only one path from $b$ to $L$: $b \to z_2 \to \hat y \to L$.
But $b$ is also added in the hidden unit, $z_1 = w_1 x + b$, so it reaches $L$ a second
way: $b \to z_1 \to h \to z_2 \to \hat y \to L$. When a variable reaches $L$ along several
paths, the derivative is the sum over all paths, so the answer needs the second term too:
$\frac{\partial L}{\partial b} = \sum_n \big(\delta_{2,n} + \delta_{2,n}\, w_2\, h_n(1 - h_n)\big)$
with $\delta_{2,n} = (\hat y_n - y_n)\,\hat y_n(1 - \hat y_n)$. The classmate's expression
is only the first term (it would be right for a separate output bias $b_2$).
"""

SC_DERIVATION = r"""
## Deriving the gradients, step by step

Name the intermediate quantities (for each sample $n$; the index $n$ is dropped where it is clear):

$$z_1 = w_1 x + b, \quad h = \sigma(z_1), \quad z_2 = w_2 h + b, \quad \hat y = \sigma(z_2),
\quad L = \tfrac12 \sum_n (y_n - \hat y_n)^2.$$

**Pieces you may use**

* $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$. Since $h = \sigma(z_1)$ and $\hat y = \sigma(z_2)$,
  you can write $\partial h / \partial z_1$ and $\partial \hat y / \partial z_2$ with the values
  `forward` already returns.
* Local derivatives of the weighted sums:
  $\partial z_2 / \partial w_2 = h$, $\;\partial z_2 / \partial h = w_2$, $\;\partial z_2 / \partial b = 1$,
  $\;\partial z_1 / \partial w_1 = x$, $\;\partial z_1 / \partial b = 1$.
* **Sum over all paths.** If a quantity reaches $L$ along several paths of the graph,
  its derivative is the sum, over the paths, of the product of the local derivatives along
  each path.
* Every sample adds its own term to $L$, so every gradient is a sum over $n$.

**Step 1.** What is $\partial L / \partial \hat y_n$? Differentiate $\tfrac12 (y_n - \hat y_n)^2$
with respect to $\hat y_n$. Watch the sign of the inner derivative and what becomes of the ½.

**Step 2.** Call $\delta_{2,n} = \partial L / \partial z_{2,n}$ the error at the output unit.
Write it as the product of Step 1 and one local derivative.

**Step 3 (`dL_dw2`).** $w_2$ reaches $L$ along one path, $w_2 \to z_2 \to \hat y \to L$.
Write $\partial L / \partial w_2$ with $\delta_2$. Do not forget the sum over samples.

**Step 4 (`dL_dw1`).** $w_1$ reaches $L$ along $w_1 \to z_1 \to h \to z_2 \to \hat y \to L$.
Call $\delta_{1,n} = \partial L / \partial z_{1,n}$ and write it with $\delta_2$. Which local
derivative carries you from $z_2$ back to $h$?

**Step 5 (`dL_db`).** Find every place where $b$ appears in the forward pass. How many paths
lead from $b$ to $L$? Write one product per path, then apply the rule above.

**Step 6 (`sgd_step`).** One step of gradient descent moves every parameter against its
own gradient, $w \leftarrow w - \eta\, \partial L / \partial w$. All three gradients must be
taken at the **old** $(w_1, w_2, b)$: compute them all before you change anything.

## Your code
"""

SC_DOC = '''
    """{what} for the whole batch.

    x, y: arrays of shape (N,), the inputs and the targets.
    w1, w2, b: floats, the parameters.
    Returns one float: the sum over the N samples.
    """
'''

SC_SOLUTIONS = {
    "dL_dw2": '''
def dL_dw2(x, y, w1, w2, b):
{doc}    ### BEGIN SOLUTION
    h, y_hat = forward(x, w1, w2, b)
    delta2 = (y_hat - y) * y_hat * (1 - y_hat)    # δ2_n = ∂L/∂z2_n = (ŷ_n - y_n) ŷ_n(1 - ŷ_n)
    return float(np.sum(delta2 * h))              # ∂L/∂w2 = Σ_n δ2_n h_n
    ### END SOLUTION
''',
    "dL_dw1": '''
def dL_dw1(x, y, w1, w2, b):
{doc}    ### BEGIN SOLUTION
    h, y_hat = forward(x, w1, w2, b)
    delta2 = (y_hat - y) * y_hat * (1 - y_hat)    # δ2_n = (ŷ_n - y_n) ŷ_n(1 - ŷ_n)
    delta1 = delta2 * w2 * h * (1 - h)            # δ1_n = ∂L/∂z1_n = δ2_n w2 h_n(1 - h_n)
    return float(np.sum(delta1 * x))              # ∂L/∂w1 = Σ_n δ1_n x_n
    ### END SOLUTION
''',
    "dL_db": '''
def dL_db(x, y, w1, w2, b):
{doc}    ### BEGIN SOLUTION
    h, y_hat = forward(x, w1, w2, b)
    delta2 = (y_hat - y) * y_hat * (1 - y_hat)    # δ2_n = (ŷ_n - y_n) ŷ_n(1 - ŷ_n)
    delta1 = delta2 * w2 * h * (1 - h)            # δ1_n = δ2_n w2 h_n(1 - h_n)
    return float(np.sum(delta1 + delta2))         # ∂L/∂b = Σ_n (δ1_n + δ2_n): b feeds both units
    ### END SOLUTION
''',
}

SC_SGD = '''
def sgd_step(x, y, w1, w2, b, lr):
    """One step of gradient descent on L: w <- w - lr * ∂L/∂w for w1, w2 and b.

    x, y: arrays of shape (N,); w1, w2, b, lr: floats.
    Returns a tuple of three floats (w1_new, w2_new, b_new). Every gradient is taken
    at the OLD weights. You may call your own dL_dw1, dL_dw2 and dL_db.
    """
    ### BEGIN SOLUTION
    g_w1 = dL_dw1(x, y, w1, w2, b)                # all three gradients at the old (w1, w2, b),
    g_w2 = dL_dw2(x, y, w1, w2, b)
    g_b = dL_db(x, y, w1, w2, b)
    return (w1 - lr * g_w1, w2 - lr * g_w2, b - lr * g_b)   # then w <- w - lr ∂L/∂w
    ### END SOLUTION
'''

SC_HEADERS = {
    "dL_dw2": "Steps 1 to 3. Return $\\partial L/\\partial w_2$ as one float.",
    "dL_dw1": "Step 4. Return $\\partial L/\\partial w_1$ as one float.",
    "dL_db": "Step 5. Return $\\partial L/\\partial b$ as one float. Count every path.",
    "sgd_step": "Step 6. Return the tuple `(w1_new, w2_new, b_new)`. You may call the three "
                "functions above.",
}


def scalar_chain():
    ex = "scalar_chain"
    what = {"dL_dw2": "∂L/∂w2", "dL_dw1": "∂L/∂w1", "dL_db": "∂L/∂b"}
    cells = [md(SC_STORY), how_it_works(), given(SC_GIVEN), md(SC_CLASSMATE),
             written(SC_CLASSMATE_ANSWER), md(SC_DERIVATION)]
    for name in ("dL_dw2", "dL_dw1", "dL_db"):
        doc = SC_DOC.format(what=what[name]).lstrip("\n")
        cells += [header(name, POINTS.get(f"{ex}.{name}", 2), SC_HEADERS[name]),
                  solution(name, SC_SOLUTIONS[name].format(doc=doc)),
                  self_check(ex, name), hidden_test(ex, name)]
    cells += [header("sgd_step", 3, SC_HEADERS["sgd_step"]), solution("sgd_step", SC_SGD),
              self_check(ex, "sgd_step"), hidden_test(ex, "sgd_step")]
    return notebook(cells)


# == 2. matrix_mlp =============================================================================

def _mlp_svg():
    cols = {"x": 50, "h1": 170, "h2": 290}
    rows = (50, 130)
    lines = []
    for a, b_ in (("x", "h1"), ("h1", "h2")):
        for ya in rows:
            for yb in rows:
                lines.append(f'<line x1="{cols[a]}" y1="{ya}" x2="{cols[b_]}" y2="{yb}" stroke="#333" stroke-width="2"/>')
    for ya in rows:
        lines.append(f'<line x1="290" y1="{ya}" x2="410" y2="90" stroke="#333" stroke-width="2"/>')
    circles = [f'<circle cx="{cx}" cy="{cy}" r="20" fill="{"#e8f0fe" if name == "x" else "#fff"}" '
               f'stroke="#333" stroke-width="2"/>' for name, cx in cols.items() for cy in rows]
    circles.append('<circle cx="410" cy="90" r="20" fill="#fff" stroke="#333" stroke-width="2"/>')
    text = [
        '<text x="110" y="30" text-anchor="middle" font-style="italic" font-weight="bold">W1</text>',
        '<text x="230" y="30" text-anchor="middle" font-style="italic" font-weight="bold">W2</text>',
        '<text x="356" y="52" text-anchor="middle" font-style="italic" font-weight="bold">W3</text>',
        *[f'<text x="{cx}" y="{cy + 5}" text-anchor="middle">σ</text>' for cx in (170, 290) for cy in rows],
        '<text x="410" y="95" text-anchor="middle">f</text>',
        '<text x="50" y="178" text-anchor="middle">x  (n)</text>',
        '<text x="170" y="178" text-anchor="middle">h1  (m1)</text>',
        '<text x="290" y="178" text-anchor="middle">h2  (m2)</text>',
        '<text x="410" y="178" text-anchor="middle">f  (1)</text>',
        '<text x="230" y="205" text-anchor="middle" font-size="12">drawn with n = m1 = m2 = 2; '
        'in general the three sizes differ</text>',
    ]
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="460" '
            'height="215" viewBox="0 0 460 215" font-family="sans-serif" font-size="15">\n'
            + "\n".join(lines + circles + text) + "\n</svg>\n")


MLP_ALT = ("Network diagram, left to right: input x (n entries), weights W1 to the sigmoid layer h1 "
           "(m1 units), weights W2 to the sigmoid layer h2 (m2 units), weights W3 to the single linear "
           "output f. Every unit is connected to every unit of the next layer. Drawn with n = m1 = m2 = 2; "
           "in general the three sizes differ.")


MLP_STORY = r"""
# Backpropagation, part 2: $\partial f / \partial W$ through two hidden layers

This exercise starts from a question a student posted: *"For $f = W_3\,\sigma(W_2\,\sigma(W_1 x))$
I need $\partial f / \partial W_1$. Chaining the layers I get
$W_3 \ast \sigma'(W_2 h_1) \ast \sigma'(W_1 x)$, but the shapes don't seem right."*
They were right to be suspicious. Here you derive all three gradients properly, in matrix form.

## The network
""" + diagram(MLP_ALT) + r"""
An input $x$ of shape $(n,)$ and three weight matrices $W_1$ of shape $(m_1, n)$,
$W_2$ of shape $(m_2, m_1)$ and $W_3$ of shape $(1, m_2)$; no biases:

$$h_1 = \sigma(W_1 x), \qquad h_2 = \sigma(W_2 h_1), \qquad f = W_3 h_2 \quad (\text{shape } (1,),\ \text{a linear output}),$$

with $\sigma(z) = 1 / (1 + e^{-z})$ applied elementwise.

## What we want

$\partial f / \partial W_3$, $\partial f / \partial W_2$ and $\partial f / \partial W_1$: each an
array **of the same shape as the matrix**, whose entry $[j, k]$ is $\partial f / \partial W[j, k]$.
The original question had $n = m_1 = m_2 = 2$. Square shapes hide mistakes, so your functions
must work for any sizes, for example $n = 4$, $m_1 = 3$, $m_2 = 5$.
"""

MLP_GIVEN = '''
import numpy as np


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(-z)), elementwise."""
    return 1.0 / (1.0 + np.exp(-z))


def forward(x, W1, W2, W3):
    """Forward pass.

    x: shape (n,); W1: (m1, n); W2: (m2, m1); W3: (1, m2).
    Returns (h1, h2, f) with shapes (m1,), (m2,) and (1,).
    """
    h1 = sigmoid(W1 @ x)
    h2 = sigmoid(W2 @ h1)
    f = W3 @ h2                      # linear output, no sigmoid
    return h1, h2, f
'''

MLP_CLASSMATE = r"""
## A classmate's answer: what is wrong with it?

The answer from the original question, where $\ast$ is elementwise multiplication:

$$\frac{\partial f}{\partial W_1} = W_3 \ast \sigma'(W_2 h_1) \ast \sigma'(W_1 x).$$

For the $2$-$2$-$2$ network in the picture, NumPy even computes something from it.
**In the cell below, say what is wrong with it.** Start with the shapes: for $n = 4$,
$m_1 = 3$, $m_2 = 5$, what is the shape of each factor, and what shape must the answer have?
Then say which chain-rule factors are missing, and why the $2$-$2$-$2$ case hides the problem.
You may come back to this after the steps further down.
"""

MLP_CLASSMATE_ANSWER = r"""
Shapes for $n=4, m_1=3, m_2=5$: $W_3$ is $(1,5)$, $\sigma'(W_2h_1)$ is $(5,)$, $\sigma'(W_1x)$ is
$(3,)$; they cannot even be multiplied elementwise, and the answer must have the shape of
$W_1$, $(3, 4)$. Two factors are missing. (1) The weights between the hidden layers: $h_1[j]$
reaches $f$ through every unit $a_2[i]$ with local derivative $W_2[i,j]$, so the sum over $i$
is a product with $W_2^\top$, which also brings an $m_2$-vector back to size $m_1$.
(2) The input: $\partial a_1[j] / \partial W_1[j,k] = x[k]$, so the last step is an outer
product with $x$. Correct: $\delta_2 = W_3^\top \odot \sigma'(a_2)$,
$\delta_1 = (W_2^\top \delta_2) \odot \sigma'(a_1)$, $\partial f/\partial W_1 = \delta_1 x^\top$.
With $n=m_1=m_2=2$ all the vectors have length 2, so NumPy broadcasts them (to shape $(1,2)$,
not even $W_1$'s $(2,2)$) without an error and the mistake goes unnoticed.
"""

MLP_DERIVATION = r"""
## Deriving the gradients, step by step

Name the pre-activations $a_1 = W_1 x$ and $a_2 = W_2 h_1$, so $h_1 = \sigma(a_1)$, $h_2 = \sigma(a_2)$
and $f = W_3 h_2$.

| quantity | shape | | quantity | shape |
|---|---|---|---|---|
| $x$ | $(n,)$ | | $W_1$ | $(m_1, n)$ |
| $a_1$, $h_1$ | $(m_1,)$ | | $W_2$ | $(m_2, m_1)$ |
| $a_2$, $h_2$ | $(m_2,)$ | | $W_3$ | $(1, m_2)$ |
| $f$ | $(1,)$ | | | |

**Pieces you may use**

* For a layer $a = W u$ (with $u$ the layer's input), $a[j] = \sum_k W[j,k]\, u[k]$. So
  $\partial a[j] / \partial W[j,k] = u[k]$, while $a[j]$ does not depend on any other row
  of $W$; and $\partial a[j] / \partial u[k] = W[j,k]$.
* $\sigma'(z) = \sigma(z)(1 - \sigma(z))$, elementwise: $\partial h[j] / \partial a[j] = h[j](1 - h[j])$,
  and $h[j]$ does not depend on $a[j']$ for $j' \ne j$.
* **Sum over all paths.** If a quantity reaches $f$ along several paths, its derivative is the
  sum, over the paths, of the product of the local derivatives along each path.
* In NumPy: `np.outer(u, v)` has shape `(len(u), len(v))`; `A.T` is the transpose; `*` is
  elementwise; `A @ v` is the matrix-vector product.

**Step 1 (`df_dW3`).** $f = \sum_i W_3[0, i]\, h_2[i]$. What is $\partial f / \partial W_3[0, i]$?
Return it with the shape of $W_3$, $(1, m_2)$.

**Step 2 (`df_dW2`).** Call $\delta_2 = \partial f / \partial a_2$, a vector of shape $(m_2,)$.
Write $\delta_2[i]$ with $W_3$ and $h_2$. Then $\partial f / \partial W_2[i, j]$ is $\delta_2[i]$
times what? Write the whole $(m_2, m_1)$ matrix as an outer product of two vectors.

**Step 3.** How does $h_1[j]$ reach $f$? It feeds every $a_2[i]$, for $i = 1, \dots, m_2$.
Write $\partial f / \partial h_1[j]$ as a sum over these paths, then the whole vector
$\partial f / \partial h_1$ (shape $(m_1,)$) as a matrix times $\delta_2$. Which matrix,
and must it be transposed for the shapes to fit?

**Step 4 (`df_dW1`).** Call $\delta_1 = \partial f / \partial a_1$ (shape $(m_1,)$) and write it
with Step 3. Then write $\partial f / \partial W_1$ (shape $(m_1, n)$) as in Step 2.

Before you code, check every formula's shape with $n = 4$, $m_1 = 3$, $m_2 = 5$.

## Your code
"""

MLP_DOC = '''
    """∂f/∂{W}: entry [j, k] is ∂f/∂{W}[j, k].

    x: shape (n,); W1: (m1, n); W2: (m2, m1); W3: (1, m2).
    Returns an array of the same shape as {W}, {shape}.
    """
'''

MLP_SOLUTIONS = {
    "df_dW3": '''
    ### BEGIN SOLUTION
    h1, h2, f = forward(x, W1, W2, W3)
    return h2.reshape(1, -1)                      # ∂f/∂W3[0, i] = h2[i]  (δ3 = ∂f/∂f = 1)
    ### END SOLUTION
''',
    "df_dW2": '''
    ### BEGIN SOLUTION
    h1, h2, f = forward(x, W1, W2, W3)
    delta2 = W3[0] * h2 * (1 - h2)                # δ2 = ∂f/∂a2 = W3ᵀ ⊙ h2(1 - h2), shape (m2,)
    return np.outer(delta2, h1)                   # ∂f/∂W2 = δ2 h1ᵀ, shape (m2, m1)
    ### END SOLUTION
''',
    "df_dW1": '''
    ### BEGIN SOLUTION
    h1, h2, f = forward(x, W1, W2, W3)
    delta2 = W3[0] * h2 * (1 - h2)                # δ2 = W3ᵀ ⊙ h2(1 - h2), shape (m2,)
    delta1 = (W2.T @ delta2) * h1 * (1 - h1)      # δ1 = (W2ᵀ δ2) ⊙ h1(1 - h1), shape (m1,)
    return np.outer(delta1, x)                    # ∂f/∂W1 = δ1 xᵀ, shape (m1, n)
    ### END SOLUTION
''',
}

MLP_HEADERS = {
    "df_dW3": "Step 1. Return an array of shape `(1, m2)`.",
    "df_dW2": "Step 2. Return an array of shape `(m2, m1)`.",
    "df_dW1": "Steps 3 and 4. Return an array of shape `(m1, n)`.",
}

def matrix_mlp():
    ex = "matrix_mlp"
    shapes = {"W1": "(m1, n)", "W2": "(m2, m1)", "W3": "(1, m2)"}
    cells = [md(MLP_STORY), how_it_works(has_loss=False), given(MLP_GIVEN), md(MLP_CLASSMATE),
             written(MLP_CLASSMATE_ANSWER), md(MLP_DERIVATION)]
    for name in ("df_dW3", "df_dW2", "df_dW1"):
        W = name[-2:]
        doc = MLP_DOC.format(W=W, shape=shapes[W]).lstrip("\n")
        src = f"def {name}(x, W1, W2, W3):\n{doc}{MLP_SOLUTIONS[name].lstrip(chr(10))}"
        cells += [header(name, POINTS.get(f"{ex}.{name}", 2), MLP_HEADERS[name]),
                  solution(name, src), self_check(ex, name), hidden_test(ex, name)]
    return notebook(cells)


# == 3. multi_path =============================================================================

MP_SVG = """
<svg xmlns="http://www.w3.org/2000/svg" width="540" height="270" viewBox="0 0 540 270" font-family="sans-serif" font-size="15">
<line x1="60" y1="75" x2="220" y2="75" stroke="#333" stroke-width="2"/>
<line x1="60" y1="195" x2="220" y2="75" stroke="#333" stroke-width="2"/>
<line x1="60" y1="75" x2="220" y2="195" stroke="#333" stroke-width="2"/>
<line x1="60" y1="195" x2="220" y2="195" stroke="#333" stroke-width="2"/>
<line x1="220" y1="75" x2="380" y2="75" stroke="#333" stroke-width="2"/>
<line x1="220" y1="195" x2="380" y2="75" stroke="#333" stroke-width="2"/>
<line x1="220" y1="75" x2="380" y2="195" stroke="#333" stroke-width="2"/>
<line x1="220" y1="195" x2="380" y2="195" stroke="#333" stroke-width="2"/>
<line x1="380" y1="75" x2="490" y2="135" stroke="#333" stroke-width="2"/>
<line x1="380" y1="195" x2="490" y2="135" stroke="#333" stroke-width="2"/>
<line x1="220" y1="28" x2="220" y2="53" stroke="#b35900" stroke-width="2" stroke-dasharray="5,3"/>
<line x1="220" y1="242" x2="220" y2="217" stroke="#b35900" stroke-width="2" stroke-dasharray="5,3"/>
<line x1="380" y1="28" x2="380" y2="53" stroke="#b35900" stroke-width="2" stroke-dasharray="5,3"/>
<line x1="380" y1="242" x2="380" y2="217" stroke="#b35900" stroke-width="2" stroke-dasharray="5,3"/>
<text x="140" y="67" text-anchor="middle" font-style="italic">w1</text>
<text x="185" y="106" text-anchor="middle" font-style="italic" stroke="#fff" stroke-width="5" paint-order="stroke">w2</text>
<text x="185" y="174" text-anchor="middle" font-style="italic" stroke="#fff" stroke-width="5" paint-order="stroke">w3</text>
<text x="140" y="213" text-anchor="middle" font-style="italic">w4</text>
<text x="300" y="67" text-anchor="middle" font-style="italic">w5</text>
<text x="345" y="106" text-anchor="middle" font-style="italic" stroke="#fff" stroke-width="5" paint-order="stroke">w6</text>
<text x="345" y="174" text-anchor="middle" font-style="italic" stroke="#fff" stroke-width="5" paint-order="stroke">w7</text>
<text x="300" y="213" text-anchor="middle" font-style="italic">w8</text>
<circle cx="60" cy="75" r="22" fill="#e8f0fe" stroke="#333" stroke-width="2"/>
<circle cx="60" cy="195" r="22" fill="#e8f0fe" stroke="#333" stroke-width="2"/>
<circle cx="220" cy="75" r="22" fill="#fff" stroke="#333" stroke-width="2"/>
<circle cx="220" cy="195" r="22" fill="#fff" stroke="#333" stroke-width="2"/>
<circle cx="380" cy="75" r="22" fill="#fff" stroke="#333" stroke-width="2"/>
<circle cx="380" cy="195" r="22" fill="#fff" stroke="#333" stroke-width="2"/>
<rect x="490" y="117" width="36" height="36" fill="#f3f3f3" stroke="#333" stroke-width="2"/>
<text x="60" y="80" text-anchor="middle">i1</text>
<text x="60" y="200" text-anchor="middle">i2</text>
<text x="220" y="80" text-anchor="middle">h1</text>
<text x="220" y="200" text-anchor="middle">h2</text>
<text x="380" y="80" text-anchor="middle">o1</text>
<text x="380" y="200" text-anchor="middle">o2</text>
<text x="508" y="140" text-anchor="middle">L</text>
<text x="220" y="22" text-anchor="middle" fill="#b35900">b1</text>
<text x="220" y="258" text-anchor="middle" fill="#b35900">b1</text>
<text x="380" y="22" text-anchor="middle" fill="#b35900">b2</text>
<text x="380" y="258" text-anchor="middle" fill="#b35900">b2</text>
<text x="470" y="95" text-anchor="middle" font-size="12">t1</text>
<text x="470" y="185" text-anchor="middle" font-size="12">t2</text>
</svg>
"""
MP_ALT = ("Network diagram: inputs i1 and i2 on the left, hidden sigmoid units h1 and h2 in the middle, "
          "output sigmoid units o1 and o2 on the right, both outputs feeding the loss L with targets t1 and t2. "
          "Weights: w1 from i1 to h1, w2 from i2 to h1, w3 from i1 to h2, w4 from i2 to h2, "
          "w5 from h1 to o1, w6 from h2 to o1, w7 from h1 to o2, w8 from h2 to o2. "
          "Bias b1 feeds both hidden units, bias b2 feeds both output units.")

MP_STORY = r"""
# Backpropagation, part 3: a weight that reaches the loss by two paths

A $2$-$2$-$2$ network: two inputs, two hidden sigmoid units, two output sigmoid units. It is
small enough to write every gradient out by hand, and that is where a classic mistake
happens: the hidden unit $h_1$ feeds **both** outputs, so a change in $h_1$ (or in a weight
before it) reaches the loss along two paths.

## The network
""" + diagram(MP_ALT) + r"""
Inputs $i = (i_1, i_2)$, targets $t = (t_1, t_2)$ between 0 and 1, weights $w_1, \dots, w_8$
and biases $b_1$ (shared by both hidden units) and $b_2$ (shared by both output units):

$$h_1 = \sigma(w_1 i_1 + w_2 i_2 + b_1), \qquad h_2 = \sigma(w_3 i_1 + w_4 i_2 + b_1),$$
$$o_1 = \sigma(w_5 h_1 + w_6 h_2 + b_2), \qquad o_2 = \sigma(w_7 h_1 + w_8 h_2 + b_2),$$
$$L = \tfrac12 \big[(t_1 - o_1)^2 + (t_2 - o_2)^2\big],$$

with $\sigma(z) = 1/(1 + e^{-z})$. Read the layout carefully: $w_2$ goes from $i_2$ to $h_1$,
$w_3$ from $i_1$ to $h_2$, $w_6$ from $h_2$ to $o_1$, $w_7$ from $h_1$ to $o_2$.

In code, `i`, `t` and `b` are arrays of shape `(2,)` and `w` has shape `(8,)`, with `w[0]`
holding $w_1$, …, `w[7]` holding $w_8$ (Python counts from 0).

## What we want

$\partial L / \partial w_5$, $\;\partial L / \partial h_1$, $\;\partial L / \partial w_1$, then all eight
$\partial L / \partial w_k$ at once and both $\partial L / \partial b_1$, $\partial L / \partial b_2$.
"""

MP_GIVEN = '''
import numpy as np


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(-z)), elementwise."""
    return 1.0 / (1.0 + np.exp(-z))


def forward(i, w, b):
    """Forward pass.

    i: inputs (i1, i2), shape (2,); w: weights w1..w8, shape (8,), w[0] is w1;
    b: biases (b1, b2), shape (2,).
    Returns (h, o): h = (h1, h2) and o = (o1, o2), each of shape (2,).
    """
    W_hidden = w[:4].reshape(2, 2)   # [[w1, w2], [w3, w4]]: row k holds the weights INTO h_k
    W_out = w[4:].reshape(2, 2)      # [[w5, w6], [w7, w8]]: row k holds the weights INTO o_k
    h = sigmoid(W_hidden @ i + b[0])  # h1 = σ(w1 i1 + w2 i2 + b1), h2 = σ(w3 i1 + w4 i2 + b1)
    o = sigmoid(W_out @ h + b[1])     # o1 = σ(w5 h1 + w6 h2 + b2), o2 = σ(w7 h1 + w8 h2 + b2)
    return h, o


def loss(i, t, w, b):
    """L = ½ [(t1 - o1)² + (t2 - o2)²]: one float."""
    _, o = forward(i, w, b)
    return 0.5 * np.sum((t - o) ** 2)
'''

MP_CLASSMATE = r"""
## A classmate's answer: what is wrong with it?

A classmate wrote, for the gradient with respect to the hidden unit $h_1$:

> "$h_1$ goes into $o_1$ through $w_5$, so
>
> $$\frac{\partial L}{\partial h_1} = \frac{\partial L}{\partial o_1}\,\frac{\partial o_1}{\partial z_{o_1}}\,\frac{\partial z_{o_1}}{\partial w_5}\,\frac{\partial w_5}{\partial h_1}$$
>
> where $z_{o_1} = w_5 h_1 + w_6 h_2 + b_2$. For $o_2$ it would be a term with
> $\partial w_7 / \partial h_1$, but $o_2$ is the other output, so I left it out."

**In the cell below, explain what is wrong with this** (there are two separate problems).
Look at what each factor is a derivative *of* and *with respect to*, and count the paths
from $h_1$ to $L$ in the diagram. You may come back to this after the steps further down.
"""

MP_CLASSMATE_ANSWER = r"""
(1) A weight is a parameter, not a function of $h_1$: $\partial w_5 / \partial h_1$ and
$\partial w_7 / \partial h_1$ make no sense, and the chain must not pass through $w_5$. It must
pass through quantities that depend on $h_1$: $h_1 \to z_{o_1} \to o_1 \to L$, with local
derivative $\partial z_{o_1} / \partial h_1 = w_5$. The factor $\partial z_{o_1}/\partial w_5 = h_1$
belongs to $\partial L / \partial w_5$, not to $\partial L / \partial h_1$; as written, the
path carries $h_1$ where $w_5$ belongs. (2) $h_1$ feeds both outputs ($o_1$ via $w_5$ and
$o_2$ via $w_7$), and $L$ depends on both, so there are two paths and both count:
$\frac{\partial L}{\partial h_1} = (o_1 - t_1)\,o_1(1 - o_1)\,w_5 + (o_2 - t_2)\,o_2(1 - o_2)\,w_7.$
"""

MP_DERIVATION = r"""
## Deriving the gradients, step by step

Name the pre-activations:

$$z_{h_1} = w_1 i_1 + w_2 i_2 + b_1,\quad z_{h_2} = w_3 i_1 + w_4 i_2 + b_1,\quad
z_{o_1} = w_5 h_1 + w_6 h_2 + b_2,\quad z_{o_2} = w_7 h_1 + w_8 h_2 + b_2,$$

so that $h_k = \sigma(z_{h_k})$ and $o_k = \sigma(z_{o_k})$.

**Pieces you may use**

* $\sigma'(z) = \sigma(z)(1 - \sigma(z))$, so $\partial o_1 / \partial z_{o_1}$ can be written with $o_1$,
  and $\partial h_1 / \partial z_{h_1}$ with $h_1$.
* Each $z$ is a sum of terms (weight × input) plus a bias. Its derivative with respect to a
  weight in it is the input that weight multiplies; with respect to an input in it, the weight
  that multiplies it; with respect to its bias, 1. For example $\partial z_{o_1} / \partial w_6 = h_2$
  and $\partial z_{o_2} / \partial h_2 = w_8$.
* **Sum over all paths.** If a quantity reaches $L$ along several paths of the diagram, its
  derivative is the sum, over the paths, of the product of the local derivatives along each path.
* Matrix form, if you like it: with $W^{(1)} = \begin{pmatrix} w_1 & w_2 \\ w_3 & w_4 \end{pmatrix}$ and
  $W^{(2)} = \begin{pmatrix} w_5 & w_6 \\ w_7 & w_8 \end{pmatrix}$ (row $k$ holds the weights *into* unit $k$),
  $z_h = W^{(1)} i + b_1$ and $z_o = W^{(2)} h + b_2$; in NumPy `w[:4].reshape(2, 2)` and
  `w[4:].reshape(2, 2)`. Shapes: `dL_dw` returns shape `(8,)` in the order $w_1, \dots, w_8$,
  `dL_db` returns shape `(2,)` in the order $b_1, b_2$.

**Step 1.** What are $\partial L / \partial o_1$ and $\partial L / \partial o_2$? Mind the sign and the ½.
Call $\delta_{o_k} = \partial L / \partial z_{o_k}$, and write it with Step 1 and one local derivative.

**Step 2 (`dL_dw5`).** Which unit does $w_5$ feed (read it off the diagram)? How many paths lead
from $w_5$ to $L$? Write $\partial L / \partial w_5$ with $\delta_{o_1}$.

**Step 3 (`dL_dh1`).** Trace every path from $h_1$ to $L$ in the diagram. How many are there,
and which weight does each path cross? Write one product per path and apply the rule above.

**Step 4 (`dL_dw1`).** $w_1$ reaches $h_1$ through $z_{h_1}$. Call $\delta_{h_1} = \partial L / \partial z_{h_1}$
and write it with Step 3. Then write $\partial L / \partial w_1$.

**Step 5 (`dL_dw`).** Look at what your answers to Steps 2 and 4 multiply together. Does the same
pattern give the other six weights? Be careful with the layout: check, for each weight, which
unit it feeds and which input it multiplies.

**Step 6 (`dL_db`).** In which pre-activations does $b_1$ appear? And $b_2$? How many paths lead
from each bias to $L$?

## Your code
"""

MP_DOC = '''
    """{what}

    i: inputs (i1, i2), shape (2,); t: targets (t1, t2), shape (2,);
    w: weights w1..w8, shape (8,), w[0] is w1; b: biases (b1, b2), shape (2,).
    Returns {returns}.
    """
'''

MP_SOLUTIONS = {
    "dL_dw5": ("∂L/∂w5.", "one float", '''
    ### BEGIN SOLUTION
    h, o = forward(i, w, b)
    delta_o1 = (o[0] - t[0]) * o[0] * (1 - o[0])  # δo1 = ∂L/∂z_o1 = (o1 - t1) o1(1 - o1)
    return float(delta_o1 * h[0])                 # ∂L/∂w5 = δo1 h1  (w5 multiplies h1 in z_o1)
    ### END SOLUTION
'''),
    "dL_dh1": ("∂L/∂h1, h1 reaching L through every path.", "one float", '''
    ### BEGIN SOLUTION
    h, o = forward(i, w, b)
    delta_o = (o - t) * o * (1 - o)               # δo_k = (o_k - t_k) o_k(1 - o_k), k = 1, 2
    return float(delta_o[0] * w[4] + delta_o[1] * w[6])   # ∂L/∂h1 = δo1 w5 + δo2 w7: both paths
    ### END SOLUTION
'''),
    "dL_dw1": ("∂L/∂w1.", "one float", '''
    ### BEGIN SOLUTION
    h, o = forward(i, w, b)
    delta_o = (o - t) * o * (1 - o)               # δo_k = (o_k - t_k) o_k(1 - o_k)
    grad_h1 = delta_o[0] * w[4] + delta_o[1] * w[6]   # ∂L/∂h1 = δo1 w5 + δo2 w7
    delta_h1 = grad_h1 * h[0] * (1 - h[0])        # δh1 = ∂L/∂z_h1 = ∂L/∂h1 h1(1 - h1)
    return float(delta_h1 * i[0])                 # ∂L/∂w1 = δh1 i1
    ### END SOLUTION
'''),
    "dL_dw": ("∂L/∂w for all eight weights.", "an array of shape (8,): ∂L/∂w1, ..., ∂L/∂w8", '''
    ### BEGIN SOLUTION
    h, o = forward(i, w, b)
    W_out = w[4:].reshape(2, 2)                   # [[w5, w6], [w7, w8]]
    delta_o = (o - t) * o * (1 - o)               # δo_k = (o_k - t_k) o_k(1 - o_k)
    delta_h = (W_out.T @ delta_o) * h * (1 - h)   # δh_j = (Σ_k δo_k W_out[k, j]) h_j(1 - h_j)
    grad_hidden = np.outer(delta_h, i)            # ∂L/∂w1..w4 = δh_j i_l  (rows h1, h2)
    grad_out = np.outer(delta_o, h)               # ∂L/∂w5..w8 = δo_k h_j  (rows o1, o2)
    return np.concatenate([grad_hidden.ravel(), grad_out.ravel()])
    ### END SOLUTION
'''),
    "dL_db": ("∂L/∂b for both biases; each feeds two units.", "an array of shape (2,): ∂L/∂b1, ∂L/∂b2", '''
    ### BEGIN SOLUTION
    h, o = forward(i, w, b)
    W_out = w[4:].reshape(2, 2)                   # [[w5, w6], [w7, w8]]
    delta_o = (o - t) * o * (1 - o)               # δo_k = (o_k - t_k) o_k(1 - o_k)
    delta_h = (W_out.T @ delta_o) * h * (1 - h)   # δh_j = (Σ_k δo_k W_out[k, j]) h_j(1 - h_j)
    return np.array([delta_h.sum(), delta_o.sum()])   # b1 feeds h1 and h2; b2 feeds o1 and o2
    ### END SOLUTION
'''),
}

MP_HEADERS = {
    "dL_dw5": "Steps 1 and 2. Return one float.",
    "dL_dh1": "Step 3. Return one float.",
    "dL_dw1": "Step 4. Return one float.",
    "dL_dw": "Step 5. Return an array of shape `(8,)`: entry `k` is $\\partial L / \\partial w_{k+1}$.",
    "dL_db": "Step 6. Return an array of shape `(2,)`: $\\partial L / \\partial b_1$, $\\partial L / \\partial b_2$.",
}

def multi_path():
    ex = "multi_path"
    cells = [md(MP_STORY), how_it_works(), given(MP_GIVEN), md(MP_CLASSMATE),
             written(MP_CLASSMATE_ANSWER), md(MP_DERIVATION)]
    for name, (what, returns, body) in MP_SOLUTIONS.items():
        doc = MP_DOC.format(what=what, returns=returns).lstrip("\n")
        src = f"def {name}(i, t, w, b):\n{doc}{body.lstrip(chr(10))}"
        cells += [header(name, POINTS.get(f"{ex}.{name}", 2), MP_HEADERS[name]),
                  solution(name, src), self_check(ex, name), hidden_test(ex, name)]
    return notebook(cells)


# -- main ------------------------------------------------------------------------------------

BUILDERS = {"scalar_chain": scalar_chain, "matrix_mlp": matrix_mlp, "multi_path": multi_path}
#: The layout of each notebook's network diagram (what the PNG attachment is drawn from).
SVGS = {"scalar_chain": SC_SVG.strip(), "matrix_mlp": _mlp_svg().strip(), "multi_path": MP_SVG.strip()}


def fingerprint(nb):
    """sha256 of what a notebook says: each cell's type, source, nbgrader metadata and attachments."""
    cells = [{"cell_type": c.cell_type, "source": c.source, "nbgrader": c.metadata.get("nbgrader"),
              "attachments": c.get("attachments")} for c in nb.cells]
    return hashlib.sha256(json.dumps(cells, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def refusal(path):
    """Why `path` must not be overwritten (it was edited, or not written by this tool), or None."""
    if not path.exists():
        return None
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as err:                          # noqa: BLE001 - a notebook nbformat cannot read
        return f"cannot be read ({type(err).__name__}), so it may hold edits"
    recorded = nb.metadata.get(STAMP, {}).get("fingerprint")
    if recorded is None:
        return "was not written by this tool (no record of what it wrote)"
    if recorded != fingerprint(nb):
        return "has been edited since this tool wrote it"
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(prog="tools/make_notebooks.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", metavar="ASSIGNMENT",
                        help=f"any of {', '.join(BUILDERS)} (default: all)")
    parser.add_argument("--source", type=Path, default=SOURCE, help="the course's source/ directory")
    parser.add_argument("--force", action="store_true", help="overwrite notebooks even if they were edited")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in BUILDERS]
    if unknown:
        parser.error(f"unknown assignment {unknown[0]!r}: choose from {', '.join(BUILDERS)}")
    names, source = args.names or list(BUILDERS), args.source.resolve()
    paths = {name: source / name / f"{name}.ipynb" for name in names}
    refused = {name: why for name, p in paths.items() if not args.force and (why := refusal(p))}
    if refused:
        for name, why in refused.items():
            print(f"refused: {paths[name]} {why}.", file=sys.stderr)
        print("The notebooks are the source of truth: edit them in JupyterLab and run `backprop-grader "
              "check-course`. To throw the edits away and regenerate, run this again with --force.", file=sys.stderr)
        return 1
    pngs = dict(zip(names, render_png([SVGS[name] for name in names])))
    for name in names:
        nb = BUILDERS[name]()
        attach_diagram(nb, pngs[name])
        nb.metadata[STAMP] = {"fingerprint": fingerprint(nb), "tool": "tools/make_notebooks.py"}
        nbformat.validate(nb)
        path = paths[name]
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(path))
        print(f"wrote {path}")
        module = path.parent / SELF_CHECK_FILE                 # released beside the notebook by nbgrader
        module.write_text((source / SELF_CHECK_FILE).read_text())
        print(f"wrote {module}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
