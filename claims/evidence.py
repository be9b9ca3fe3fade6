"""What was read from a claim's documents, turned into facts for the rules."""

from __future__ import annotations

from collections.abc import Sequence

from claims.bundle import DEVICE_PHOTO, PROOF_OF_SALE
from claims.facts import DocumentFacts, Field, InvoiceItem, InvoiceRead, LabelFacts
from ocr.device_label import LabelReading
from ocr.invoice import FieldReading, InvoiceFields
from ocr.types import DocumentReading


def document_facts(file: str, kind: str, line: int | None, sha256: str, reading: DocumentReading) -> DocumentFacts:
    """A document's grade and text as the rules see them."""
    return DocumentFacts(
        file=file,
        kind=kind,
        line=line,
        sha256=sha256,
        media_type=reading.media_type,
        quality=str(reading.quality),
        quality_reason=reading.reason,
        ocr_confidence=None if reading.ocr_confidence is None else round(float(reading.ocr_confidence), 1),
        text=reading.text,
    )


def photo_facts(file: str, kind: str, line: int | None, sha256: str, label: LabelReading) -> DocumentFacts:
    """A device photo as the rules see it: the label's grade, text, serials and prints."""
    best = label.best
    return DocumentFacts(
        file=file,
        kind=kind,
        line=line,
        sha256=sha256,
        media_type=label.media_type,
        quality=label.quality,
        quality_reason="; ".join(label.findings) or "serial read from the label",
        ocr_confidence=None if best is None else round(float(best.confidence), 1),
        text=label.text,
        label=LabelFacts(
            serials=label.serials,
            brand=label.brand,
            model=label.model,
            findings=label.findings,
            prints=label.prints,
        ),
    )


def _field(reading: FieldReading | None) -> Field | None:
    return None if reading is None else Field(reading.value, float(reading.confidence), bool(reading.doubtful))


def _fields(readings: tuple[FieldReading, ...]) -> tuple[Field, ...]:
    return tuple(f for f in (_field(r) for r in readings) if f is not None)


def invoice_read(file: str, fields: InvoiceFields, text: str) -> InvoiceRead:
    """Invoice fields as facts."""
    return InvoiceRead(
        document=file,
        number=_field(fields.number),
        date=_field(fields.date),
        seller=_field(fields.seller),
        buyer=_field(fields.buyer),
        part_numbers=_fields(fields.part_numbers),
        serials=_fields(fields.serials),
        text=text,
        seller_vat=_field(fields.seller_vat),
        buyer_vat=_field(fields.buyer_vat),
        items=tuple(
            InvoiceItem(_field(item.part_number), item.description, item.quantity, _fields(item.serials))
            for item in fields.line_items
        ),
    )


def best_invoice(candidates: Sequence[InvoiceRead]) -> InvoiceRead | None:
    """The proof of sale that yielded the most invoice fields (first on ties)."""

    def found(inv: InvoiceRead) -> int:
        return sum(f is not None for f in (inv.number, inv.date, inv.seller, inv.buyer)) + bool(inv.part_numbers)

    return max(candidates, key=found, default=None)


def is_proof_of_sale(kind: str) -> bool:
    """Whether a document kind is an invoice to read fields from."""
    return kind == PROOF_OF_SALE


def is_device_photo(kind: str) -> bool:
    """Whether a document kind is the photo of a replaced device, read for its label."""
    return kind == DEVICE_PHOTO
