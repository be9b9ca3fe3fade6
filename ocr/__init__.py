"""Pure document reading: files in, graded readings and invoice fields out.

``PIPELINE_VERSION`` keys the OCR cache: change it whenever reading or grading changes what a
file yields, so that no stale reading is reused.

Public API: :func:`read_document`, :func:`sniff_media_type`, :func:`extract_invoice_fields`,
:func:`reading_from_text` and the value types below. Nothing here imports prefect or a database.
"""

PIPELINE_VERSION = "2026.11.28.37"

from ocr.document import read_document, sniff_media_type  # noqa: E402
from ocr.invoice import FieldReading, InvoiceFields, extract_invoice_fields  # noqa: E402
from ocr.text import reading_from_text  # noqa: E402
from ocr.types import (  # noqa: E402
    DocumentReading,
    OcrSettings,
    PageReading,
    Quality,
    Word,
    worst,
)

__all__ = [
    "PIPELINE_VERSION",
    "DocumentReading",
    "FieldReading",
    "InvoiceFields",
    "OcrSettings",
    "PageReading",
    "Quality",
    "Word",
    "extract_invoice_fields",
    "read_document",
    "reading_from_text",
    "sniff_media_type",
    "worst",
]
