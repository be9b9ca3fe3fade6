"""Reading again the columns tesseract wove into one another.

Two blocks of print side by side whose lines do not share baselines (the buyer's name and
address on the left, the invoice number and date on the right, half a line lower) are at
times taken by tesseract's layout analysis for one block: it builds lines across both, and
the column whose baselines those lines miss comes out garbled, often with high confidence
('Crédit Régional de Bretagne SA' as 'os ne me SA', '5 rue du Château, 35000 Rennes' as
'rue au eau, ennes'). Cropped alone, each column reads right.

Such a line shows itself: stretches of print far apart on it whose middles stand at
different heights, or a word box several lines tall. Around each, the print on either side
of the gap is cropped and read again alone; its words replace the old ones when they hold
clearly more letters and digits, each counted at its word's confidence (a woven line loses
glyphs, or turns them into low-confidence debris), or about as many in fewer stray pieces (a
woven line splits words into single letters, read with confidence).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from statistics import median

from PIL import Image

from ocr import tesseract
from ocr.types import OcrSettings, Word

_Box = tuple[int, int, int, int]  # left, top, right, bottom


def _centre_y(w: Word) -> float:
    return w.top + w.height / 2


def _segments(line: Sequence[Word], gap: float) -> list[list[Word]]:
    """A line's words, left to right, cut where they stand more than gap pixels apart."""
    out: list[list[Word]] = []
    for w in sorted(line, key=lambda w: w.left):
        if out and w.left - max(x.left + x.width for x in out[-1]) <= gap:
            out[-1].append(w)
        else:
            out.append([w])
    return out


def _middle(part: Sequence[Word], tall: float) -> float | None:
    """A stretch's middle height, from its words of line height (None: only boxes several
    lines tall, whose middles say nothing)."""
    lines = [w for w in part if w.height < tall]
    return median(_centre_y(w) for w in lines) if lines else None


