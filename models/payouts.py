"""Payouts in the database: receipts, scheduling, bank details, SEPA exports and payment, each exactly once."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from claims import payouts as rules
from claims.programme import Programme
from claims.reasons import DEFAULT_EFFECT, Code, PayoutStatus
from claims.reference import ReceiptRow
from models.claims import find_claim
from models.db import session_scope
from models.reference import find_partner
from models.schema import Claim, DecisionReason, Payout, PayoutExport, Receipt, utcnow
from tradein.errors import UsageError

BANK_CODES = (str(Code.MISSING_BANK_DETAILS), str(Code.INVALID_BANK_DETAILS), str(Code.THIRD_PARTY_PAYEE))
EXPORTABLE = (str(PayoutStatus.SCHEDULED), str(PayoutStatus.OVERDUE))
PAYABLE = (str(PayoutStatus.EXPORTED), str(PayoutStatus.OVERDUE))
DECIDED = ("approved", "partially_approved")


# --- receipts and scheduling ---------------------------------------------------------------


@dataclass
class ReceiptReport:
    """What a receipts import did: matched rows, unknown serials, receipts for rejected lines, scheduled payouts."""

    matched: int = 0
    ocr_matched: list[tuple[str, str, int]] = field(default_factory=list)  # (claim_ref, serial, line)
    unknown: list[tuple[str, str, str]] = field(default_factory=list)  # (claim_ref, serial, why)
    rejected_lines: list[tuple[str, str, int]] = field(default_factory=list)
    scheduled: list[tuple[str, dt.date]] = field(default_factory=list)


def _line_serials(claim: Claim) -> list[rules.LineSerials]:
    return [rules.LineSerials(ln.index, ln.status, ln.device_serial, ln.replaced_serial_read) for ln in claim.lines]


def record_receipts(session: Session, rows: Sequence[ReceiptRow]) -> ReceiptReport:
    """Upsert receipts by (claim_ref, serial), each matched to its claim line (OCR-confusion tolerant)."""
    report = ReceiptReport()
    existing = {(r.claim_ref, r.serial): r for r in session.scalars(select(Receipt))}
    claims: dict[str, Claim | None] = {}
    for row in rows:
        if row.claim_ref not in claims:
            claims[row.claim_ref] = find_claim(session, row.claim_ref)
        claim = claims[row.claim_ref]
        match = rules.match_receipt(row.serial, _line_serials(claim)) if claim else None
        receipt = existing.get((row.claim_ref, row.serial))
        if receipt is None:
            receipt = Receipt(claim_ref=row.claim_ref, serial=row.serial)
            session.add(receipt)
            existing[(row.claim_ref, row.serial)] = receipt
        receipt.received_at = row.received_at
        receipt.line_index = match.line if match else None
        if claim is None:
            report.unknown.append((row.claim_ref, row.serial, "no such claim"))
        elif match.line is None:
            report.unknown.append((row.claim_ref, row.serial, "serial matches no replaced device of the claim"))
        else:
            report.matched += 1
            if match.how == "ocr":
                report.ocr_matched.append((row.claim_ref, row.serial, match.line))
            if match.line_status == "rejected":
                report.rejected_lines.append((row.claim_ref, row.serial, match.line))
    session.flush()
    return report


def schedule_ready(
    session: Session, programme: Programme, claim_refs: Sequence[str] | None = None
) -> list[tuple[str, dt.date]]:
    """Schedule every payout awaiting receipt whose approved lines' devices are all received; (ref, due date)."""
    query = (
        select(Claim)
        .join(Payout, Payout.claim_id == Claim.id)
        .where(Payout.status.in_((str(PayoutStatus.AWAITING_DEVICE_RECEIPT), str(PayoutStatus.BLOCKED))))
        .where(Claim.status.in_(DECIDED))
        .options(selectinload(Claim.lines), selectinload(Claim.payout))
        .order_by(Claim.submitted_at, Claim.claim_ref)
    )
    if claim_refs is not None:
        query = query.where(Claim.claim_ref.in_(list(claim_refs)))
    scheduled = []
    for claim in session.scalars(query):
        received: dict[int, dt.date] = {}
        for r in session.scalars(select(Receipt).where(Receipt.claim_ref == claim.claim_ref)):
            if r.line_index is not None:
                received[r.line_index] = max(r.received_at, received.get(r.line_index, r.received_at))
        lines = _line_serials(claim)
        on = rules.devices_received_on(rules.approved_lines(lines), received)
        payout = claim.payout
        payout.devices_received_on = on
        payout.idempotency_key = payout.idempotency_key or rules.idempotency_key(claim.claim_ref)
        if on is None or payout.status == PayoutStatus.BLOCKED:
            continue  # blocked stays blocked (visibly) until customer service records bank details
        payout.amount = rules.payout_amount(ln.reward for ln in claim.lines if ln.status == "approved")
        payout.status, payout.due_date = str(PayoutStatus.SCHEDULED), rules.due_date(on, programme)
        payout.end_to_end_id = claim.claim_ref
        scheduled.append((claim.claim_ref, payout.due_date))
    session.flush()
    return scheduled


