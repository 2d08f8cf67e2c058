"""Preprocessors of ours that run inside nbgrader's own pipelines (configured in nbgrader_config.py)."""
import re

from nbconvert.preprocessors import Preprocessor
from nbgrader.nbgraderformat import ValidationError
from nbgrader.nbgraderformat.common import SchemaMismatchError
from nbgrader.preprocessors import CheckCellMetadata
from nbformat.v4 import new_output
from traitlets import Bool, Unicode

DIAGNOSIS_MIME = "application/vnd.backprop.diagnosis+json"


def is_autograder_test(cell):
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and meta.get("grade") and not meta.get("solution")


def check_ids_in(source):
    return re.findall(r"""check\(\s*["']([\w.]+)["']""", source)


class HideHiddenTests(Preprocessor):
    """For feedback: replace each autograder test cell's source with a one-line label, and its
    error outputs and stderr with a plain sentence, so students see our messages only."""

    enabled = Bool(True, help="Hide hidden-test sources and tracebacks in feedback (on by default).").tag(
        config=True)
    label = Unicode("# Hidden test of {checks}: its result is shown below.",
                    help="What replaces the source of an autograder test cell in feedback.").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if not is_autograder_test(cell):
            return cell, resources
        checks = check_ids_in(cell.source) or [cell.metadata["nbgrader"].get("grade_id", "this cell")]
        has_feedback = any(DIAGNOSIS_MIME in out.get("data", {}) for out in cell.outputs)
        outputs = []
        for out in cell.outputs:
            if out.output_type == "error":
                outputs.append(new_output("stream", name="stdout", text=_explain_error(out, checks)))
            elif out.output_type == "stream" and out.name == "stderr":
                continue
            elif out.output_type == "execute_result" and has_feedback:
                continue                       # the points earned; the gradebook shows them
            else:
                outputs.append(out)
        cell.outputs = outputs
        cell.source = self.label.format(checks=", ".join(checks))
        return cell, resources


def _explain_error(out, checks):
    what = ", ".join(checks)
    if out.ename == "NameError":
        name = re.search(r"'(\w+)'", out.evalue)
        name = name.group(1) if name else "a function"
        return (f"{what}: 0 points. The function `{name}` is not defined when the tests run: was its "
                "cell deleted or renamed, or did an earlier cell fail? Restart the kernel and run all "
                "cells to check.\n")
    if out.ename in ("CellTimeoutError", "DeadKernelError"):
        return f"{what}: 0 points. The notebook stopped responding while this was tested.\n"
    return (f"{what}: 0 points. The test could not run ({out.ename}). Restart the kernel and run "
            "all cells: every cell must run without errors.\n")


class SubmissionMetadataError(Exception):
    """A submission whose nbgrader metadata cannot be graded; nbgrader then fails this one submission
    (its generic `except Exception`) and goes on with the class."""


class CheckSubmissionMetadata(CheckCellMetadata):
    """nbgrader's CheckCellMetadata, charged to the submission it checks.

    nbgrader raises SchemaTooNewError / SchemaTooOldError for a cell whose metadata version is not its
    own, and its converter answers those by stopping the whole command: one student who writes
    `schema_version: 99` into a cell leaves the class ungraded. Here they fail that submission only.
    A cell whose metadata nbgrader's own DeduplicateIds emptied (a second cell with the same grade_id,
    e.g. a copied cell) is an ordinary cell again rather than a cell of an "old version"."""

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            if "nbgrader" in cell.metadata and not cell.metadata["nbgrader"]:
                del cell.metadata["nbgrader"]          # what DeduplicateIds left of a duplicate
        try:
            return super().preprocess(nb, resources)
        except SchemaMismatchError as err:
            raise SubmissionMetadataError(f"this submission's nbgrader metadata is version {err.actual_version}, "
                                     f"the course's is {err.expected_version}: the notebook's metadata "
                                     "was edited; not graded") from None
        except ValidationError as err:
            raise SubmissionMetadataError(f"this submission's nbgrader metadata is invalid ({err}); not graded") \
                from None
