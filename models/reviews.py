"""Reviews in the database: the queue, and applying a reviewer's decision exactly once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from claims.reasons import Code, LineStatus, PayoutStatus
from claims.review import ReviewChoice, review_outcome, review_problem
from models.claims import find_claim
from models.reference import find_partner
from models.schema import CatalogueEntry, Claim, Payout, Review, utcnow
from models.schema import Decision as DecisionRow
from tradein.errors import ReviewError

BANK_BLOCKS = {Code.MISSING_BANK_DETAILS, Code.INVALID_BANK_DETAILS}


def review_queue(session: Session) -> list[Claim]:
    """Claims waiting for a reviewer, in claim order."""
    return list(
        session.scalars(
            select(Claim).where(Claim.status == "needs_review").order_by(Claim.submitted_at, Claim.claim_ref)
        )
    )


def overdue_reviews(session: Session, older_than: dt.datetime) -> list[str]:
    """Flagged claims waiting for a reviewer since before ``older_than``: to escalate, never to approve."""
    rows = session.scalars(
        select(Claim.claim_ref)
        .join(DecisionRow, DecisionRow.claim_id == Claim.id)
        .where(Claim.status == "needs_review", DecisionRow.decided_at < older_than)
        .order_by(Claim.submitted_at, Claim.claim_ref)
    )
    return list(rows)


def set_review_run(session: Session, claim_ref: str, flow_run_id: str) -> None:
    """Remember the review flow run that waits for this claim's decision."""
    claim = find_claim(session, claim_ref)
    if claim is not None:
        claim.review_flow_run_id = flow_run_id


def apply_review(
    session: Session,
    claim_ref: str,
    choice: ReviewChoice,
    approved_lines: Sequence[int],
    reason: str | None,
    reviewer: str | None,
    flow_run_id: str | None = None,
) -> str:
    """Record a reviewer's decision and move claim, lines and payout to its outcome; return the status.

    Refused (ReviewError) for an unknown claim, a claim not waiting for review, a second decision
    or input that breaks the form's rules. A concurrent second decision loses on the unique review.
    """
    claim = find_claim(session, claim_ref)
    if claim is None:
        raise ReviewError(f"no claim {claim_ref}", code="UNKNOWN_CLAIM")
    if claim.review is not None:
        r = claim.review
        raise ReviewError(
            f"claim {claim_ref} was already decided ({r.decision} by {r.reviewer} at {r.at:%Y-%m-%d %H:%M})",
            code="ALREADY_DECIDED",
        )
    if claim.status != "needs_review" or claim.decision is None:
        raise ReviewError(f"claim {claim_ref} is {claim.status}, not waiting for review", code="NOT_IN_REVIEW")
    problem = review_problem(choice, approved_lines, reason, len(claim.lines))
    if problem:
        raise ReviewError(problem, code="INVALID_REVIEW")
    outcome = review_outcome(choice, approved_lines, [LineStatus(ln.status) for ln in claim.lines])
    rewards = _rewards(session, claim)
    try:
        with session.no_autoflush:
            _decide(claim, choice, approved_lines, reason, reviewer, flow_run_id, outcome, rewards)
        session.flush()
    except IntegrityError as e:
        raise ReviewError(
            f"claim {claim_ref} was decided by someone else at the same moment", code="ALREADY_DECIDED"
        ) from e
    return str(outcome.status)


def _decide(claim, choice, approved_lines, reason, reviewer, flow_run_id, outcome, rewards) -> None:
    """Move lines, decision, claim and payout to the review's outcome, with the audit trail."""
    for line, status in zip(claim.lines, outcome.line_statuses, strict=True):
        line.status = str(status)
        line.reward = rewards.get(line.index) if status == LineStatus.APPROVED else None
    total = sum((ln.reward for ln in claim.lines if ln.reward is not None), Decimal("0.00"))
    proposed = claim.decision.status
    claim.decision.status, claim.decision.reward_total = str(outcome.status), total
    claim.status, claim.decided_at = str(outcome.status), utcnow()
    claim.review = Review(
        decision=str(choice),
        approved_lines=list(approved_lines),
        reviewer=reviewer,
        reason=reason,
        proposed_status=proposed,
        flow_run_id=flow_run_id,
    )
    _schedule_payout(claim, total)


def _rewards(session: Session, claim: Claim) -> dict[int, Decimal]:
    partner = find_partner(session, claim.partner_id)
    country = partner.country if partner else str(claim.bundle_json.get("partner", {}).get("country", "")).upper()
    amounts = {
        e.part_number: e.reward_amount
        for e in session.scalars(select(CatalogueEntry).where(CatalogueEntry.country == country))
    }
    return {ln.index: amounts[ln.part_number] for ln in claim.lines if ln.part_number in amounts}


def _schedule_payout(claim: Claim, total: Decimal) -> None:
    """Payout by the same rules as an automatic approval: blocked while bank details are missing or invalid."""
    if claim.payout is None:
        claim.payout = Payout(status=str(PayoutStatus.NONE), amount=0)
    if claim.payout.status in (PayoutStatus.EXPORTED, PayoutStatus.PAID):
        return
    codes = {r.code for r in claim.decision.reasons}
    if claim.status == "rejected":
        claim.payout.status, claim.payout.amount = str(PayoutStatus.NONE), Decimal("0.00")
    elif codes & {str(c) for c in BANK_BLOCKS}:
        claim.payout.status, claim.payout.amount = str(PayoutStatus.BLOCKED), total
    else:
        claim.payout.status, claim.payout.amount = str(PayoutStatus.AWAITING_DEVICE_RECEIPT), total