@dataclass(frozen=True)
class OverduePayout:
    """A payout unpaid past receipt + 45 + 5 days: escalated to finance."""

    claim_ref: str
    amount: str
    currency: str | None
    status_before: str
    devices_received_on: dt.date
    due_date: dt.date | None
    exported_at: dt.datetime | None


def flag_overdue(session: Session, programme: Programme, today: dt.date) -> list[OverduePayout]:
    """Mark unpaid payouts past the bank delay `overdue` with PAYOUT_OVERDUE (once); list every overdue one."""
    rows = session.scalars(
        select(Payout)
        .where(Payout.status.in_((*EXPORTABLE, str(PayoutStatus.EXPORTED))), Payout.paid_at.is_(None))
        .options(selectinload(Payout.claim).selectinload(Claim.decision))
    )
    out = []
    for payout in rows:
        if not rules.is_overdue(payout.devices_received_on, today, programme):
            continue
        before = payout.status
        payout.status = str(PayoutStatus.OVERDUE)
        decision = payout.claim.decision
        if decision is not None and str(Code.PAYOUT_OVERDUE) not in {r.code for r in decision.reasons}:
            limit = rules.overdue_after(payout.devices_received_on, programme)
            decision.reasons.append(
                DecisionReason(
                    position=len(decision.reasons),
                    code=str(Code.PAYOUT_OVERDUE),
                    line=None,
                    document=None,
                    detail=f"devices received {payout.devices_received_on}, not paid by {limit}",
                    effect=str(DEFAULT_EFFECT[Code.PAYOUT_OVERDUE]),
                )
            )
        out.append(
            OverduePayout(
                payout.claim.claim_ref,
                str(payout.amount),
                payout.currency,
                before,
                payout.devices_received_on,
                payout.due_date,
                payout.exported_at,
            )
        )
    session.flush()
    return sorted(out, key=lambda o: (o.devices_received_on, o.claim_ref))


# --- bank details ---------------------------------------------------------------------------


def set_bank_details(
    session: Session, claim_ref: str, holder: str, iban: str, bic: str | None, programme: Programme
) -> str:
    """Record bank details customer service took (P15): re-checked, they unblock the payout; return its status."""
    claim = find_claim(session, claim_ref)
    if claim is None:
        raise UsageError(f"no claim {claim_ref}", code="UNKNOWN_CLAIM")
    if claim.decision is None or claim.payout is None:
        raise UsageError(f"claim {claim_ref} is not decided yet; record bank details after the nightly run")
    payout = claim.payout
    if payout.status in (PayoutStatus.EXPORTED, PayoutStatus.PAID) or payout.export_id is not None:
        raise UsageError(f"claim {claim_ref}: payout already {payout.status}; bank details can no longer change")
    partner = find_partner(session, claim.partner_id)
    names = [partner.name] if partner else []
    update_ = rules.check_bank_update(holder, iban, bic, names, programme)
    if update_.problem:
        raise UsageError(f"claim {claim_ref}: {update_.problem}", code="BANK_DETAILS_REFUSED")
    payout.holder, payout.iban, payout.bic = holder, update_.check.iban, update_.check.bic
    decision = claim.decision
    decision.reasons = [r for r in decision.reasons if r.code not in BANK_CODES]  # all checks passed
    for i, r in enumerate(decision.reasons):
        r.position = i
    if claim.status in DECIDED and payout.status == PayoutStatus.BLOCKED:
        payout.status = str(PayoutStatus.AWAITING_DEVICE_RECEIPT)
    elif claim.status not in DECIDED and payout.status == PayoutStatus.BLOCKED:
        payout.status = str(PayoutStatus.NONE)
    session.flush()
    schedule_ready(session, programme, [claim_ref])
    return payout.status


