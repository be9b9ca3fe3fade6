"""The review flow: one suspended run per flagged claim, resumed with the reviewer's decision."""

from __future__ import annotations

from prefect import flow
from prefect.flow_runs import suspend_flow_run
from prefect.input import RunInput
from prefect.runtime import flow_run
from pydantic import Field

from claims.review import ReviewChoice
from tasks.review import record_review, review_page
from tradein.errors import ReviewError
from tradein.settings import get_settings

MAX_ATTEMPTS = 5


class ReviewInput(RunInput):
    """The reviewer's form (contract section 6)."""

    decision: ReviewChoice
    approved_lines: list[int] = Field(default_factory=list, description="0-based line indexes, only with approve_lines")
    reason: str = Field(default="", description="required for reject and approve_lines")
    reviewer: str = Field(description="who decided")


@flow(name="review-claim", flow_run_name="review-{claim_ref}", persist_result=True, log_prints=True)
def review_claim(claim_ref: str) -> str:
    """Wait (suspended, holding no worker) for a reviewer's decision, then record it once."""
    page = review_page(claim_ref)
    timeout = get_settings().programme.review_timeout_days * 86400
    problem = None
    for attempt in range(MAX_ATTEMPTS):
        note = f"\n> **Your last input was refused:** {problem}\n" if problem else ""
        answer = suspend_flow_run(
            wait_for_input=ReviewInput.with_initial_data(description=page + note),
            timeout=timeout,
            key=f"review-{attempt}",
        )
        result = record_review(
            claim_ref, answer.decision, list(answer.approved_lines), answer.reason, answer.reviewer, str(flow_run.id)
        )
        if result.status is not None:
            return result.status
        problem = result.problem
    raise ReviewError(f"review of {claim_ref} refused {MAX_ATTEMPTS} inputs in a row; last: {problem}")
