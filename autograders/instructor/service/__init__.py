"""Instant formative feedback while students work: `backprop-grader serve`.

A service beside the course, never in the student's environment. The student's
self-check asks it for practice inputs of a check (formative.py: drawn from a
formative secret, not the graded one), runs their own function on them in their
own kernel and sends back only the outputs; the service replays those outputs
through the autograder's engine and answers with its message (messages.py), as
the instructor's per-assignment policy allows. app.py is the HTTP API, auth.py
says who is asking (a JupyterHub token or a local token), store.py records every
attempt, hub.py is the JupyterHub service configuration, server.py starts it.
"""
