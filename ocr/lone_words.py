"""Reading again the short words tesseract read weakly: a lone glyph in a table cell.

A lone glyph in a table cell (a quantity '1') is often misread ('a', 'al'), or read with
whatever specks or rule fringe lie above or below it: one box half again as tall as the
line's print, and nonsense in it ('a:', 'il', 'ik' for 1). Read alone, cut to the height of
its own print, in black and white (a scan's specks gone) with paper around it, the same
pixels read right. So each short weak word standing alone is cropped to its print and read
again as one line (psm 8, one word, reads a lone '1' as 'Bele:'); the new reading replaces
it only when it is clearly more confident.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from statistics import median

import cv2
import numpy as np
from PIL import Image, ImageOps

from ocr import tesseract
from ocr.types import OcrSettings, Word


def typical_height(words: Sequence[Word], settings: OcrSettings) -> float:
    """The median box height of the page's confident words of two characters or more."""
    heights = [w.height for w in words if w.confidence >= settings.lone_word_reference_confidence
               and len(w.text.strip()) >= 2]
    return float(median(heights)) if heights else 0.0


def short_weak_words(words: Sequence[Word], typical: float, settings: OcrSettings) -> list[int]:
    """Indexes of short words read with little confidence, standing alone on their line, as
    tall as print at least (not a dash or a speck)."""
    if typical <= 0:
        return []
    return [i for i, w in enumerate(words)
            if 0 < len(w.text.strip()) <= settings.lone_word_max_len
            and w.confidence < settings.lone_word_confidence
            and w.height >= settings.lone_word_least * typical
            and _alone(w, words, settings.lone_word_gap * typical)]


def _alone(word: Word, words: Sequence[Word], gap: float) -> bool:
    """Whether no other word beside it (overlapping its rows) comes within gap of it: a cell
    of its own, not the end of a code read in pieces ('KAB-HDMI' '-05')."""
    right, bottom = word.left + word.width, word.top + word.height
    return not any(o is not word and o.top < bottom and o.top + o.height > word.top
                   and o.left < right + gap and o.left + o.width > word.left - gap for o in words)


def _print_rows(gray: np.ndarray, typical: float) -> tuple[int, int] | None:
    """The rows of the crop's tallest band of ink no taller than a word (a rule's fringe or a
    speck makes a thin one): (top, bottom)."""
    ink = gray < min(128, int(np.percentile(gray, 5)) + 60)
    rows = np.flatnonzero(ink.sum(axis=1) > 0)
    if rows.size == 0:
        return None
    bands: list[tuple[int, int]] = []
    start = prev = int(rows[0])
    for r in rows[1:]:
        if r - prev > 1:
            bands.append((start, prev + 1))
            start = int(r)
        prev = int(r)
    bands.append((start, prev + 1))
    fitting = [b for b in bands if b[1] - b[0] <= 1.3 * typical]
    if not fitting:
        return None
    return max(fitting, key=lambda b: (b[1] - b[0], int(ink[b[0]:b[1]].sum())))


def reread_lone_words(
    image: Image.Image, words: Sequence[Word], lang: str, settings: OcrSettings
) -> tuple[tuple[Word, ...], int]:
    """Read each short weak word again, cut to its print; the words and how many changed."""
    out = list(words)
    typical = typical_height(words, settings)
    changed = 0
    gray: np.ndarray | None = None
    for i in short_weak_words(words, typical, settings)[: settings.max_lone_word_rereads]:
        w = words[i]
        if gray is None:
            gray = np.asarray(image.convert("L"))
        pad = int(typical)
        left, right = max(0, w.left - pad), min(gray.shape[1], w.left + w.width + pad)
        crop = gray[w.top:w.top + w.height, left:right]
        rows = _print_rows(crop, typical) if crop.size else None
        if rows is None:
            continue
        top, bottom = w.top + rows[0], w.top + rows[1]
        margin = max(2, int(typical) // 3)
        box = (left, max(0, top - margin), right, min(gray.shape[0], bottom + margin))
        border = max(8, int(typical) // 3)  # paper around it: tesseract misreads a glyph cut tight
        cut = gray[box[1]:box[3], box[0]:box[2]]
        _, clean = cv2.threshold(cut, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)  # the specks of a scan gone
        again = tesseract.recognise_line(ImageOps.expand(Image.fromarray(clean), border=border, fill=255), lang,
                                         settings)
        if len(again) != 1 or again[0].confidence < w.confidence + settings.weak_reread_gain:
            continue
        new = again[0]
        out[i] = replace(new, left=new.left + box[0] - border, top=new.top + box[1] - border, line=w.line)
        changed += 1
    return tuple(out), changed
