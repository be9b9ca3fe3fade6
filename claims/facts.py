"""What the rules see: a claim, the reference data, what was read, and earlier claims."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from claims.bundle import ClaimBundle
from ocr.device_label import SerialEvidence
from ocr.photo_print import NO_PRINTS, PhotoPrints


@dataclass(frozen=True)
class PartnerFacts:
    """A partner register row."""

    partner_id: str
    name: str
    country: str
    vat_id: str | None
    status: str


@dataclass(frozen=True)
class CatalogueItem:
    """An eligible product for one country, with its reward."""

    country: str
    part_number: str
    product_name: str
    reward_amount: Decimal
    currency: str


@dataclass(frozen=True)
class EligibleDevice:
    """An old device the programme takes back."""

    brand: str
    model: str
    category: str


@dataclass(frozen=True)
class Field:
    """An invoice field as read, with the confidence of the words it came from."""

    value: str
    confidence: float
    doubtful: bool = False  # a repaired code, an unchecked VAT id, a date with open day/month order


@dataclass(frozen=True)
class InvoiceItem:
    """A line item of the invoice table."""

    part_number: Field | None
    description: str
    quantity: int | None
    serials: tuple[Field, ...]


@dataclass(frozen=True)
class InvoiceRead:
    """Invoice fields read from the proof of sale."""

    document: str
    number: Field | None
    date: Field | None  # ISO date
    seller: Field | None
    buyer: Field | None
    part_numbers: tuple[Field, ...]
    serials: tuple[Field, ...]
    text: str
    seller_vat: Field | None = None
    buyer_vat: Field | None = None
    items: tuple[InvoiceItem, ...] = ()


@dataclass(frozen=True)
class LabelFacts:
    """What the photo of a replaced device's label showed (P10), and its perceptual prints."""

    serials: tuple[SerialEvidence, ...]  # best first
    brand: str | None
    model: str | None
    findings: tuple[str, ...]
    prints: PhotoPrints = NO_PRINTS

    @property
    def best(self) -> SerialEvidence | None:
        """The strongest serial evidence, None when no serial was read."""
        return self.serials[0] if self.serials else None


@dataclass(frozen=True)
class DocumentFacts:
    """One bundle file after reading: its grade and text."""

    file: str
    kind: str
    line: int | None
    sha256: str
    media_type: str
    quality: str  # ok | fax | poor | illegible | unreadable
    quality_reason: str
    ocr_confidence: float | None
    text: str
    label: LabelFacts | None = None  # device photos: what their label showed


@dataclass(frozen=True)
class PhotoSeen:
    """A device photo of an earlier claim, as kept for recognising it again."""

    claim_ref: str
    file: str
    sha256: str
    prints: PhotoPrints
    serial_read: str | None  # the serial read from it without doubt, canonical
    line: int | None = None  # the line it shows
    serials_seen: tuple[str, ...] = ()  # the serials read from it, with doubt or without, canonical, best first


@dataclass(frozen=True)
class EarlierClaim:
    """What an earlier claim (by submitted_at, claim_ref) holds that a later one may repeat."""

    claim_ref: str
    submitted_at: dt.datetime
    customer: tuple[str | None, str]
    invoice_hashes: frozenset[str]
    invoice_key: tuple[str, str] | None  # (normalised seller, normalised invoice number)
    invoice_figures: frozenset[str]  # figures of its proof of sale (claims.duplicates)
    serials: frozenset[str]  # normalised serials of its lines that are not rejected
    counted_pairs: int  # approved or needs_review lines
    photos: tuple[PhotoSeen, ...] = ()


@dataclass(frozen=True)
class ClaimFacts:
    """Everything the rules need to decide one claim."""

    bundle: ClaimBundle
    partner: PartnerFacts | None
    catalogue: tuple[CatalogueItem, ...]  # the partner country's eligible products
    devices: tuple[EligibleDevice, ...]
    documents: tuple[DocumentFacts, ...]
    invoice: InvoiceRead | None
    earlier: tuple[EarlierClaim, ...]
