"""Prefect tasks that read documents: OCR cache look-up, OCR, cache write, field extraction,
and the same for the labels on device photos."""

from __future__ import annotations

from collections.abc import Sequence

from prefect import task
from prefect.cache_policies import NO_CACHE

from claims.evidence import invoice_read
from claims.facts import InvoiceRead
from models import label_cache, ocr_cache
from models.db import session_scope
from ocr import PIPELINE_VERSION
from ocr.device_label import LabelReading, LabelSettings, read_device_label
from ocr.document import assemble, plan_document, read_page, read_planned
from ocr.invoice import extract_invoice_fields
from ocr.plan import DocumentPlan, PageJob
from ocr.types import DocumentReading, OcrSettings, PageReading
from tradein.settings import get_settings
from tradein.store import ContentStore


def ocr_settings() -> OcrSettings:
    """OCR settings from the process settings."""
    settings = get_settings()
    return OcrSettings(dpi=settings.ocr_dpi, page_timeout_s=settings.ocr_page_timeout_s)


@task(name="cached-readings")
def cached_readings(keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], DocumentReading]:
    """Readings already in the cache, by (sha256, languages)."""
    with session_scope(get_settings().resolved_database_url) as session:
        return ocr_cache.get_readings(session, keys, PIPELINE_VERSION)


@task(name="read-document", task_run_name="ocr-{sha256:.12}", retries=1, retry_delay_seconds=2, cache_policy=NO_CACHE)
def read_or_plan(sha256: str, languages: str) -> DocumentReading | DocumentPlan:
    """OCR one stored file (never fails on a bad file: it is graded unreadable); a file with
    several pages to OCR is only planned, for a task per page (see ocr_page)."""
    path = ContentStore(get_settings().store_dir).path_for(sha256)
    settings = ocr_settings()
    plan = plan_document(path, languages.split("+"), settings)
    return plan if plan.parallel else read_planned(plan, settings)


@task(
    name="read-page",
    task_run_name="ocr-{plan.name:.12}-p{job.index}",
    retries=1,
    retry_delay_seconds=2,
    cache_policy=NO_CACHE,
)
def ocr_page(plan: DocumentPlan, job: PageJob) -> PageReading:
    """OCR one page of a multi-page document."""
    return read_page(plan, job, ocr_settings())


@task(name="assemble-reading", cache_policy=NO_CACHE)
def assemble_reading(plan: DocumentPlan, pages: list[PageReading]) -> DocumentReading:
    """Grade a multi-page document from its pages."""
    return assemble(plan, pages, ocr_settings())


@task(name="cache-readings", cache_policy=NO_CACHE)
def cache_readings(readings: dict[tuple[str, str], DocumentReading]) -> None:
    """Keep readings, by (sha256, languages), so no later run reads the same file again
    (one task for all: a task per document cost more than the writes)."""
    with session_scope(get_settings().resolved_database_url) as session:
        for (sha256, languages), reading in readings.items():
            ocr_cache.put_reading(session, sha256, PIPELINE_VERSION, languages, reading)


@task(name="extract-invoice")
def extract_invoice(file: str, reading: DocumentReading, languages: str) -> InvoiceRead:
    """Invoice number, date, parties, part numbers and serials from a proof of sale."""
    fields = extract_invoice_fields(reading, languages.split("+"))
    return invoice_read(file, fields, reading.text)


@task(name="cached-labels")
def cached_labels(keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], LabelReading]:
    """Device-label readings already in the cache, by (sha256, languages)."""
    with session_scope(get_settings().resolved_database_url) as session:
        return label_cache.get_labels(session, keys, PIPELINE_VERSION)


@task(name="read-label", task_run_name="label-{sha256:.12}", retries=1, retry_delay_seconds=2, cache_policy=NO_CACHE)
def read_label(sha256: str, languages: str) -> LabelReading:
    """Read the serial, brand and model from a stored device photo (a bad file reads unreadable)."""
    path = ContentStore(get_settings().store_dir).path_for(sha256)
    settings = LabelSettings(ocr=ocr_settings())
    return read_device_label(path, settings, languages.split("+"))


@task(name="cache-labels", cache_policy=NO_CACHE)
def cache_labels(readings: dict[tuple[str, str], LabelReading]) -> None:
    """Keep label readings, by (sha256, languages), so no later run reads the same photo again."""
    with session_scope(get_settings().resolved_database_url) as session:
        for (sha256, languages), reading in readings.items():
            label_cache.put_label(session, sha256, PIPELINE_VERSION, languages, reading)
