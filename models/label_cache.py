"""Device-label readings cached by content hash, pipeline version and languages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

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
        "prints": [reading.prints.whole, reading.prints.label],
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


def get_label(session: Session, sha256: str, version: str, languages: str) -> LabelReading | None:
    """A cached label reading, or None."""
    row = session.scalar(
        select(LabelResult).where(
            LabelResult.sha256 == sha256, LabelResult.pipeline_version == version, LabelResult.languages == languages
        )
    )
    return label_from_json(row.reading) if row else None


def put_label(session: Session, sha256: str, version: str, languages: str, reading: LabelReading) -> None:
    """Cache a label reading; a concurrent insert of the same key is harmless."""
    if get_label(session, sha256, version, languages) is not None:
        return
    try:
        with session.begin_nested():
            row = LabelResult(sha256=sha256, pipeline_version=version, languages=languages)
            row.reading = label_to_json(reading)
            session.add(row)
    except IntegrityError:
        pass
