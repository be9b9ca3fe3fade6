"""Prefect tasks of the review: the reviewer's page, recording the decision, opening review runs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from prefect import task
from prefect.exceptions import ObjectNotFound

from claims.review import ReviewChoice, review_description
from models import reviews
from models.claims import find_claim
from models.db import session_scope
from models.records import claim_record, declared_summary
from tradein.errors import ReviewError
from tradein.settings import get_settings

REVIEW_DEPLOYMENT = "review-claim/review-claim"


@dataclass(frozen=True)
class ReviewResult:
    """The claim's new status, or why the input was refused."""

    status: str | None
    problem: str | None


@task(name="review-page", task_run_name="review-page-{claim_ref}", persist_result=True)
def review_page(claim_ref: str) -> str:
    """The Markdown a reviewer reads above the form."""
    settings = get_settings()
    with session_scope(settings.resolved_database_url) as session:
        claim = find_claim(session, claim_ref)
        if claim is None:
            raise ReviewError(f"no claim {claim_ref}", code="UNKNOWN_CLAIM")
        record, declared = claim_record(claim), declared_summary(claim)
        store = settings.store_dir
        hint = "Documents (content-addressed store): " + ", ".join(
            f"`{d.file}` → `{store / d.sha256[:2] / d.sha256[2:4] / d.sha256}`" for d in claim.documents
        )
    return review_description(record, declared, hint)


@task(name="record-review", task_run_name="record-review-{claim_ref}", persist_result=True)
def record_review(
    claim_ref: str, choice: ReviewChoice, approved_lines: list[int], reason: str, reviewer: str, flow_run_id: str | None
) -> ReviewResult:
    """Apply the reviewer's decision once; a refused input comes back as a problem to show."""
    try:
        with session_scope(get_settings().resolved_database_url) as session:
            status = reviews.apply_review(
                session, claim_ref, choice, approved_lines, reason or None, reviewer or None, flow_run_id
            )
    except ReviewError as e:
        if e.code == "INVALID_REVIEW":
            return ReviewResult(None, e.detail)
        raise
    return ReviewResult(status, None)


@task(name="open-review-runs")
def open_review_runs(claim_refs: list[str]) -> list[str]:
    """Start one suspended review run per flagged claim that has none; return notes for the summary."""
    from prefect.deployments import run_deployment

    if not claim_refs:
        return []
    opened, notes = 0, []
    for ref in claim_refs:
        try:
            run = run_deployment(
                REVIEW_DEPLOYMENT,
                parameters={"claim_ref": ref},
                flow_run_name=f"review-{ref}",
                timeout=0,
                as_subflow=False,
            )
        except ObjectNotFound:
            return [
                f"{len(claim_refs)} claim(s) need review; no `review-claim` deployment here (start `tradein serve`), "
                "use `tradein review resolve` meanwhile"
            ]
        with session_scope(get_settings().resolved_database_url) as session:
            reviews.set_review_run(session, ref, str(run.id))
        opened += 1
    notes.append(f"{opened} review run(s) opened in the Prefect UI")
    return notes


@task(name="overdue-reviews")
def escalate_overdue_reviews() -> list[str]:
    """Notes for reviews waiting longer than the programme's review timeout (escalated, not approved)."""
    settings = get_settings()
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=settings.programme.review_timeout_days)
    with session_scope(settings.resolved_database_url) as session:
        late = reviews.overdue_reviews(session, cutoff)
    if not late:
        return []
    return [
        f"ESCALATED: {len(late)} claim(s) waiting for review for more than "
        f"{settings.programme.review_timeout_days} days: {', '.join(late)}"
    ]


@task(name="claims-awaiting-review")
def claims_awaiting_review() -> list[str]:
    """Flagged claims without a review run yet."""
    with session_scope(get_settings().resolved_database_url) as session:
        return [c.claim_ref for c in reviews.review_queue(session) if not c.review_flow_run_id]
