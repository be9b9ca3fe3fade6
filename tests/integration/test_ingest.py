"""Ingestion against a real database (SQLite and PostgreSQL): once per claim_ref, quarantine, leave alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from models import claims as claim_repo
from models.db import session_scope
from tests.domain.test_bundle import VALID
from tradein.inbox import Inbox
from tradein.ingest import ingest_entry
from tradein.settings import get_settings


def write_bundle(inbox: Path, name: str, claim: dict | bytes = VALID, files: dict[str, bytes] | None = None) -> Path:
    bundle = inbox / name
    bundle.mkdir(parents=True)
    raw = claim if isinstance(claim, bytes) else json.dumps(claim).encode()
    (bundle / "claim.json").write_bytes(raw)
    for file, data in (
        files if files is not None else {"invoice.pdf": b"%PDF-1.4 invoice", "old-device-1.jpg": b"\xff\xd8\xff photo"}
    ).items():
        (bundle / file).write_bytes(data)
    return bundle


def ingest_all(inbox: Path) -> dict[str, object]:
    settings = get_settings()
    box = Inbox(str(inbox))
    return {e.name: ingest_entry(settings, box, e) for e in box.entries()}


def test_new_bundle_is_recorded_once_and_its_files_stored(env: Path):
    inbox = env / "inbox"
    write_bundle(inbox, "a")
    outcome = ingest_all(inbox)["a"]
    assert outcome.outcome == "new_claim" and outcome.claim_ref == "TI25-DE-000123"
    assert not (inbox / "a").exists()
    with session_scope(get_settings().resolved_database_url) as session:
        claim = claim_repo.find_claim(session, "TI25-DE-000123")
        assert claim.status == "pending"
        assert [d.file for d in claim.documents] == ["invoice.pdf", "old-device-1.jpg"]
        stored = [get_settings().store_dir / d.sha256[:2] / d.sha256[2:4] / d.sha256 for d in claim.documents]
    assert stored[0].read_bytes() == b"%PDF-1.4 invoice"

    write_bundle(inbox, "a-again")
    write_bundle(
        inbox, "a-changed", files={"invoice.pdf": b"%PDF-1.4 other", "old-device-1.jpg": b"\xff\xd8\xff photo"}
    )
    outcomes = ingest_all(inbox)
    assert outcomes["a-again"].outcome == "duplicate_delivery"
    assert not (inbox / "a-again").exists()
    assert outcomes["a-changed"].outcome == "conflict" and outcomes["a-changed"].code == "CLAIM_REF_CONFLICT"
    assert (inbox / "a-changed" / "claim.json").exists()
    with session_scope(get_settings().resolved_database_url) as session:
        assert len(claim_repo.work_queue(session)) == 1


def test_malformed_bundles_are_quarantined_with_error_json(env: Path):
    inbox = env / "inbox"
    write_bundle(inbox, "bad-json", b"{oops")
    write_bundle(inbox, "missing-file", files={"invoice.pdf": b"%PDF"})
    escaping = json.loads(json.dumps(VALID))
    escaping["documents"][0]["file"] = "../secret.pdf"
    write_bundle(inbox, "escaping", escaping)
    linked = write_bundle(inbox, "linked")
    (linked / "old-device-1.jpg").unlink()
    (linked / "old-device-1.jpg").symlink_to("/etc/hostname")
    outcomes = ingest_all(inbox)
    assert {n: o.code for n, o in outcomes.items()} == {
        "bad-json": "INVALID_JSON",
        "missing-file": "MISSING_FILE",
        "escaping": "UNSAFE_PATH",
        "linked": "SPECIAL_FILE",
    }
    quarantine = get_settings().quarantine_dir
    for name, outcome in outcomes.items():
        assert not (inbox / name).exists()
        error = json.loads((quarantine / name / "error.json").read_text())
        assert error["code"] == outcome.code and error["detail"] and error["at"]
        assert (quarantine / name / "claim.json").exists()


def test_incomplete_directories_and_stray_files_are_left_in_place(env: Path):
    inbox = env / "inbox"
    (inbox / "uploading").mkdir(parents=True)
    (inbox / "uploading" / "invoice.pdf").write_bytes(b"%PDF")
    (inbox / "stray.pdf").write_bytes(b"%PDF")
    outcomes = ingest_all(inbox)
    assert {n: (o.outcome, o.code) for n, o in outcomes.items()} == {
        "uploading": ("left_in_place", "NO_CLAIM_JSON"),
        "stray.pdf": ("left_in_place", "NOT_A_BUNDLE"),
    }
    assert (inbox / "uploading" / "invoice.pdf").exists() and (inbox / "stray.pdf").exists()


def test_quarantine_never_overwrites_an_earlier_quarantined_bundle(env: Path):
    inbox = env / "inbox"
    write_bundle(inbox, "dup-name", b"{oops")
    ingest_all(inbox)
    write_bundle(inbox, "dup-name", b"{still oops")
    ingest_all(inbox)
    quarantine = get_settings().quarantine_dir
    assert (quarantine / "dup-name" / "claim.json").read_bytes() == b"{oops"
    assert (quarantine / "dup-name.2" / "claim.json").read_bytes() == b"{still oops"
    shutil.rmtree(quarantine)
