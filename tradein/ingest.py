"""Ingestion of one inbox entry: validate, store files, record the claim once, or quarantine."""

from __future__ import annotations

from dataclasses import dataclass

from models import claims as claim_repo
from models.db import session_scope
from tradein.errors import BundleError
from tradein.inbox import Inbox, InboxEntry
from tradein.settings import Settings
from tradein.store import ContentStore


@dataclass(frozen=True)
class IngestOutcome:
    """What happened to one inbox entry."""

    name: str
    outcome: str  # 'new_claim' | 'duplicate_delivery' | 'conflict' | 'quarantined' | 'left_in_place'
    claim_ref: str | None = None
    code: str | None = None
    detail: str | None = None


def ingest_entry(settings: Settings, inbox: Inbox, entry: InboxEntry) -> IngestOutcome:
    """Bring one inbox entry to its end state; never raises for a malformed bundle."""
    if entry.kind == "incomplete":
        return IngestOutcome(
            entry.name, "left_in_place", code="NO_CLAIM_JSON", detail="directory without claim.json (still uploading?)"
        )
    if entry.kind == "stray_file":
        return IngestOutcome(entry.name, "left_in_place", code="NOT_A_BUNDLE", detail="a file, not a bundle directory")
    try:
        loaded = inbox.load(entry)
    except BundleError as e:
        return _quarantine(settings, inbox, entry, e.code, e.detail)
    with session_scope(settings.resolved_database_url) as session:
        existing = claim_repo.find_claim(session, loaded.bundle.claim_ref)
        if existing is not None:
            return _known(inbox, entry, loaded.bundle.claim_ref, existing.fingerprint == loaded.fingerprint)
        store = ContentStore(settings.store_dir)
        store.put_bytes(loaded.claim_json)
        shas = {f.file: (store.put_bytes(f.data), len(f.data)) for f in loaded.files}
        claim_repo.record_claim(
            session,
            loaded.bundle,
            loaded.raw_json,
            loaded.fingerprint,
            entry.name,
            shas,
            settings.programme.legal_forms,
        )
    inbox.remove(entry)
    return IngestOutcome(entry.name, "new_claim", claim_ref=loaded.bundle.claim_ref)


def _known(inbox: Inbox, entry: InboxEntry, claim_ref: str, same_content: bool) -> IngestOutcome:
    if same_content:
        inbox.remove(entry)
        return IngestOutcome(
            entry.name, "duplicate_delivery", claim_ref=claim_ref, detail="same bundle already ingested"
        )
    return IngestOutcome(
        entry.name,
        "conflict",
        claim_ref=claim_ref,
        code="CLAIM_REF_CONFLICT",
        detail=f"claim_ref {claim_ref} is already recorded with different content; bundle left in the inbox",
    )


def _quarantine(settings: Settings, inbox: Inbox, entry: InboxEntry, code: str, detail: str) -> IngestOutcome:
    path = inbox.quarantine(entry, settings.quarantine_dir, code, detail)
    with session_scope(settings.resolved_database_url) as session:
        claim_repo.record_quarantine(session, entry.name, code, detail, str(path))
    return IngestOutcome(entry.name, "quarantined", code=code, detail=detail)
