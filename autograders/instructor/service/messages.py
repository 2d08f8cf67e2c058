"""What the service answers: the autograder's own message (policy 'mistake') or only correct / not yet
(policy 'correct'), styled as the feedback page, with one line saying it is practice. Never a mistake
id, a seed of the graded trials or a reference value: only the text the engine writes for students."""
import html as _html

GREEN, RED = "#2e7d32", "#c62828"
PRACTICE = ("Instant feedback on practice inputs (not graded; the graded tests use other numbers). "
            "{left} more check(s) of this function this hour.")
ONLY = ("Instant feedback for this assignment says only whether the answer is correct (your instructor's "
        "setting). Check each chain-rule factor, or compare one entry with a finite difference.")


def _plain_html(title, text, correct):
    colour = GREEN if correct else RED
    esc = _html.escape
    return (f"<div class='backprop-feedback' style='border-left:6px solid {colour};padding:6px 12px;margin:6px 0'>"
            f"<p style='margin:2px 0;font-weight:bold;color:{colour}'>{esc(title)}</p>"
            f"<p style='margin:4px 0'>{esc(text)}</p></div>")


def answer_for(result, policy, left):
    """The JSON body of an answer: {"status", "message", "html", "left"}."""
    status = "correct" if result.correct else "not yet"
    practice = PRACTICE.format(left=max(left, 0))
    if policy == "mistake":
        message, html = result.message, result.html
    else:
        title = f"{result.check_id}: " + ("correct" if result.correct else "not correct yet")
        text = (f"Your function agrees with the gradient on all {result.trials} practice test cases."
                if result.correct else ONLY)
        message, html = f"{title}\n\n{text}", _plain_html(title, text, result.correct)
    return {"status": status, "message": f"{message}\n\n{practice}",
            "html": f"{html}<p style='margin:2px 0 8px 0;font-size:0.85em;color:#555'>{_html.escape(practice)}</p>",
            "left": max(left, 0)}
