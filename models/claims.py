"""Claims in the database: recording bundles, the work queue, facts for the rules, decisions."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, or_, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from claims.bundle import DEVICE_PHOTO, PROOF_OF_SALE, ClaimBundle, parse_claim_json
from claims.decision import Decision
from claims.facts import DocumentFacts, EarlierClaim, PhotoSeen
from claims.names import customer_key
from claims.photos import confident_serial, seen_serials
from claims.reasons import ClaimStatus, LineStatus
from models.schema import (
    Claim,
    ClaimLine,
    DecisionReason,
    Document,
    Payout,
    Quarantine,
    SerialClaim,
    utcnow,
)
from models.schema import (
    Decision as DecisionRow,
)
from ocr.photo_print import PhotoPrints

WORK_STATUSES = ("pending", "failed")


@dataclass(frozen=True)
class ClaimDocument:
    """A claim's file as the pipeline needs it."""

    position: int
    file: str
    kind: str
    line: int | None
    sha256: str


@dataclass(frozen=True)
class WorkItem:
    """A claim waiting to be decided, in claim order."""

    claim_ref: str
    submitted_at: dt.datetime
    partner_id: str
    declared_country: str
    documents: tuple[ClaimDocument, ...]


def find_claim(session: Session, claim_ref: str) -> Claim | None:
    """The claim with this reference, or None."""
    return session.scalar(select(Claim).where(Claim.claim_ref == claim_ref))


def record_claim(
    session: Session,
    bundle: ClaimBundle,
    raw_json: dict,
    fingerprint: str,
    source_name: str,
    shas: dict[str, tuple[str, int]],
    legal_forms: tuple[str, ...],
) -> Claim:
    """Insert a new pending claim with its documents and declared lines."""
    vat_key, name_key = customer_key(bundle.end_customer.name, bundle.end_customer.vat_id, legal_forms)
    claim = Claim(
        claim_ref=bundle.claim_ref,
        submitted_at=bundle.submitted_at,
        partner_id=bundle.partner_id,
        customer_vat_key=vat_key,
        customer_name_key=name_key,
        bundle_json=raw_json,
        fingerprint=fingerprint,
        source_name=source_name,
        status="pending",
        attempts=0,
    )
    for position, doc in enumerate(bundle.documents):
        sha, size = shas[doc.file]
        claim.documents.append(
            Document(position=position, file=doc.file, kind=doc.kind, line=doc.line, sha256=sha, size=size)
        )
    for line in bundle.lines:
        claim.lines.append(
            ClaimLine(
                index=line.index,
                declared_part_number=line.product.part_number if line.product else None,
                declared_product_serial=line.product.serial if line.product else None,
                device_brand=line.device.brand if line.device else None,
                device_model=line.device.model if line.device else None,
                device_serial=line.device.serial if line.device else None,
                serial_keys=[],
            )
        )
    session.add(claim)
    session.flush()
    return claim


def record_quarantine(session: Session, bundle_name: str, code: str, detail: str, path: str) -> None:
    """Remember a quarantined bundle."""
    session.add(Quarantine(bundle_name=bundle_name, code=code, detail=detail, path=path))


def work_queue(session: Session) -> list[WorkItem]:
    """Claims pending or failed before, ordered by submitted_at then claim_ref."""
    claims = session.scalars(
        select(Claim)
        .where(Claim.status.in_(WORK_STATUSES))
        .options(selectinload(Claim.documents))
        .order_by(Claim.submitted_at, Claim.claim_ref)
    )
    return [
        WorkItem(
            c.claim_ref,
            c.submitted_at,
            c.partner_id,
            str(c.bundle_json.get("partner", {}).get("country", "")).upper(),
            tuple(ClaimDocument(d.position, d.file, d.kind, d.line, d.sha256) for d in c.documents),
        )
        for c in claims
    ]


def has_work(session: Session) -> bool:
    """Whether any claim waits to be decided."""
    return session.scalar(select(Claim.id).where(Claim.status.in_(WORK_STATUSES)).limit(1)) is not None


def load_bundle(claim: Claim) -> ClaimBundle:
    """The claim's bundle, parsed again from the stored JSON."""
    return parse_claim_json(json.dumps(claim.bundle_json).encode("utf-8"))[0]


def earlier_claims(session: Session, claim: Claim) -> tuple[EarlierClaim, ...]:
    """Claims before this one in claim order (submitted_at, claim_ref), with what they hold."""
    before = tuple_(Claim.submitted_at, Claim.claim_ref) < tuple_(claim.submitted_at, claim.claim_ref)
    if session.get_bind().dialect.name == "sqlite":
        before = or_(
            Claim.submitted_at < claim.submitted_at,
            (Claim.submitted_at == claim.submitted_at) & (Claim.claim_ref < claim.claim_ref),
        )
    rows = session.scalars(
        select(Claim)
        .where(before, Claim.id != claim.id)
        .options(selectinload(Claim.documents), selectinload(Claim.lines), selectinload(Claim.decision))
        .order_by(Claim.submitted_at, Claim.claim_ref)
    )
    return tuple(_earlier(c) for c in rows)


