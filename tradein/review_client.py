"""The terminal's door to a review: resume the claim's review run, or record directly."""

from __future__ import annotations

import os
import time
import uuid

from claims.review import ReviewChoice
from models import reviews
from models.claims import find_claim
from models.db import session_scope
from tradein.errors import ReviewError
from tradein.settings import Settings

WAIT_FOR_RUN_S = 120


def resolve(
    settings: Settings, claim_ref: str, choice: ReviewChoice, lines: list[int], reason: str | None, reviewer: str
) -> tuple[str, str]:
    """Decide a claim; returns (new status, how it was recorded)."""
    with session_scope(settings.resolved_database_url) as session:
        claim = find_claim(session, claim_ref)
        if claim is None:
            raise ReviewError(f"no claim {claim_ref}", code="UNKNOWN_CLAIM")
        run_id = claim.review_flow_run_id
    if run_id and os.environ.get("PREFECT_API_URL"):
        return _resume(settings, claim_ref, run_id, choice, lines, reason, reviewer), f"review run {run_id} resumed"
    with session_scope(settings.resolved_database_url) as session:
        status = reviews.apply_review(session, claim_ref, choice, lines, reason, reviewer)
    return status, "recorded directly"


def _resume(
    settings: Settings,
    claim_ref: str,
    run_id: str,
    choice: ReviewChoice,
    lines: list[int],
    reason: str | None,
    reviewer: str,
) -> str:
    from prefect.client.orchestration import get_client
    from prefect.flow_runs import resume_flow_run

    with get_client(sync_client=True) as client:
        state = client.read_flow_run(uuid.UUID(run_id)).state
    if state is None or not state.is_paused():
        with session_scope(settings.resolved_database_url) as session:
            claim = find_claim(session, claim_ref)
            if claim is not None and claim.review is not None:
                raise ReviewError(f"claim {claim_ref} was already decided", code="ALREADY_DECIDED")
        raise ReviewError(
            f"review run {run_id} is {state.name if state else 'unknown'}, not waiting for input", code="NOT_IN_REVIEW"
        )
    run_input = {"decision": str(choice), "approved_lines": lines, "reason": reason or "", "reviewer": reviewer}
    resume_flow_run(uuid.UUID(run_id), run_input=run_input, _sync=True)
    return _wait_for_decision(settings, claim_ref)


def _wait_for_decision(settings: Settings, claim_ref: str) -> str:
    deadline = time.monotonic() + WAIT_FOR_RUN_S
    while time.monotonic() < deadline:
        with session_scope(settings.resolved_database_url) as session:
            claim = find_claim(session, claim_ref)
            if claim is not None and claim.review is not None:
                return claim.status
        time.sleep(1)
    raise ReviewError(
        f"the review run of {claim_ref} was resumed but has not recorded the decision yet", code="REVIEW_PENDING"
    )
