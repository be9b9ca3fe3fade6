"""Test invoices (specs for fixtures.documents) and comparing extracted fields with them;
one line of print drawn in a fixture font."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz import fuzz

from fixtures._invoice_pdf import font_path
from ocr import InvoiceFields

docs = pytest.importorskip("fixtures.documents")  # written by another engineer

LANGUAGES = ("de", "fr", "en", "it", "es", "nl")

_SPECS = {
    "de": docs.InvoiceSpec(
        "de", "RE-2025-0815", datetime.date(2025, 7, 1), "Musterhaus IT GmbH",
        "Hauptstraße 12, 70173 Stuttgart", "DE123456789", "Stadtwerke Beispielstadt GmbH",
        "Am Markt 1, 12345 Beispielstadt", "DE811234567",
        (docs.InvoiceLine("11LN0004GE", "ThinkSmart Core", "PF3ABCDE", Decimal("1299.00")),
         docs.InvoiceLine("12C3000AGE", "ThinkSmart Bar 180", "PF4XYZ12", Decimal("899.00")))),
    "fr": docs.InvoiceSpec(
        "fr", "FA-2025-00421", datetime.date(2025, 7, 14), "Informatique Dupont SARL",
        "12 rue de la Paix, 75002 Paris", "FR40123456789", "Mairie de Villeneuve",
        "1 place de la République, 47300 Villeneuve-sur-Lot", "FR83404833048",
        (docs.InvoiceLine("11LN0004FR", "ThinkSmart Core", "PF3QRSTU", Decimal("1299.00")),)),
    "en": docs.InvoiceSpec(
        "en", "INV-77812", datetime.date(2025, 7, 14), "Brightside Systems Ltd",
        "4 King Street, Manchester M2 4LQ", "GB123456789", "Northern Water plc",
        "1 Dock Road, Liverpool L3 4AA", None,
        (docs.InvoiceLine("11LN0004UK", "ThinkSmart Core", "PF3LMNOP", Decimal("999.00")),)),
    "it": docs.InvoiceSpec(
        "it", "2025/1187", datetime.date(2025, 6, 3), "Rossi Informatica S.r.l.",
        "Via Roma 10, 20121 Milano", "IT01234567890", "Comune di Bergamo",
        "Piazza Matteotti 27, 24122 Bergamo", "IT00231070165",
        (docs.InvoiceLine("11LN0004IT", "ThinkSmart Core", "PF3GHJKL", Decimal("1199.00")),)),
    "es": docs.InvoiceSpec(
        "es", "F2025-0931", datetime.date(2025, 9, 30), "Soluciones García S.L.",
        "Calle Mayor 5, 28013 Madrid", "ESB12345678", "Ayuntamiento de Toledo",
        "Plaza del Consistorio 1, 45071 Toledo", "ESP4516800B",
        (docs.InvoiceLine("11LN0004SP", "ThinkSmart Core", "PF3WXYZA", Decimal("1199.00")),)),
    "nl": docs.InvoiceSpec(
        "nl", "2025-00345", datetime.date(2025, 5, 2), "De Vries ICT B.V.",
        "Keizersgracht 100, 1015 AA Amsterdam", "NL123456789B01", "Gemeente Utrecht",
        "Stadsplateau 1, 3521 AZ Utrecht", "NL002220647B01",
        (docs.InvoiceLine("11LN0004NL", "ThinkSmart Core", "PF3BCDFG", Decimal("1199.00")),)),
}


def invoice_spec(language: str, layout: int = 0):
    """The test invoice of a language in one of the three fixture layouts."""
    return replace(_SPECS[language], layout=layout)


def _close(found: str | None, expected: str, cutoff: float) -> bool:
    return found is not None and fuzz.ratio(found.casefold(), expected.casefold()) >= cutoff


def field_problems(fields: InvoiceFields, spec, exact: bool) -> list[str]:
    """What differs between fields and spec; OCR'd documents get the consumers' tolerance
    (names and codes fuzzy: one wrong character in a serial still matches)."""
    problems: list[str] = []
    name_cut, code_cut = (100.0, 100.0) if exact else (85.0, 85.0)
    if fields.number is None or fields.number.value != spec.number:
        problems.append(f"number {fields.number} != {spec.number}")
    if fields.date is None or fields.date.value != spec.date.isoformat():
        problems.append(f"date {fields.date} != {spec.date}")
    if not _close(fields.seller and fields.seller.value, spec.seller_name, name_cut):
        problems.append(f"seller {fields.seller} != {spec.seller_name}")
    if not _close(fields.buyer and fields.buyer.value, spec.buyer_name, name_cut):
        problems.append(f"buyer {fields.buyer} != {spec.buyer_name}")
    parts = [p.value for p in fields.part_numbers]
    serials = [s.value for s in fields.serials]
    for line in spec.lines:
        if not any(_close(p, line.part_number, code_cut) for p in parts):
            problems.append(f"part {line.part_number} not in {parts}")
        if line.serial and not any(_close(s, line.serial, code_cut) for s in serials):
            problems.append(f"serial {line.serial} not in {serials}")
    return problems


def printed_line(text: str, font: str = "FxSans", size: int = 40) -> np.ndarray:
    """One line of dark print on white, in a fixture font, as a grey image."""
    face = ImageFont.truetype(font_path(font), size)
    image = Image.new("L", (int(size * len(text) * 0.9) + 40, int(size * 1.8)), 255)
    ImageDraw.Draw(image).text((20, size // 3), text, font=face, fill=0)
    return np.asarray(image)
