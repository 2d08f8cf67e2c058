"""nbgrader configuration of the backprop course: this repository is the course directory.

Every ordinary nbgrader command works from here (generate_assignment, autograde,
generate_feedback, export, formgrader). Grading settings of our own are read by
the kernels from the environment (see autograders/engine/settings.py):

    BACKPROP_COURSE_SECRET   mixed into every trial seed: SET IT for a real class
    BACKPROP_CALL_TIME_LIMIT seconds per call of a student's function (default 2)
    BACKPROP_NUMERICAL_GRADIENT_CREDIT  credit for finite differences (default 0)
"""
c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = "backprop"

# A cell that runs longer than this is stopped (our own per-call limit is far shorter).
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# Released stubs raise NotImplementedError, which the grader reports kindly.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Feedback shows our messages, never hidden-test source, tracebacks from hidden cells or stderr.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "autograders.integrity.nbgrader_plugins.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# Autograde as nbgrader does, except that the student's kernel starts jailed: it cannot see or write the
# gradebook, the solutions or other submissions (autograders/integrity/kernel.py).
c.Autograde.autograde_preprocessors = [
    "autograders.integrity.execute.JailedExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "autograders.integrity.nbgrader_plugins.CheckSubmissionMetadata",
]
# nbgrader's sanitizing steps, except that metadata it rejects fails that one submission, not the command.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "autograders.integrity.nbgrader_plugins.CheckSubmissionMetadata",
]
