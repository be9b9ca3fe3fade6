"""Dropping the words tesseract read twice, once inside another word's box.

Where a small label line sits close above a line of bold print ('Klant' over 'Hogeschool
Rotterdam'), tesseract's layout can make two overlapping lines and read parts of the bold
words again into the other one: 'a' inside 'Rotterdam', 'ogistics' inside 'Logistics',
'nt' inside 'Advocatenkantoor'. Such a part lies within the bigger word's box, on another
line, and is a piece of it (or a symbol or two): it is dropped, so that a name read from
the line is not 'Hogeschool Rotterdam a'.

The same layout slip can cut one word in two, each half on its own line, the halves
touching or overlapping where they share letters ('Eemlan' + 'land' for 'Eemland', 'd' + 'du'
for 'du'): such halves are joined into one word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

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


def _shared_letters(left: str, right: str) -> int:
    """How many letters end left and begin right (the longest such overlap; 0 when none)."""
    a, b = left.lower(), right.lower()
    return next((k for k in range(min(len(a), len(b) - 1), 0, -1) if a[-k:] == b[:k]), 0)


def _halves(a: Word, b: Word, settings: OcrSettings) -> int:
    """Whether a and b are the two halves of one word cut onto two lines: side by side on
    one row, b starting where a ends (touching or overlapping), the end of a's letters
    beginning b's; how many letters they share (0: not halves)."""
    if a.line == b.line or min(a.confidence, b.confidence) < settings.nested_outer_min_confidence:
        return 0
    height = min(a.height, b.height)
    down = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
    gap = b.left - (a.left + a.width)
    if down < 0.5 * height or not a.left < b.left or gap > settings.split_word_max_gap * height \
            or b.left + b.width <= a.left + a.width:
        return 0
    return _shared_letters(a.text.strip(WORD_PUNCTUATION), b.text.strip(WORD_PUNCTUATION))


def join_split_words(words: Sequence[Word], settings: OcrSettings) -> tuple[tuple[Word, ...], int]:
    """The words with the halves of a word cut onto two lines joined into one (on the line
    holding more of the row's words); how many were joined."""
    out = list(words)
    joined = 0
    for i in range(len(out)):
        a = out[i]
        if a is None:
            continue
        for j in range(len(out)):
            b = out[j]
            if b is None or j == i or not (shared := _halves(a, b, settings)):
                continue
            head = a.text.rstrip(WORD_PUNCTUATION)
            text = head + b.text.lstrip(WORD_PUNCTUATION)[shared:]
            right = max(a.left + a.width, b.left + b.width)
            top, bottom = min(a.top, b.top), max(a.top + a.height, b.top + b.height)
            keep, drop = (i, j) if sum(w is not None and w.line == a.line for w in out) >= sum(
                w is not None and w.line == b.line for w in out) else (j, i)
            out[keep] = replace(out[keep], text=text, left=a.left, width=right - a.left, top=top,
                                height=bottom - top, confidence=min(a.confidence, b.confidence))
            out[drop] = None
            joined += 1
            break
    return tuple(w for w in out if w is not None), joined
