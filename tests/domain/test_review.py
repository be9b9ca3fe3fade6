"""Review decisions: validation in the form's terms and the statuses they lead to."""

from __future__ import annotations

from claims.reasons import ClaimStatus, LineStatus
from claims.review import ReviewChoice, review_outcome, review_problem

A, R, N = LineStatus.APPROVED, LineStatus.REJECTED, LineStatus.NEEDS_REVIEW


def test_reject_and_approve_lines_need_a_reason():
    assert "reason" in review_problem(ReviewChoice.REJECT, [], "", 1)
    assert "reason" in review_problem(ReviewChoice.APPROVE_LINES, [0], None, 2)
    assert review_problem(ReviewChoice.APPROVE, [], None, 1) is None
    assert "0 to 1" in review_problem(ReviewChoice.APPROVE_LINES, [2], "ok", 2)


def test_outcomes():
    assert review_outcome(ReviewChoice.APPROVE, [], [N, N]).status == ClaimStatus.APPROVED
    assert review_outcome(ReviewChoice.APPROVE, [], [N, R]).line_statuses == (A, R)
    assert review_outcome(ReviewChoice.APPROVE, [], [N, R]).status == ClaimStatus.PARTIALLY_APPROVED
    assert review_outcome(ReviewChoice.REJECT, [], [N, A]).status == ClaimStatus.REJECTED
    assert review_outcome(ReviewChoice.APPROVE_LINES, [1], [N, N]).line_statuses == (R, A)
