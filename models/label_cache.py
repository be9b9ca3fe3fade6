"""Device-label readings cached by content hash, pipeline version and languages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import astuple
from typing import Any

from sqlalchemy.orm import Session

from models import cached_rows
from models.schema import LabelResult
from ocr.device_label import LabelReading, SerialEvidence
from ocr.photo_print import PhotoPrints


def label_to_json(reading: LabelReading) -> dict[str, Any]:
    """A label reading as JSON."""
    return {
        "serials": [[e.value, e.source, e.confidence, e.detail, e.doubtful] for e in reading.serials],
        "brand": reading.brand,
        "model": reading.model,
        "text": reading.text,
        "quality": reading.quality,
        "findings": list(reading.findings),
        "prints": list(astuple(reading.prints)),
        "media_type": reading.media_type,
    }


def label_from_json(data: dict[str, Any]) -> LabelReading:
    """The reverse of label_to_json."""
    return LabelReading(
        serials=tuple(
            SerialEvidence(str(v), str(s), float(c), str(d), bool(doubt)) for v, s, c, d, doubt in data["serials"]
        ),
        brand=data["brand"],
        model=data["model"],
        text=data["text"],
        quality=data["quality"],
        findings=tuple(data["findings"]),
        prints=PhotoPrints(*data["prints"]),
        media_type=data["media_type"],
    )


def get_labels(
    session: Session, keys: Iterable[tuple[str, str]], version: str
) -> dict[tuple[str, str], LabelReading]:
    """Cached label readings of the (sha256, languages) keys that have one."""
    found = cached_rows.find_payloads(session, LabelResult, keys, version)
    return {key: label_from_json(payload) for key, payload in found.items()}


def put_label(session: Session, sha256: str, version: str, languages: str, reading: LabelReading) -> None:
    """Cache a label reading; a concurrent insert of the same key is harmless."""
    cached_rows.add_payload(session, LabelResult, (sha256, languages), version, label_to_json(reading))
