"""Dropping the words tesseract read twice, once inside another word's box.

Where a small label line sits close above a line of bold print ('Klant' over 'Hogeschool
Rotterdam'), tesseract's layout can make two overlapping lines and read parts of the bold
words again into the other one: 'a' inside 'Rotterdam', 'ogistics' inside 'Logistics',
'nt' inside 'Advocatenkantoor'. Such a part lies within the bigger word's box, on another
line, and is a piece of it (or a symbol or two): it is dropped, so that a name read from
the line is not 'Hogeschool Rotterdam a'.
"""

from __future__ import annotations

from collections.abc import Sequence

from ocr.layout import WORD_PUNCTUATION
from ocr.types import OcrSettings, Word


def _share_inside(inner: Word, outer: Word) -> float:
    """How much of inner's box lies within outer's box (0-1)."""
    across = min(inner.left + inner.width, outer.left + outer.width) - max(inner.left, outer.left)
    down = min(inner.top + inner.height, outer.top + outer.height) - max(inner.top, outer.top)
    area = inner.width * inner.height
    return max(0, across) * max(0, down) / area if area > 0 else 0.0


def _piece_of(inner: Word, outer: Word, settings: OcrSettings) -> bool:
    """Whether inner is a second reading of part of outer (or of all of it, read with less
    confidence)."""
    if (inner.line == outer.line or outer.confidence < settings.nested_outer_min_confidence
            or _share_inside(inner, outer) < settings.nested_min_share):
        return False  # a garbled box over two lines holds no reading to compare with
    piece, whole = inner.text.strip(WORD_PUNCTUATION).lower(), outer.text.strip(WORD_PUNCTUATION).lower()
    if piece == whole:
        return (inner.confidence, inner.top) < (outer.confidence, outer.top)
    return (len(piece) < len(whole) and outer.width * outer.height > inner.width * inner.height
            and (len(piece) <= 2 or piece in whole))


def drop_nested(words: Sequence[Word], settings: OcrSettings) -> tuple[tuple[Word, ...], int]:
    """The words without those read a second time inside another word; how many went."""
    kept = tuple(w for w in words if not any(o is not w and _piece_of(w, o, settings) for o in words))
    return kept, len(words) - len(kept)
