"""Rows of the reading caches (OCR readings, device-label readings): one shape, looked up by
content hash, pipeline version and languages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.schema import LabelResult, OcrResult

CachedRow = type[OcrResult] | type[LabelResult]
Key = tuple[str, str]  # (sha256, languages)
_CHUNK = 500  # hashes per query, well below every database's limit on bound parameters


def find_payloads(session: Session, model: CachedRow, keys: Iterable[Key], version: str) -> dict[Key, dict[str, Any]]:
    """The cached payloads of the keys that have one, in a query per few hundred hashes."""
    wanted = set(keys)
    hashes = sorted({sha for sha, _ in wanted})
    found: dict[Key, dict[str, Any]] = {}
    for start in range(0, len(hashes), _CHUNK):
        rows = session.scalars(
            select(model).where(model.sha256.in_(hashes[start : start + _CHUNK]), model.pipeline_version == version)
        )
        found.update({(r.sha256, r.languages): r.reading for r in rows if (r.sha256, r.languages) in wanted})
    return found


def add_payload(session: Session, model: CachedRow, key: Key, version: str, payload: dict[str, Any]) -> None:
    """Cache a payload; one already there, or a concurrent insert of the same key, is kept."""
    sha256, languages = key
    if find_payloads(session, model, [key], version):
        return
    try:
        with session.begin_nested():
            session.add(model(sha256=sha256, pipeline_version=version, languages=languages, reading=payload))
    except IntegrityError:
        pass
