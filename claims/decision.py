"""A decision: the outcome of the rules for one claim, before it is stored."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from claims.matching import Match
from claims.reasons import ClaimStatus, LineStatus, PayoutStatus, Reason


@dataclass(frozen=True)
class LineDecision:
    """The outcome for one declared pair."""

    index: int
    status: LineStatus
    part_number: str | None
    product_name: str | None
    match_score: float | None
    invoice_serial: str | None
    replaced_serial_read: str | None
    reward: Decimal | None
    currency: str | None
    serials: tuple[str, ...]  # normalised serials the line claims (for later duplicates)
    match: Match | None = None


@dataclass(frozen=True)
class InvoiceSummary:
    """Invoice fields as read, for the record."""

    number: str | None = None
    date: str | None = None
    seller: str | None = None
    buyer: str | None = None


@dataclass(frozen=True)
class Decision:
    """The whole outcome for a claim."""

    status: ClaimStatus
    reasons: tuple[Reason, ...]
    invoice: InvoiceSummary
    lines: tuple[LineDecision, ...]
    reward_total: Decimal
    currency: str | None
    payout_status: PayoutStatus
    invoice_key: tuple[str, str] | None  # (normalised seller, normalised number) when read
    invoice_figures: frozenset[str] = frozenset()  # figures of the proof of sale read

    @property
    def counted_pairs(self) -> int:
        """Lines that count towards the end customer's pair cap."""
        return sum(1 for line in self.lines if line.status != LineStatus.REJECTED)