# --- SEPA exports ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportPlan:
    """A SEPA file to write: its export row, path and payments."""

    export_id: int
    msg_id: str
    currency: str
    path: str
    created_at: dt.datetime
    payments: tuple[rules.SepaPayment, ...]


def _plan(session: Session, export: PayoutExport, today: dt.date) -> ExportPlan:
    payouts = session.scalars(
        select(Payout)
        .where(Payout.export_id == export.id)
        .options(selectinload(Payout.claim))
        .order_by(Payout.end_to_end_id)
    )
    payments = tuple(
        rules.sepa_payment(
            p.end_to_end_id or p.claim.claim_ref,
            p.holder or "",
            p.iban or "",
            p.bic,
            p.amount,
            p.currency or rules.BASE_CURRENCY,
            p.due_date,
            today,
        )
        for p in payouts
    )
    return ExportPlan(export.id, export.msg_id, export.currency, export.path, export.created_at, payments)


def pending_exports(url: str, today: dt.date, claimed_before: dt.datetime) -> tuple[list[ExportPlan], int]:
    """Exports claimed before ``claimed_before`` and never confirmed (their writer died): to write again with
    the same MsgId and payouts; and how many younger ones another writer may still be finishing."""
    with session_scope(url) as session:
        rows = list(
            session.scalars(select(PayoutExport).where(PayoutExport.status == "pending").order_by(PayoutExport.id))
        )
        stale = [e for e in rows if e.created_at < claimed_before]
        return [_plan(session, e, today) for e in stale], len(rows) - len(stale)


def claim_for_export(url: str, out: Path, today: dt.date, reexport: Sequence[str] = ()) -> list[ExportPlan]:
    """Claim every scheduled payout not yet exported (and the re-exports asked for) for new files, one per currency.

    Two steps: read the candidates; then, in one transaction that starts by writing, create the export rows and
    take each payout with a conditional update (``export_id IS NULL``). Of two writers, only one takes a payout.
    """
    with session_scope(url) as session:
        candidates = session.execute(
            select(Payout.id, Payout.currency).where(
                Payout.status.in_(EXPORTABLE), Payout.export_id.is_(None), Payout.paid_at.is_(None)
            )
        ).all()
        again = []
        if reexport:
            again = session.execute(
                select(
                    Payout.id, Payout.currency, Payout.export_id, Claim.claim_ref, Payout.status, PayoutExport.status
                )
                .join(Claim, Claim.id == Payout.claim_id)
                .outerjoin(PayoutExport, PayoutExport.id == Payout.export_id)
                .where(Claim.claim_ref.in_(list(reexport)), Payout.exported_at.is_not(None))
            ).all()
            known = {r.claim_ref: r for r in again}
            for ref in reexport:
                row = known.get(ref)
                if row is None or row[4] not in PAYABLE or row[5] != "written":
                    raise UsageError(f"--reexport {ref}: only an exported, unpaid payout can be exported again")
    by_currency: dict[str, list[int]] = defaultdict(list)
    for pid, currency in candidates:
        by_currency[currency or rules.BASE_CURRENCY].append(pid)
    again_by_currency: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for row in again:
        again_by_currency[row.currency or rules.BASE_CURRENCY].append((row.id, row.export_id))
    currencies = sorted(set(by_currency) | set(again_by_currency))
    if not currencies:
        return []
    for currency in currencies:
        path = Path(rules.currency_path(out, currency))
        if path.exists():
            raise UsageError(f"{path} exists; payouts are written to a new file", code="OUTPUT_EXISTS")
    plans = []
    with session_scope(url) as session:
        now = utcnow()
        exports = {}
        for currency in currencies:  # writing first: on SQLite the transaction holds the write lock from here
            export = PayoutExport(
                msg_id=f"pending-{uuid.uuid4().hex[:24]}",
                currency=currency,
                path=str(Path(rules.currency_path(out, currency)).resolve()),
                status="pending",
                payment_count=0,
                total=0,
                created_at=now,
            )
            session.add(export)
            session.flush()
            export.msg_id = rules.message_id(export.id, now)
            exports[currency] = export
        session.flush()
        for currency, export in exports.items():
            if by_currency.get(currency):
                session.execute(
                    update(Payout)
                    .where(
                        Payout.id.in_(by_currency[currency]),
                        Payout.export_id.is_(None),
                        Payout.status.in_(EXPORTABLE),
                        Payout.paid_at.is_(None),
                    )
                    .values(export_id=export.id)
                    .execution_options(synchronize_session=False)
                )
            for pid, old in again_by_currency.get(currency, ()):
                session.execute(
                    update(Payout)
                    .where(Payout.id == pid, Payout.export_id == old, Payout.paid_at.is_(None))
                    .values(export_id=export.id)
                    .execution_options(synchronize_session=False)
                )
            plan = _plan(session, export, today)
            if not plan.payments:
                session.delete(export)
                continue
            export.payment_count = len(plan.payments)
            export.total = rules.batch_total(plan.payments)
            plans.append(plan)
    return plans


