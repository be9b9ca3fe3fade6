"""Document readings cached by content hash, pipeline version and languages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from models import cached_rows
from models.schema import OcrResult
from ocr.types import DocumentReading, PageReading, Quality, Word


def reading_to_json(reading: DocumentReading) -> dict[str, Any]:
    """A reading as compact JSON (words as lists)."""
    return {
        "media_type": reading.media_type,
        "quality": str(reading.quality),
        "reason": reading.reason,
        "ocr_confidence": reading.ocr_confidence,
        "pages": [
            {
                "index": p.index,
                "source": p.source,
                "text": p.text,
                "mean_confidence": p.mean_confidence,
                "quality": str(p.quality),
                "reason": p.reason,
                "metrics": [list(m) for m in p.metrics],
                "words": [[w.text, w.confidence, w.left, w.top, w.width, w.height, w.line] for w in p.words],
            }
            for p in reading.pages
        ],
    }


def reading_from_json(data: dict[str, Any]) -> DocumentReading:
    """The reverse of reading_to_json."""
    pages = tuple(
        PageReading(
            index=p["index"],
            source=p["source"],
            text=p["text"],
            words=tuple(
                Word(w[0], float(w[1]), int(w[2]), int(w[3]), int(w[4]), int(w[5]), int(w[6])) for w in p["words"]
            ),
            mean_confidence=p["mean_confidence"],
            quality=Quality(p["quality"]),
            reason=p["reason"],
            metrics=tuple((str(k), float(v)) for k, v in p["metrics"]),
        )
        for p in data["pages"]
    )
    return DocumentReading(data["media_type"], pages, Quality(data["quality"]), data["reason"], data["ocr_confidence"])


def get_readings(
    session: Session, keys: Iterable[tuple[str, str]], version: str
) -> dict[tuple[str, str], DocumentReading]:
    """Cached readings of the (sha256, languages) keys that have one."""
    found = cached_rows.find_payloads(session, OcrResult, keys, version)
    return {key: reading_from_json(payload) for key, payload in found.items()}


def put_reading(session: Session, sha256: str, version: str, languages: str, reading: DocumentReading) -> None:
    """Cache a reading; a concurrent insert of the same key is harmless."""
    cached_rows.add_payload(session, OcrResult, (sha256, languages), version, reading_to_json(reading))
