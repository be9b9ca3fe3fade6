"""Typing files by their content (magic bytes), never by their extension."""

from __future__ import annotations

from pathlib import Path

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
UNKNOWN = "unknown"

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
)


def sniff_media_type(path: Path) -> str:
    """Return the media type of a file from its first bytes ('unknown' when unsupported)."""
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError:
        return UNKNOWN
    return media_type_of(head)


def media_type_of(head: bytes) -> str:
    """The media type that a file's first kilobyte announces ('unknown' when unsupported)."""
    head = head[:1024]
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    # PDF readers accept the header anywhere in the first kilobyte (leading junk happens).
    if b"%PDF-" in head:
        return PDF
    return UNKNOWN
