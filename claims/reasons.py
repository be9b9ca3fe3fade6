"""Reason codes (contract section 5) and the decision vocabulary."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ClaimStatus(StrEnum):
    """Status of a claim in its decision record."""

    PENDING = "pending"
    APPROVED = "approved"
    PARTIALLY_APPROVED = "partially_approved"
    NEEDS_REVIEW = "needs_review"
    REJECTED = "rejected"


class LineStatus(StrEnum):
    """Status of one declared pair."""

    APPROVED = "approved"
    NEEDS_REVIEW = "needs_review"
    REJECTED = "rejected"


class PayoutStatus(StrEnum):
    """Where a claim's money stands."""

    NONE = "none"
    AWAITING_DEVICE_RECEIPT = "awaiting_device_receipt"
    SCHEDULED = "scheduled"
    EXPORTED = "exported"
    PAID = "paid"
    BLOCKED = "blocked"
    OVERDUE = "overdue"


class Code(StrEnum):
    """Every reason code of contract section 5 (DUPLICATE_PHOTO is this system's extension)."""

    PARTNER_NOT_IN_NETWORK = "PARTNER_NOT_IN_NETWORK"
    CLAIM_AFTER_DEADLINE = "CLAIM_AFTER_DEADLINE"
    SALE_OUTSIDE_PROGRAMME = "SALE_OUTSIDE_PROGRAMME"
    PRODUCT_NOT_ELIGIBLE = "PRODUCT_NOT_ELIGIBLE"
    REPLACED_DEVICE_NOT_ELIGIBLE = "REPLACED_DEVICE_NOT_ELIGIBLE"
    PAIR_LIMIT_EXCEEDED = "PAIR_LIMIT_EXCEEDED"
    UNPAIRED_PRODUCT = "UNPAIRED_PRODUCT"
    MISSING_DOCUMENT = "MISSING_DOCUMENT"
    UNREADABLE_FILE = "UNREADABLE_FILE"
    FAX_QUALITY = "FAX_QUALITY"
    ILLEGIBLE_DOCUMENT = "ILLEGIBLE_DOCUMENT"
    LOW_OCR_CONFIDENCE = "LOW_OCR_CONFIDENCE"
    INVOICE_FIELD_MISSING = "INVOICE_FIELD_MISSING"
    DISTRIBUTOR_INVOICE = "DISTRIBUTOR_INVOICE"
    SELLER_MISMATCH = "SELLER_MISMATCH"
    BUYER_MISMATCH = "BUYER_MISMATCH"
    PRODUCT_MISMATCH = "PRODUCT_MISMATCH"
    SERIAL_MISMATCH = "SERIAL_MISMATCH"
    DUPLICATE_INVOICE = "DUPLICATE_INVOICE"
    DUPLICATE_SERIAL = "DUPLICATE_SERIAL"
    DUPLICATE_PHOTO = "DUPLICATE_PHOTO"  # extension: a device photo already submitted
    THIRD_PARTY_PAYEE = "THIRD_PARTY_PAYEE"
    INVALID_BANK_DETAILS = "INVALID_BANK_DETAILS"
    MISSING_BANK_DETAILS = "MISSING_BANK_DETAILS"
    PAYOUT_OVERDUE = "PAYOUT_OVERDUE"


class Effect(StrEnum):
    """What a reason does to the claim."""

    REJECT_CLAIM = "reject_claim"
    REJECT_LINE = "reject_line"
    REVIEW = "review"
    BLOCK_PAYOUT = "block_payout"
    REVIEW_AND_BLOCK = "review_and_block"
    ESCALATE = "escalate"


DEFAULT_EFFECT: dict[Code, Effect] = {
    Code.PARTNER_NOT_IN_NETWORK: Effect.REJECT_CLAIM,
    Code.CLAIM_AFTER_DEADLINE: Effect.REJECT_CLAIM,
    Code.SALE_OUTSIDE_PROGRAMME: Effect.REJECT_CLAIM,  # REVIEW when the date is uncertain
    Code.PRODUCT_NOT_ELIGIBLE: Effect.REJECT_LINE,
    Code.REPLACED_DEVICE_NOT_ELIGIBLE: Effect.REJECT_LINE,
    Code.PAIR_LIMIT_EXCEEDED: Effect.REJECT_LINE,
    Code.UNPAIRED_PRODUCT: Effect.REJECT_LINE,
    Code.MISSING_DOCUMENT: Effect.REVIEW,
    Code.UNREADABLE_FILE: Effect.REVIEW,
    Code.FAX_QUALITY: Effect.REVIEW,
    Code.ILLEGIBLE_DOCUMENT: Effect.REVIEW,
    Code.LOW_OCR_CONFIDENCE: Effect.REVIEW,
    Code.INVOICE_FIELD_MISSING: Effect.REVIEW,
    Code.DISTRIBUTOR_INVOICE: Effect.REVIEW,
    Code.SELLER_MISMATCH: Effect.REVIEW,
    Code.BUYER_MISMATCH: Effect.REVIEW,
    Code.PRODUCT_MISMATCH: Effect.REVIEW,
    Code.SERIAL_MISMATCH: Effect.REVIEW,
    Code.DUPLICATE_INVOICE: Effect.REVIEW,
    Code.DUPLICATE_SERIAL: Effect.REVIEW,
    Code.DUPLICATE_PHOTO: Effect.REVIEW,
    Code.THIRD_PARTY_PAYEE: Effect.REVIEW_AND_BLOCK,
    Code.INVALID_BANK_DETAILS: Effect.BLOCK_PAYOUT,
    Code.MISSING_BANK_DETAILS: Effect.BLOCK_PAYOUT,
    Code.PAYOUT_OVERDUE: Effect.ESCALATE,
}


@dataclass(frozen=True)
class Reason:
    """One reason in a decision: code, where it applies, and why."""

    code: Code
    detail: str
    line: int | None = None
    document: str | None = None
    effect: Effect | None = None  # None: the code's default effect

    @property
    def resolved_effect(self) -> Effect:
        """The effect this reason has, default or overridden."""
        return self.effect or DEFAULT_EFFECT[self.code]
