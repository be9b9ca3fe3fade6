"""Prefect tasks that read documents: OCR cache look-up, OCR, cache write, field extraction."""

from __future__ import annotations

from collections.abc import Sequence

from prefect import task

from claims.evidence import invoice_read
from claims.facts import InvoiceRead
from models import ocr_cache
from models.db import session_scope
from ocr import PIPELINE_VERSION
from ocr.document import read_document
from ocr.invoice import extract_invoice_fields
from ocr.types import DocumentReading, OcrSettings
from tradein.settings import get_settings
from tradein.store import ContentStore


def ocr_settings() -> OcrSettings:
    """OCR settings from the process settings."""
    settings = get_settings()
    return OcrSettings(dpi=settings.ocr_dpi, page_timeout_s=settings.ocr_page_timeout_s)


@task(name="cached-readings")
def cached_readings(keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], DocumentReading]:
    """Readings already in the cache, by (sha256, languages)."""
    found = {}
    with session_scope(get_settings().resolved_database_url) as session:
        for sha, languages in keys:
            reading = ocr_cache.get_reading(session, sha, PIPELINE_VERSION, languages)
            if reading is not None:
                found[(sha, languages)] = reading
    return found


@task(name="read-document", task_run_name="ocr-{sha256:.12}", retries=1, retry_delay_seconds=2)
def ocr_document(sha256: str, languages: str) -> DocumentReading:
    """OCR one stored file (never fails on a bad file: it is graded unreadable)."""
    path = ContentStore(get_settings().store_dir).path_for(sha256)
    return read_document(path, languages.split("+"), ocr_settings())


@task(name="cache-reading")
def cache_reading(sha256: str, languages: str, reading: DocumentReading) -> None:
    """Keep a reading so no later run reads the same file again."""
    with session_scope(get_settings().resolved_database_url) as session:
        ocr_cache.put_reading(session, sha256, PIPELINE_VERSION, languages, reading)


@task(name="extract-invoice")
def extract_invoice(file: str, reading: DocumentReading, languages: str) -> InvoiceRead:
    """Invoice number, date, parties, part numbers and serials from a proof of sale."""
    fields = extract_invoice_fields(reading, languages.split("+"))
    return invoice_read(file, fields, reading.text)
