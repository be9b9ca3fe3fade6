"""Decision records (contract section 4) read from the database."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.schema import Claim, Decision, Quarantine


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def decision_records(session: Session, claim_ref: str | None = None) -> list[dict[str, Any]]:
    """Every claim's record in claim order (or one claim's)."""
    query = (
        select(Claim)
        .options(
            selectinload(Claim.documents),
            selectinload(Claim.lines),
            selectinload(Claim.payout),
            selectinload(Claim.review),
            selectinload(Claim.decision).selectinload(Decision.reasons),
        )
        .order_by(Claim.submitted_at, Claim.claim_ref)
    )
    if claim_ref is not None:
        query = query.where(Claim.claim_ref == claim_ref)
    return [claim_record(c) for c in session.scalars(query)]


def claim_record(claim: Claim) -> dict[str, Any]:
    """One claim as its decision record."""
    decision = claim.decision
    decided = decision is not None and claim.status not in ("pending", "failed")
    record: dict[str, Any] = {
        "claim_ref": claim.claim_ref,
        "status": decision.status if decided else "pending",
        "reasons": [
            {"code": r.code, "line": r.line, "document": r.document, "detail": r.detail}
            for r in (decision.reasons if decided else [])
        ],
        "invoice": {
            "number": decision.invoice_number if decided else None,
            "date": decision.invoice_date if decided else None,
            "seller": decision.seller if decided else None,
            "buyer": decision.buyer if decided else None,
        },
        "lines": [_line(ln, decided) for ln in claim.lines],
        "reward_total": _money(decision.reward_total) if decided else "0.00",
        "currency": decision.currency if decided else None,
        "payout": {
            "status": claim.payout.status if decided and claim.payout else "none",
            "due_date": claim.payout.due_date.isoformat()
            if decided and claim.payout and claim.payout.due_date
            else None,
        },
        "documents": [
            {"file": d.file, "kind": d.kind, "quality": d.quality, "ocr_confidence": d.ocr_confidence}
            for d in claim.documents
        ],
        "submitted_at": claim.submitted_at.isoformat(),
    }
    if claim.review is not None:
        r = claim.review
        record["review"] = {"decision": r.decision, "reviewer": r.reviewer, "reason": r.reason, "at": r.at.isoformat()}
    if claim.status == "failed":
        record["processing_error"] = {"error": claim.last_error, "attempts": claim.attempts}
    return record


def declared_summary(claim: Claim) -> dict[str, Any]:
    """What the partner declared, for the reviewer's side-by-side view."""
    raw = claim.bundle_json
    lines = []
    for ln in claim.lines:
        lines.append(
            {
                "part_number": ln.declared_part_number,
                "serial": ln.declared_product_serial,
                "device": f"{ln.device_brand or ''} {ln.device_model or ''}".strip() or None,
                "device_serial": ln.device_serial,
            }
        )
    return {
        "partner": f"{raw.get('partner', {}).get('name') or ''} ({claim.partner_id})",
        "end_customer": " ".join(
            str(v) for v in (raw.get("end_customer", {}).get("name"), raw.get("end_customer", {}).get("vat_id")) if v
        ),
        "lines": lines,
    }


def _line(line, decided: bool) -> dict[str, Any]:
    if not decided:
        return {
            "index": line.index,
            "status": None,
            "part_number": None,
            "product_name": None,
            "match_score": None,
            "invoice_serial": None,
            "replaced_serial_read": None,
            "reward": None,
        }
    return {
        "index": line.index,
        "status": line.status,
        "part_number": line.part_number,
        "product_name": line.product_name,
        "match_score": line.match_score,
        "invoice_serial": line.invoice_serial,
        "replaced_serial_read": line.replaced_serial_read,
        "reward": _money(line.reward),
        "match": line.match,
    }


def quarantined(session: Session) -> list[dict[str, Any]]:
    """Every bundle moved to quarantine, oldest first."""
    rows = session.scalars(select(Quarantine).order_by(Quarantine.at, Quarantine.id))
    return [
        {"bundle": q.bundle_name, "code": q.code, "detail": q.detail, "path": q.path, "at": q.at.isoformat()}
        for q in rows
    ]
