"""backprop-grader: the instructor's commands around nbgrader.

Errors are one clear line and a non-zero exit code, never a traceback.
"""
import argparse
import os
import sys

from ..engine.course import ASSIGNMENTS, CourseError
from .cli_course import (cmd_check_course, cmd_demo, cmd_feedback_token, cmd_mistake_draft, cmd_report,
                         cmd_serve)
from .cli_grading import cmd_autograde, cmd_verify

DB_URL_HELP = ("gradebook URL (default: c.CourseDirectory.db_url of nbgrader_config.py, else sqlite gradebook.db "
               "in the course; postgresql://user@host:port/db for a cluster)")


def _positive(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def build_parser():
    parser = argparse.ArgumentParser(
        prog="backprop-grader",
        description="Backpropagation exercises graded by nbgrader, with feedback keyed to chain-rule mistakes.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    p = sub.add_parser("demo", help="build a course, grade a simulated class end to end, print a summary",
                       description="Create a course directory, release the three assignments, write a simulated "
                                   "class into submitted/, run nbgrader autograde, generate_feedback and export, "
                                   "and print a table of scores and mistake ids.")
    p.add_argument("--dir", help="course directory to create (default: a new temporary directory)")
    p.add_argument("--students", type=int, default=30, help="size of the simulated class (default 30)")
    p.add_argument("--force", action="store_true", help="rebuild --dir if it already holds a demo course")
    p.add_argument("--jobs", "-j", type=_positive, default=2 * (os.cpu_count() or 1),
                   help="submissions autograded at once (default: 2 x CPUs)")
    p.set_defaults(run=cmd_demo)

    p = sub.add_parser("report", help="class mistake report (HTML, CSV), Gradescope and Canvas exports",
                       description="Read the gradebook and the diagnosis records of the autograded notebooks "
                                   "(nothing is re-run) and write: reports/class_report.html (one self-contained "
                                   "file: per check a chart of mistake frequencies, the messages, the students "
                                   "affected, the score distribution, and a per-student table), "
                                   "reports/class_report.csv (one row per student and check), "
                                   "reports/gradescope/<assignment>/<student>/results.json and "
                                   "reports/canvas_grades.csv.")
    p.add_argument("assignment", nargs="?", default="all",
                   help=f"one of {', '.join(ASSIGNMENTS)}, or all (default)")
    p.add_argument("--course", help="course directory (default: the nearest directory with nbgrader_config.py)")
    p.add_argument("--out", help="output directory (default: <course>/reports)")
    p.add_argument("--table", action="store_true", help="also print the students x checks table")
    p.add_argument("--db-url", help=DB_URL_HELP)
    p.add_argument("--allow-empty", action="store_true",
                   help="write the exports even when the gradebook has no graded submission (they would be empty)")
    p.set_defaults(run=cmd_report)

    p = sub.add_parser("mistake", help="turn a group of the report's 'Not yet in the catalogue' into a mistake")
    msub = p.add_subparsers(dest="action", metavar="ACTION")
    msub.required = True
    p = msub.add_parser("draft", help="print the knob line, Mistake(...) entry and fixture for a group",
                        description="For group GROUP (its number in the report, 1 = largest) of CHECK: print the "
                                    "knob line for the reference (when a candidate explanation was found), a "
                                    "Mistake(...) entry with what/why/fix to fill in, and write a fixture file "
                                    "from the representative's code, as the README's 'Adding a mistake' says.")
    p.add_argument("check", help="a check id, e.g. matrix_mlp.df_dW1")
    p.add_argument("group", type=_positive, help="the group's number in the report (matrix_mlp.df_dW1#1 -> 1)")
    p.add_argument("--id", default="new_mistake", help="the new mistake id (default new_mistake)")
    p.add_argument("--out", help="folder for the fixture (default tests/students/<exercise>/ or reports/drafts/)")
    p.add_argument("--course", help="course directory (default: the nearest directory with nbgrader_config.py)")
    p.set_defaults(run=cmd_mistake_draft)

    p = sub.add_parser("verify", help="re-grade submissions out of the kernel and flag disagreements",
                       description="Run each student's notebook code in a separate locked-down process (no "
                                   "course files, no network, CPU/memory limits), grade every function there on "
                                   "fresh secret trials, compare with the in-kernel score in the gradebook, and "
                                   "scan the code for tampering. Flags go to the terminal and to "
                                   "reports/verify/<assignment>.json. Under --policy verified (the default, or "
                                   "BACKPROP_VERIFY_POLICY) a verified score that differs replaces the in-kernel "
                                   "one as nbgrader's manual score. Run after `nbgrader autograde`.")
    p.add_argument("assignment", nargs="?", default="all", help="an assignment, or all (default)")
    p.add_argument("--course", help="course directory (default: the nearest directory with nbgrader_config.py)")
    p.add_argument("--policy", choices=("verified", "flag"), help="what to do with a disagreement")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.add_argument("--all", action="store_true", help="list every student, not only the flagged ones")
    p.add_argument("--strict", action="store_true", help="exit with status 1 when anything is flagged")
    p.add_argument("--allow-unisolated", action="store_true",
                   help="grade even where student code cannot be isolated (printed in red in every summary)")
    p.add_argument("--undo", action="store_true", help="take back every score verification wrote (the ledger): "
                                                       "the gradebook as nbgrader left it; a person's scores stay")
    p.add_argument("--db-url", help=DB_URL_HELP)
    p.set_defaults(run=cmd_verify)

    p = sub.add_parser("autograde", help="nbgrader autograde for the whole class in parallel, then verify",
                       description="Autograde every submission of an assignment with nbgrader's own API, several "
                                   "at a time (or on a Dask cluster with --scheduler), then verify each out of "
                                   "the kernel. Gives the gradebook sequential `nbgrader autograde` gives. "
                                   "Resumable: submissions already graded (unchanged since) are skipped unless "
                                   "--force. Exit status 1 when a submission could not be graded.")
    p.add_argument("assignment", nargs="?", default="all", help="an assignment, or all (default)")
    p.add_argument("--course", help="course directory (default: the nearest directory with nbgrader_config.py)")
    p.add_argument("--jobs", "-j", type=_positive, default=2 * (os.cpu_count() or 1),
                   help="submissions graded at once on this machine (default: 2 x CPUs: kernels wait on I/O)")
    p.add_argument("--scheduler", help="address of a Dask distributed scheduler (tcp://host:8786); the workers "
                                       "must see the course directory at the same path")
    p.add_argument("--db-url", help=DB_URL_HELP)
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.add_argument("--force", action="store_true", help="regrade submissions that are already graded")
    p.add_argument("--allow-unisolated", action="store_true",
                   help="grade even where student code cannot be isolated (printed in red in every summary)")
    p.add_argument("--no-verify", action="store_true", help="skip the out-of-kernel verification")
    p.set_defaults(run=cmd_autograde)

    p = sub.add_parser("serve", help="instant feedback while students work (a JupyterHub service, or local)",
                       description="Run the formative feedback service: students' self-checks ask it for practice "
                                   "inputs, run their own function on them in their own kernel and send back the "
                                   "outputs; the service answers with the autograder's message (or only correct / "
                                   "not yet, or nothing: c.FeedbackService.policy per assignment) and records every "
                                   "attempt for the class report. Started by the hub (--auth hub, see "
                                   "autograders/instructor/service/hub.py), or locally with tokens from `feedback-token`.")
    p.add_argument("--course", help="course directory (default: the nearest directory with nbgrader_config.py)")
    p.add_argument("--ip", help="address to listen on (default: from JUPYTERHUB_SERVICE_URL, else 127.0.0.1)")
    p.add_argument("--port", type=_positive, help="port (default: from JUPYTERHUB_SERVICE_URL, else 10101)")
    p.add_argument("--auth", choices=("auto", "hub", "local"), default="auto",
                   help="who may ask: students' JupyterHub tokens (hub), tokens from feedback-token (local), or hub "
                        "when the hub started the service (auto, the default)")
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("feedback-token", help="issue a student's token for the feedback service (without a hub)",
                       description="Print a new token for STUDENT; their self-checks send it to `backprop-grader "
                                   "serve --auth local` (BACKPROP_FEEDBACK_TOKEN). Only its digest is stored.")
    p.add_argument("student")
    p.add_argument("--course", help="course directory (default: the nearest directory with nbgrader_config.py)")
    p.add_argument("--revoke", action="store_true", help="revoke every token of STUDENT instead")
    p.set_defaults(run=cmd_feedback_token)

    p = sub.add_parser("check-course", help="check the instructor notebooks after editing them in JupyterLab",
                       description="For each source/<assignment>/<assignment>.ipynb: every graded function has its "
                                   "solution cell, self-check and hidden test; every hidden test calls check() with "
                                   "a check id that exists and the cell's points; hidden code sits between the "
                                   "HIDDEN TESTS markers; given code cells are read-only; the story's diagram is an "
                                   "attached picture with alt text; `nbgrader validate` of a copy gives the "
                                   "solutions full marks. Exit status 1 when anything needs fixing.")
    p.add_argument("assignment", nargs="?", default="all", help="an assignment, or all (default)")
    p.add_argument("--course", help="course directory (default: the nearest directory with nbgrader_config.py)")
    p.add_argument("--static", action="store_true", help="skip `nbgrader validate` (which runs the notebook)")
    p.set_defaults(run=cmd_check_course)
    return parser


def _skip_iri_format_checker():
    """jsonschema imports rfc3987-syntax when it is installed (Jupyter's packages pull it in), and that
    builds a Lark grammar as it is imported: ~2 s of CPU for every command here (as much as grading five
    submissions), only to check the 'iri' string format, which no notebook or nbgrader schema uses.
    Without it jsonschema simply has no 'iri' checker; every verdict on a notebook is the same."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)     # `import rfc3987_syntax` now raises ImportError


def main(argv=None):
    _skip_iri_format_checker()
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except CourseError as err:
        print(f"backprop-grader: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("backprop-grader: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
