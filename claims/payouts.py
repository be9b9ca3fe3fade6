"""Payouts (P11-P15), pure: receipts matched to lines, due dates, overdue, amounts, SEPA batch content."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from claims.bank import BankCheck, check_bank_account
from claims.bundle import BankAccount
from claims.matching import match_name
from claims.names import normalise_code
from claims.programme import Programme
from claims.reasons import LineStatus

BASE_CURRENCY = "EUR"
# Characters OCR confuses on serial labels: compared equal when a serial was read from a photo.
_CONFUSABLE = str.maketrans("OQDILBSZG", "001118526")
CENT = Decimal("0.01")


def idempotency_key(claim_ref: str) -> str:
    """The one key of a claim's payout: a second payout for the same claim cannot exist."""
    return f"payout:{claim_ref}"


@dataclass(frozen=True)
class LineSerials:
    """What the system knows of a claim line's replaced device."""

    index: int
    status: str | None
    declared_serial: str | None
    read_serial: str | None  # read from the device photo (OCR, barcode)


@dataclass(frozen=True)
class ReceiptMatch:
    """Which line a received serial belongs to, and how it matched."""

    line: int | None
    how: str  # 'exact' | 'ocr' | 'unknown'
    line_status: str | None = None


def match_receipt(serial: str, lines: Sequence[LineSerials]) -> ReceiptMatch:
    """The claim line of a received serial: exact (case, spaces, dashes ignored), else equal up to OCR confusions.

    Confusions (O/0, I/1, B/8, S/5 ...) are tolerated only against the serial read from the device's
    photo, where OCR may have put them, and never to pick between two lines.
    """
    key = normalise_code(serial)
    if not key:
        return ReceiptMatch(None, "unknown")
    for line in lines:
        if key in {normalise_code(s) for s in (line.declared_serial, line.read_serial) if s}:
            return ReceiptMatch(line.index, "exact", line.status)
    fuzzy = key.translate(_CONFUSABLE)
    hits = [ln for ln in lines if ln.read_serial and normalise_code(ln.read_serial).translate(_CONFUSABLE) == fuzzy]
    if len(hits) == 1:
        return ReceiptMatch(hits[0].index, "ocr", hits[0].status)
    return ReceiptMatch(None, "unknown")


def approved_lines(lines: Iterable[LineSerials]) -> tuple[int, ...]:
    """Indexes of the lines whose devices the payout waits for."""
    return tuple(ln.index for ln in lines if ln.status == LineStatus.APPROVED)


def devices_received_on(approved: Sequence[int], received: Mapping[int, dt.date]) -> dt.date | None:
    """The last receipt when every approved line's device has been received, else None (P14)."""
    if not approved or any(i not in received for i in approved):
        return None
    return max(received[i] for i in approved)


def due_date(received_on: dt.date, programme: Programme) -> dt.date:
    """A payout is due this many days after the last device receipt (P14, default 45)."""
    return received_on + dt.timedelta(days=programme.payout_days)


def overdue_after(received_on: dt.date, programme: Programme) -> dt.date:
    """The last day a payout may stay unpaid: receipt + payout days + bank delay (default 50)."""
    return received_on + dt.timedelta(days=programme.payout_days + programme.bank_delay_days)


def is_overdue(received_on: dt.date | None, today: dt.date, programme: Programme) -> bool:
    """Whether an unpaid payout passed the bank delay and must be escalated (PAYOUT_OVERDUE)."""
    return received_on is not None and today > overdue_after(received_on, programme)


def payout_amount(rewards: Iterable[Decimal | None]) -> Decimal:
    """The sum of the approved lines' rewards, exact to the cent (P13)."""
    return sum((Decimal(r) for r in rewards if r is not None), Decimal("0.00")).quantize(CENT)


def amount_in_cents(amount: Decimal) -> int:
    """An amount as integer cents; refuses anything that is not a whole number of cents."""
    cents = Decimal(amount) * 100
    if cents != cents.to_integral_value() or cents <= 0:
        raise ValueError(f"amount {amount} is not a positive whole number of cents")
    return int(cents)


@dataclass(frozen=True)
class SepaPayment:
    """One credit transfer of a SEPA file: the payout of one claim."""

    end_to_end_id: str  # the claim_ref (contract 7)
    name: str
    iban: str
    bic: str | None
    amount: Decimal
    currency: str
    execution_date: dt.date
    description: str


def sepa_payment(
    claim_ref: str,
    holder: str,
    iban: str,
    bic: str | None,
    amount: Decimal,
    currency: str,
    due: dt.date | None,
    today: dt.date,
) -> SepaPayment:
    """A payout as a credit transfer: executed on its due date, or today when that has passed."""
    execution = max(due or today, today)
    amount = Decimal(amount).quantize(CENT)
    return SepaPayment(claim_ref, holder, iban, bic, amount, currency, execution, f"Trade-in reward {claim_ref}")


def batch_total(payments: Iterable[SepaPayment]) -> Decimal:
    """The control sum of a batch, decimal-exact."""
    return sum((p.amount for p in payments), Decimal("0.00"))


def currency_path(out: PurePath, currency: str) -> PurePath:
    """Where a currency's batch goes: FILE for EUR, the currency before the extension otherwise (contract 7)."""
    if currency == BASE_CURRENCY:
        return out
    return out.with_name(f"{out.stem}.{currency}{out.suffix}")


def message_id(export_id: int, created_at: dt.datetime) -> str:
    """The SEPA MsgId of an export (max 35 characters); the same on a recovery rewrite."""
    return f"TRADEIN-{created_at:%Y%m%d}-{export_id:08d}"


def known_bic(iban: str | None) -> str | None:
    """The BIC schwifty's bank registry gives for an IBAN, where it knows the bank."""
    if not iban:
        return None
    try:
        bic = IBAN(iban).bic
    except (SchwiftyException, ValueError):
        return None
    return str(bic) if bic else None


@dataclass(frozen=True)
class BankUpdate:
    """Bank details customer service recorded, checked again (P11, P12)."""

    check: BankCheck
    third_party: str | None  # why the holder is not the partner, or None

    @property
    def problem(self) -> str | None:
        """Why the details cannot unblock the payout, or None."""
        if self.check.status != "valid":
            return f"{'MISSING' if self.check.status == 'missing' else 'INVALID'}_BANK_DETAILS: {self.check.detail}"
        if self.third_party:
            return f"THIRD_PARTY_PAYEE: {self.third_party}"
        return None


def check_bank_update(
    holder: str | None, iban: str | None, bic: str | None, partner_names: Sequence[str], programme: Programme
) -> BankUpdate:
    """IBAN checksum and BIC (schwifty) and holder = partner, as at decision time."""
    check = check_bank_account(BankAccount(holder, iban, bic))
    if check.status == "valid" and bic:
        known = known_bic(check.iban)
        if known and known[:6] != check.bic[:6]:
            check = BankCheck("invalid", check.iban, check.bic, f"BIC {check.bic} is not the IBAN's bank ({known})")
    third = None
    if holder and partner_names:
        match = match_name(holder, list(partner_names), programme.thresholds.holder_match_min, programme.legal_forms)
        if not match.accepted:
            third = f"account holder {holder!r} is not the partner: {match.explain()}"
    return BankUpdate(check, third)