def confirm_export(url: str, export_id: int, sha256: str) -> int:
    """The file is written: its payouts are `exported` (overdue ones stay overdue until paid); return how many."""
    with session_scope(url) as session:
        export = session.get(PayoutExport, export_id)
        if export is None or export.status == "written":
            return 0
        now = utcnow()
        export.status, export.sha256, export.written_at = "written", sha256, now
        payouts = list(session.scalars(select(Payout).where(Payout.export_id == export_id)))
        for p in payouts:
            if p.status != PayoutStatus.OVERDUE:
                p.status = str(PayoutStatus.EXPORTED)
            p.exported_at = now
        return len(payouts)


def export_of(session: Session, msg_id: str) -> PayoutExport | None:
    """The export that wrote a SEPA message, or None."""
    return session.scalar(select(PayoutExport).where(PayoutExport.msg_id == msg_id))


# --- payment --------------------------------------------------------------------------------


@dataclass
class PaidReport:
    """What mark-paid did, per claim_ref."""

    paid: list[str] = field(default_factory=list)
    already_paid: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def mark_paid(session: Session, claim_refs: Sequence[str], reference: str) -> PaidReport:
    """Record payment of exported payouts, never twice: a conditional update on ``paid_at IS NULL``."""
    report = PaidReport()
    for ref in claim_refs:
        claim = find_claim(session, ref)
        payout = claim.payout if claim else None
        if payout is None:
            report.refused.append((ref, "no payout for this claim"))
            continue
        if payout.paid_at is not None:
            report.already_paid.append(ref)
            continue
        if payout.status not in PAYABLE or payout.exported_at is None:
            report.refused.append((ref, f"payout is {payout.status}, not exported"))
            continue
        done = session.execute(
            update(Payout)
            .where(Payout.id == payout.id, Payout.paid_at.is_(None))
            .values(status=str(PayoutStatus.PAID), paid_at=utcnow(), paid_reference=reference[:255])
            .execution_options(synchronize_session=False)
        ).rowcount
        (report.paid if done == 1 else report.already_paid).append(ref)
    session.expire_all()
    return report


def payouts_count(session: Session, claim_ref: str) -> int:
    """How many payouts a claim has (always 0 or 1)."""
    return len(
        session.scalars(
            select(Payout.id).join(Claim, Claim.id == Payout.claim_id).where(Claim.claim_ref == claim_ref)
        ).all()
    )
