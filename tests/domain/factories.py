"""Builders of claim facts for rule tests (no OCR, no database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from claims.bundle import (
    BankAccount,
    ClaimBundle,
    DeclaredDevice,
    DeclaredLine,
    DeclaredProduct,
    DocumentRef,
    Party,
)
from claims.facts import (
    CatalogueItem,
    ClaimFacts,
    DocumentFacts,
    EligibleDevice,
    Field,
    InvoiceRead,
    LabelFacts,
    PartnerFacts,
)
from ocr.device_label import SerialEvidence
from ocr.photo_print import PhotoPrints

PARTNER = PartnerFacts("LPN-1", "Musterhaus IT GmbH", "DE", "DE123456789", "active")
CATALOGUE = (
    CatalogueItem("DE", "11LN0004GE", "ThinkSmart Core", Decimal("250.00"), "EUR"),
    CatalogueItem("DE", "12C3000AGE", "ThinkSmart Bar", Decimal("150.00"), "EUR"),
)
DEVICES = (EligibleDevice("Logitech", "Rally Bar", "bar"), EligibleDevice("Poly", "Studio X50", "bar"))
INVOICE_TEXT = """Musterhaus IT GmbH
Hauptstr. 5, 70173 Stuttgart  USt-IdNr. DE123456789
Rechnung
Rechnungsnummer: RE-2025-0815
Rechnungsdatum: 01.07.2025
Kunde: Stadtwerke Beispielstadt GmbH
Artikelnummer Beschreibung Menge
11LN0004GE ThinkSmart Core S/N: PF3ABCDE 1
12C3000AGE ThinkSmart Bar S/N: PF3XYZ12 1
"""


def line(
    index: int = 0,
    part: str = "11LN0004GE",
    serial: str | None = "PF3ABCDE",
    brand: str = "Logitech",
    model: str = "Rally Bar",
    old_serial: str | None = "2215LZ0A1B2C",
) -> DeclaredLine:
    return DeclaredLine(index, DeclaredProduct(part, serial), DeclaredDevice(brand, model, old_serial))


def bundle(**changes) -> ClaimBundle:
    base = ClaimBundle(
        claim_ref="TI25-DE-000123",
        submitted_at=dt.datetime(2025, 7, 14, 10, 22, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        partner_id="LPN-1",
        partner_name="Musterhaus IT GmbH",
        partner_country="DE",
        end_customer=Party("Stadtwerke Beispielstadt GmbH", "DE811234567", "DE"),
        bank_account=BankAccount("Musterhaus IT GmbH", "DE89370400440532013000", "COBADEFFXXX"),
        lines=(line(),),
        documents=(DocumentRef("proof_of_sale", "invoice.pdf", None), DocumentRef("device_photo", "old-1.jpg", 0)),
    )
    return replace(base, **changes)


def document(
    file: str = "invoice.pdf",
    kind: str = "proof_of_sale",
    line_index: int | None = None,
    quality: str = "ok",
    confidence: float | None = 100.0,
    text: str = INVOICE_TEXT,
    sha: str | None = None,
) -> DocumentFacts:
    return DocumentFacts(
        file, kind, line_index, sha or f"sha-{file}", "application/pdf", quality, f"graded {quality}", confidence, text
    )


def photo(
    file: str = "old-1.jpg",
    line_index: int | None = 0,
    serial: str | None = "2215LZ0A1B2C",
    source: str = "barcode",
    doubtful: bool = False,
    quality: str = "ok",
    photo_print: str | None = None,
    label_print: str | None = None,
    sha: str | None = None,
    fine_print: str | None = None,
) -> DocumentFacts:
    """A device photo whose label showed ``serial`` (None: no serial read)."""
    how = {"barcode": "Code128 barcode", "qr": "QR code"}.get(source, "text after 'S/N:' (conf 90)")
    confidence = 90.0 if source == "text" else 100.0
    serials = () if serial is None else (SerialEvidence(serial, source, confidence, how, doubtful),)
    label = LabelFacts(serials, "Logitech", "Rally Bar", (), PhotoPrints(photo_print, label_print, fine=fine_print))
    return DocumentFacts(
        file, "device_photo", line_index, sha or f"sha-{file}", "image/jpeg", quality, f"graded {quality}",
        serials[0].confidence if serials else None, f"Logitech S/N {serial or ''}", label,
    )


def invoice(**changes) -> InvoiceRead:
    base = InvoiceRead(
        document="invoice.pdf",
        number=Field("RE-2025-0815", 100.0),
        date=Field("2025-07-01", 100.0),
        seller=Field("Musterhaus IT GmbH", 100.0),
        buyer=Field("Stadtwerke Beispielstadt GmbH", 100.0),
        part_numbers=(Field("11LN0004GE", 100.0), Field("12C3000AGE", 100.0)),
        serials=(Field("PF3ABCDE", 100.0), Field("PF3XYZ12", 100.0)),
        text=INVOICE_TEXT,
    )
    return replace(base, **changes)


def facts(**changes) -> ClaimFacts:
    base = ClaimFacts(
        bundle=bundle(),
        partner=PARTNER,
        catalogue=CATALOGUE,
        devices=DEVICES,
        documents=(document(), photo()),
        invoice=invoice(),
        earlier=(),
    )
    return replace(base, **changes)
