"""Prefect tasks of ingestion: list the inbox, ingest one entry."""

from __future__ import annotations

from prefect import task

from models import claims as claim_repo
from models.db import session_scope
from tradein.inbox import Inbox, InboxEntry
from tradein.ingest import IngestOutcome, ingest_entry
from tradein.settings import get_settings


@task(name="scan-inbox", retries=2, retry_delay_seconds=5)
def scan_inbox(inbox_url: str) -> list[InboxEntry]:
    """Every entry of the inbox, sorted by name."""
    return Inbox(inbox_url).entries()


@task(name="ingest-bundle", task_run_name="ingest-{entry.name}")
def ingest_bundle(inbox_url: str, entry: InboxEntry) -> IngestOutcome:
    """Record one bundle as a claim, acknowledge a duplicate, or quarantine it."""
    return ingest_entry(get_settings(), Inbox(inbox_url), entry)


@task(name="work-queue")
def work_queue() -> list[claim_repo.WorkItem]:
    """Claims waiting to be decided (new or failed before), in claim order."""
    with session_scope(get_settings().resolved_database_url) as session:
        return claim_repo.work_queue(session)