def _earlier(claim: Claim) -> EarlierClaim:
    decided = claim.decision is not None
    live = [ln for ln in claim.lines if decided and ln.status != LineStatus.REJECTED]
    live_lines = {ln.index for ln in live}
    key = claim.decision.invoice_key if decided else None
    return EarlierClaim(
        claim_ref=claim.claim_ref,
        submitted_at=claim.submitted_at,
        customer=(claim.customer_vat_key, claim.customer_name_key),
        invoice_hashes=frozenset(d.sha256 for d in claim.documents if d.kind == PROOF_OF_SALE),
        invoice_key=tuple(json.loads(key)) if key else None,
        invoice_figures=frozenset(claim.decision.invoice_figures or ()) if decided else frozenset(),
        serials=frozenset(s for ln in live for s in ln.serial_keys),
        counted_pairs=len(live),
        photos=tuple(
            PhotoSeen(claim.claim_ref, d.file, d.sha256, _prints(d), d.serial_read, d.line,
                      tuple((d.serial_seen or "").split()))
            for d in claim.documents
            if d.kind == DEVICE_PHOTO and live_lines and (d.line is None or d.line in live_lines)
        ),
    )


def _prints(doc: Document) -> PhotoPrints:
    """A stored device photo's perceptual prints."""
    return PhotoPrints(doc.photo_print, doc.label_print, doc.centre_print, doc.fine_print, doc.fine_centre_print)


def record_document_grades(session: Session, claim: Claim, documents: Sequence[DocumentFacts]) -> None:
    """Store each document's media type, grade, reason and OCR confidence (by position), and
    for device photos their perceptual prints and the serial read without doubt."""
    for doc in claim.documents:
        if doc.position < len(documents):
            read = documents[doc.position]
            doc.media_type, doc.quality, doc.quality_reason, doc.ocr_confidence = (
                read.media_type, read.quality, read.quality_reason, read.ocr_confidence
            )
            if read.label is not None:
                prints = read.label.prints
                doc.photo_print, doc.label_print, doc.centre_print = prints.whole, prints.label, prints.centre
                doc.fine_print, doc.fine_centre_print = prints.fine, prints.fine_centre
                doc.serial_read = confident_serial(read.label)
                doc.serial_seen = " ".join(seen_serials(read.label)) or None


def claim_serials(session: Session, claim: Claim, decision: Decision) -> dict[str, str]:
    """Enter the decision's live serials in the ledger; return those another claim holds (serial -> claim_ref).

    The ledger's unique constraint decides races: of two writers, one wins, the other is told.
    """
    wanted = {s: line.index for line in decision.lines if line.status != LineStatus.REJECTED for s in line.serials}
    session.execute(delete(SerialClaim).where(SerialClaim.claim_id == claim.id))
    taken = {}
    for serial, index in wanted.items():
        try:
            with session.begin_nested():
                session.add(SerialClaim(serial_key=serial, claim_id=claim.id, line_index=index))
        except IntegrityError:
            holder = session.scalar(
                select(Claim.claim_ref)
                .join(SerialClaim, SerialClaim.claim_id == Claim.id)
                .where(SerialClaim.serial_key == serial)
            )
            taken[serial] = holder or "another claim"
    return taken


def store_decision(
    session: Session, claim: Claim, decision: Decision, bank: tuple[str | None, str | None, str | None]
) -> None:
    """Write the decision, its reasons, line outcomes and payout state; the claim is decided."""
    by_index = {ln.index: ln for ln in claim.lines}
    for line in decision.lines:
        row = by_index[line.index]
        row.status, row.part_number, row.product_name = str(line.status), line.part_number, line.product_name
        row.match_score, row.invoice_serial, row.replaced_serial_read = (
            line.match_score,
            line.invoice_serial,
            line.replaced_serial_read,
        )
        row.reward, row.currency, row.serial_keys = line.reward, line.currency, list(line.serials)
        row.match = _match_json(line.match)
    if claim.decision is None:
        claim.decision = DecisionRow(status="", proposed_status="", reward_total=0)
    row = claim.decision
    row.status = row.proposed_status = str(decision.status)
    row.invoice_number, row.invoice_date = decision.invoice.number, decision.invoice.date
    row.seller, row.buyer = decision.invoice.seller, decision.invoice.buyer
    row.invoice_key = json.dumps(list(decision.invoice_key)) if decision.invoice_key else None
    row.invoice_figures = sorted(decision.invoice_figures)
    row.reward_total, row.currency, row.decided_at = decision.reward_total, decision.currency, utcnow()
    row.reasons = [
        DecisionReason(
            position=i,
            code=str(r.code),
            line=r.line,
            document=r.document,
            detail=r.detail,
            effect=str(r.resolved_effect),
        )
        for i, r in enumerate(decision.reasons)
    ]
    _store_payout(claim, decision, bank)
    claim.status, claim.decided_at, claim.last_error = str(decision.status), utcnow(), None
    claim.attempts += 1


def _store_payout(claim: Claim, decision: Decision, bank: tuple[str | None, str | None, str | None]) -> None:
    if claim.payout is None:
        claim.payout = Payout(status="none", amount=0)
    payout = claim.payout
    if payout.status in ("exported", "paid"):
        return  # money already on its way is never re-decided here
    payout.status = str(decision.payout_status)
    payout.amount = decision.reward_total if decision.status != ClaimStatus.REJECTED else 0
    payout.currency = decision.currency
    payout.holder, payout.iban, payout.bic = bank


def _match_json(match) -> dict | None:
    if match is None:
        return None
    return {
        "query": match.query,
        "candidate": match.best,
        "score": match.score,
        "runner_up": match.runner_up,
        "runner_up_score": match.runner_up_score,
        "cutoff": match.cutoff,
        "reason": match.reason,
    }


def record_failure(session: Session, claim_ref: str, error: str) -> None:
    """Mark a claim failed with its error; the next run retries it."""
    claim = find_claim(session, claim_ref)
    if claim is not None and claim.status in WORK_STATUSES:
        claim.status, claim.last_error = "failed", error[:4000]
        claim.attempts += 1