def woven_splits(words: Sequence[Word], settings: OcrSettings) -> list[tuple[float, float, int]]:
    """(middle of the line, x of the gap, typical height) of each line woven across two
    columns: of its gaps wider than woven_gap heights, the one whose neighbouring stretches
    stand furthest apart up or down, when that is woven_offset heights or the line holds a
    box woven_tall heights tall."""
    if not words:
        return []
    height = median(w.height for w in words)
    tall = settings.woven_tall * height
    lines: dict[int, list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    found = []
    for line in lines.values():
        parts = _segments(line, settings.woven_gap * height)
        if len(parts) < 2:
            continue
        def apart(i: int, parts: list[list[Word]] = parts) -> tuple[float, float]:
            gap = min(w.left for w in parts[i]) - max(w.left + w.width for w in parts[i - 1])
            a, b = _middle(parts[i - 1], tall), _middle(parts[i], tall)
            return (abs(a - b) if a is not None and b is not None else 0.0), gap
        cut = max(range(1, len(parts)), key=apart)
        if apart(cut)[0] >= settings.woven_offset * height or any(w.height >= tall for w in line):
            gap_x = (max(w.left + w.width for w in parts[cut - 1]) + min(w.left for w in parts[cut])) / 2
            found.append((median(_centre_y(w) for w in line), gap_x, int(height)))
    return sorted(found)


def _stretches(splits: Sequence[tuple[float, float, int]], settings: OcrSettings
               ) -> list[tuple[float, float, float, int]]:
    """Woven lines near one another taken together: (top middle, bottom middle, x of the
    gap, typical height)."""
    out: list[tuple[float, float, float, int]] = []
    gaps: list[list[float]] = []
    for middle, gap_x, height in splits:
        if out and middle - out[-1][1] <= 2 * settings.woven_reach * height:
            gaps[-1].append(gap_x)
            out[-1] = (out[-1][0], middle, median(gaps[-1]), height)
        else:
            out.append((middle, middle, gap_x, height))
            gaps.append([gap_x])
    return out


def _column_box(words: Sequence[Word], stretch: tuple[float, float, float, int], left_side: bool,
                size: tuple[int, int], settings: OcrSettings) -> _Box | None:
    """The print on one side of a woven stretch's gap, from reach lines above it to reach
    below, grown to hold whole words (a side holding only boxes several lines tall is no
    column of print)."""
    first, last, gap_x, height = stretch
    reach = settings.woven_reach * height
    side = [w for w in words
            if first - reach <= _centre_y(w) <= last + reach
            and ((w.left + w.width / 2 < gap_x) == left_side)]
    lines = [w for w in side if w.height < settings.woven_tall * height]
    if not lines:
        return None
    pad = max(2, height // 2)
    left = max(0, min(w.left for w in side) - pad)
    right = min(size[0], max(w.left + w.width for w in side) + pad)
    if left_side:
        right = min(right, int(gap_x))
    else:
        left = max(left, int(gap_x))
    top = max(0, min(w.top for w in side) - pad)  # boxes lines tall cover garbled print too
    bottom = min(size[1], max(w.top + w.height for w in side) + pad)
    return (left, top, right, bottom) if right - left > 2 * height and bottom - top > height else None


def _inside(w: Word, box: _Box) -> bool:
    x, y = w.left + w.width / 2, _centre_y(w)
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def _characters(words: Sequence[Word]) -> float:
    """Letters and digits read, each counted at its word's confidence (0-1)."""
    return sum(sum(c.isalnum() for c in w.text) * max(0.0, w.confidence) / 100 for w in words)


def _debris(words: Sequence[Word], height: float, settings: OcrSettings) -> list[bool]:
    """Which words are stray pieces: a single letter, punctuation alone, or a box several
    lines tall (height: the column's line height)."""
    return [not any(c.isalnum() for c in w.text) or (len(w.text) == 1 and w.text.isalpha())
            or w.height >= settings.woven_tall * height for w in words]


def _better(again: Sequence[Word], old: Sequence[Word], settings: OcrSettings) -> bool:
    """Whether a column read alone beats the woven reading: clearly more characters read
    with confidence (a woven line loses glyphs, or reads them as low-confidence debris), or
    about as many and fewer stray pieces (a woven line also splits words it read with
    confidence: 'A' '1200' 'A' over 'utohaus' 'Aurora' 'G' for 'Autohaus Aurora 1200 AG')."""
    if not again:
        return False
    new, before = _characters(again), max(1.0, _characters(old))
    if new >= settings.woven_more_characters * before:
        return True
    height = median(w.height for w in again)
    stray = _debris(old, height, settings)
    return (sum(stray) >= settings.woven_debris and sum(_debris(again, height, settings)) < sum(stray)
            and new >= settings.woven_kept_characters * before
            and _keeps_words(again, [w for w, s in zip(old, stray, strict=True) if not s], settings))


def _keeps_words(again: Sequence[Word], old: Sequence[Word], settings: OcrSettings) -> bool:
    """Whether every word of three characters or more that the old reading was sure of is
    in the new one too (a crop may cut a code in two: 'PFOSE' for 'PFOSBY2B')."""
    def plain(text: str) -> str:
        return "".join(c for c in text if c.isalnum())
    text = plain("".join(w.text for w in again))
    return all(plain(w.text) in text for w in old
               if len(plain(w.text)) >= 3 and w.confidence >= settings.woven_sure_word)


def reread_woven_columns(
    image: Image.Image, words: Sequence[Word], lang: str, settings: OcrSettings
) -> tuple[tuple[Word, ...], int]:
    """Read again, column by column, the stretches of the page tesseract wove together; the
    words and how many columns were replaced."""
    out = list(words)
    replaced = 0
    for stretch in _stretches(woven_splits(words, settings), settings)[: settings.max_woven_rereads]:
        for left_side in (True, False):
            box = _column_box(out, stretch, left_side, image.size, settings)
            if box is None:
                continue
            inside = [_inside(w, box) for w in out]
            old = [w for w, hit in zip(out, inside, strict=True) if hit]
            again = tesseract.recognise(image.crop(box), lang, settings)
            if not _better(again, old, settings):
                continue
            out = _replaced(out, inside, _placed(again, old, box, max((w.line for w in out), default=0) + 1))
            replaced += 1
    return tuple(out), replaced


def _placed(again: Sequence[Word], old: Sequence[Word], box: _Box, first_line: int) -> list[Word]:
    """The words read in the crop, in page pixels and on lines of their own; those outside the
    old print's first and last line are slivers of the lines the crop cut."""
    top = min((w.top for w in old), default=box[1])
    bottom = max((w.top + w.height for w in old), default=box[3])
    return [replace(w, left=w.left + box[0], top=w.top + box[1], line=first_line + w.line)
            for w in again if top <= w.top + box[1] + w.height / 2 <= bottom]


def _replaced(words: list[Word], inside: Sequence[bool], new: list[Word]) -> list[Word]:
    """The words with those inside the crop replaced by the new ones, where the first stood."""
    at = inside.index(True) if True in inside else len(words)
    kept = [w for w, hit in zip(words, inside, strict=True) if not hit]
    before = sum(1 for hit in inside[:at] if not hit)
    return kept[:before] + new + kept[before:]
