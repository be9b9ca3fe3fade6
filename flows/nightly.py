"""The nightly flow: ingest new bundles, read every document, decide every pending claim."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace

from prefect import flow, unmapped
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from claims.evidence import document_facts, is_device_photo, is_proof_of_sale, photo_facts
from models.claims import WorkItem
from ocr.device_label import LabelReading
from ocr.plan import DocumentPlan
from ocr.types import DocumentReading
from tasks.decide import (
    claim_languages,
    evaluate,
    gather_facts,
    record_failure,
    reserve_serials,
    resolve_ledger_conflicts,
    store_decision,
)
from tasks.documents import (
    assemble_reading,
    cache_labels,
    cache_readings,
    cached_labels,
    cached_readings,
    extract_invoice,
    ocr_page,
    read_label,
    read_or_plan,
)
from tasks.ingest import ingest_bundle, scan_inbox, work_queue
from tasks.payouts import schedule_due_payouts
from tasks.report import publish_summary
from tasks.review import claims_awaiting_review, escalate_overdue_reviews, open_review_runs
from tradein.inbox import InboxEntry
from tradein.ingest import IngestOutcome
from tradein.settings import get_settings
from tradein.summary import ClaimOutcome, NightlyReport

ReadingKey = tuple[str, str]  # (sha256, languages)
# One OCR engine per core, plus one thread: while a task run reports its state to the Prefect
# API (tens of milliseconds), another task's tesseract keeps its core busy (bench-ocr: 0.86 ->
# 0.89 of raw tesseract's pages/s on 2 cores; two threads per core gained nothing more).
OCR_THREADS = (os.cpu_count() or 2) + 1


@flow(name="nightly", task_runner=ThreadPoolTaskRunner(max_workers=OCR_THREADS), log_prints=True)
def nightly(inbox: str | None = None) -> NightlyReport:
    """Ingest the inbox, OCR what is new, decide pending claims in claim order, publish a summary."""
    inbox_url = inbox or get_settings().inbox_url
    ingested = [ingest(inbox_url, entry) for entry in scan_inbox(inbox_url)]
    queue = work_queue()
    languages = {item.claim_ref: claim_languages(item.partner_id, item.declared_country) for item in queue}
    keys = sorted({(d.sha256, languages[item.claim_ref]) for item in queue for d in item.documents
                   if not is_device_photo(d.kind)})
    photo_keys = sorted({(d.sha256, languages[item.claim_ref]) for item in queue for d in item.documents
                         if is_device_photo(d.kind)})
    labels_read = submit_labels(photo_keys)
    readings, errors, read_count = read_all(keys)
    labels, label_errors, label_count = collect_labels(photo_keys, *labels_read)
    read = Readings(readings, labels, {**errors, **label_errors})
    outcomes = [decide(item, languages[item.claim_ref], read) for item in queue]
    notes = [*open_review_runs(claims_awaiting_review()), *escalate_overdue_reviews()]
    notes += [f"payout of {ref} scheduled, due {due}" for ref, due in schedule_due_payouts()]
    read_count += label_count
    report = build_report(
        ingested, outcomes, documents_read=read_count, documents_cached=len(keys) + len(photo_keys) - read_count
    )
    report = replace(report, notes=tuple(notes))
    publish_summary(report)
    return report


def ingest(inbox_url: str, entry: InboxEntry) -> IngestOutcome:
    """Ingest one entry; an unexpected failure leaves it in the inbox for the next run."""
    try:
        return ingest_bundle(inbox_url, entry)
    except Exception as e:  # the run goes on with the other bundles
        return IngestOutcome(entry.name, "left_in_place", code="INGEST_FAILED", detail=f"{type(e).__name__}: {e}")


def read_all(keys: Sequence[ReadingKey]) -> tuple[dict[ReadingKey, DocumentReading], dict[ReadingKey, str], int]:
    """Readings for every key: from the cache, else OCR'd in parallel and cached.

    A document with several pages to OCR comes back from its first task as a plan and gets a
    task per page, assembled into its reading; any other is read in that first task.
    """
    readings = dict(cached_readings(keys))
    missing = [k for k in keys if k not in readings]
    firsts = read_or_plan.map([k[0] for k in missing], [k[1] for k in missing])
    key_of = dict(zip(firsts, missing, strict=True))
    chains: dict[ReadingKey, list[PrefectFuture]] = {}
    for first in as_completed(list(firsts)):
        plan = first.result(raise_on_failure=False)
        if isinstance(plan, DocumentPlan):
            pages = ocr_page.map(unmapped(plan), plan.jobs)
            chains[key_of[first]] = [first, *pages, assemble_reading.submit(plan, pages)]
        else:
            chains[key_of[first]] = [first]
    errors: dict[ReadingKey, str] = {}
    fresh: dict[ReadingKey, DocumentReading] = {}
    for key in missing:
        states = [future.wait() or future.state for future in chains[key]]
        if states[-1].is_completed():
            fresh[key] = chains[key][-1].result()
        else:
            errors[key] = _error_text(next((s for s in states if s.is_failed()), states[-1]))
    if fresh:
        cache_readings(fresh)
    return {**readings, **fresh}, errors, len(missing)


def submit_labels(keys: Sequence[ReadingKey]) -> tuple[dict[ReadingKey, LabelReading], dict[ReadingKey, PrefectFuture]]:
    """Device-label readings from the cache, and the photos not in it submitted for reading."""
    labels = dict(cached_labels(keys))
    missing = [k for k in keys if k not in labels]
    futures = read_label.map([k[0] for k in missing], [k[1] for k in missing])
    return labels, dict(zip(missing, futures, strict=True))


def collect_labels(
    keys: Sequence[ReadingKey], labels: dict[ReadingKey, LabelReading], futures: dict[ReadingKey, PrefectFuture]
) -> tuple[dict[ReadingKey, LabelReading], dict[ReadingKey, str], int]:
    """Wait for the submitted label readings and cache them; readings, errors, photos read."""
    errors: dict[ReadingKey, str] = {}
    fresh: dict[ReadingKey, LabelReading] = {}
    for key, future in futures.items():
        future.wait()
        if future.state.is_completed():
            fresh[key] = future.result()
        else:
            errors[key] = _error_text(future.state)
    if fresh:
        cache_labels(fresh)
    return {**labels, **fresh}, errors, len(futures)


@dataclass(frozen=True)
class Readings:
    """What the run read: documents, device labels, and the files whose reading failed."""

    documents: dict[ReadingKey, DocumentReading]
    labels: dict[ReadingKey, LabelReading]
    errors: dict[ReadingKey, str]


def decide(item: WorkItem, languages: str, read: Readings) -> ClaimOutcome:
    """Decide one claim; a failure is recorded on the claim and the run goes on."""
    errors = read.errors
    failed = [errors[(d.sha256, languages)] for d in item.documents if (d.sha256, languages) in errors]
    if failed:
        record_failure(item.claim_ref, f"document reading failed: {failed[0]}")
        return ClaimOutcome(item.claim_ref, "failed", error=failed[0])
    try:
        facts_in = [
            photo_facts(d.file, d.kind, d.line, d.sha256, read.labels[(d.sha256, languages)])
            if is_device_photo(d.kind)
            else document_facts(d.file, d.kind, d.line, d.sha256, read.documents[(d.sha256, languages)])
            for d in item.documents
        ]
        invoices = [
            extract_invoice(d.file, read.documents[(d.sha256, languages)], languages)
            for d in item.documents
            if is_proof_of_sale(d.kind) and read.documents[(d.sha256, languages)].text.strip()
        ]
        facts = gather_facts(item.claim_ref, facts_in, invoices)
        decision = evaluate(facts)
        taken = reserve_serials(item.claim_ref, decision)
        if taken:
            decision = resolve_ledger_conflicts(item.claim_ref, decision, taken)
        status = store_decision(item.claim_ref, facts, decision)
    except Exception as e:  # one claim's failure must not stop the others
        error = f"{type(e).__name__}: {e}"
        record_failure(item.claim_ref, error)
        return ClaimOutcome(item.claim_ref, "failed", error=error)
    return ClaimOutcome(item.claim_ref, status, tuple(str(r.code) for r in decision.reasons))


def build_report(
    ingested: Sequence[IngestOutcome], outcomes: Sequence[ClaimOutcome], documents_read: int, documents_cached: int
) -> NightlyReport:
    """Sort ingestion outcomes and claim outcomes into the run's report."""

    def of(kind: str) -> list[IngestOutcome]:
        return [o for o in ingested if o.outcome == kind]

    return NightlyReport(
        ingested=tuple(o.claim_ref or o.name for o in of("new_claim")),
        duplicate_deliveries=tuple(o.name for o in of("duplicate_delivery")),
        conflicts=tuple((o.name, o.detail or "") for o in of("conflict")),
        quarantined=tuple((o.name, o.code or "", o.detail or "") for o in of("quarantined")),
        left_in_place=tuple((o.name, o.code or "") for o in of("left_in_place")),
        outcomes=tuple(outcomes),
        documents_read=documents_read,
        documents_cached=documents_cached,
    )


def _error_text(state) -> str:
    try:
        state.result()
    except Exception as e:
        return f"{type(e).__name__}: {e}"
    return state.message or state.name
