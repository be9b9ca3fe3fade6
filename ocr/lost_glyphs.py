"""Reading again the words that lost a glyph at their edge.

Tesseract's line recogniser now and then drops the first or last glyph of a word: a bold
capital at the start of a name ('Hogeschool' read as 'ogeschool', 'Harbour' as 'arbour',
the H outside the word's box or inside it), the last letter of a serial ('PC6ZYU8J' as
'PC6ZYU8'). The ink is still there: a glyph-sized blob right against the word that no word
of its line covers, or more glyphs in the word's box than it has symbols. Such a word is
read again alone, as one line, over its box and the lost glyph; the new reading replaces it
when it holds the old one and more, read confidently. A symbol or two that the lost glyph
was read into on its own ('7 orggroep' for 'Zorggroep') goes with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import cv2
import numpy as np
from PIL import Image

from ocr import tesseract
from ocr.glyphs import glyph_boxes, word_crop
from ocr.layout import WORD_PUNCTUATION
from ocr.types import OcrSettings, Word


def _level(a: Word, b: Word) -> bool:
    """Whether two words stand on one line of print (their boxes overlap by half the
    smaller's height); tesseract's line numbers split a line at a wide gap."""
    overlap = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
    return overlap >= 0.5 * min(a.height, b.height)


def _covers(other: Word, word: Word, left: int, right: int, settings: OcrSettings) -> bool:
    """Whether another word's box covers the print between left and right beside the word,
    unless it is no more than that print read as a symbol or two ('7' for the Z of
    'Zorggroep') or a garbled box (read with no confidence, or far taller than the word)."""
    if not (other.left < right and left < other.left + other.width):
        return False
    if other.confidence < settings.weak_word_confidence or other.height > 1.6 * word.height:
        return False
    slack = max(2.0, 0.2 * word.height)
    alone = (len(other.text.strip(WORD_PUNCTUATION)) <= 2 and left - slack <= other.left
             and other.left + other.width <= right + slack)
    return not alone


def _ink_level(gray: np.ndarray, word: Word) -> float | None:
    """The grey level between the word's print and its paper (Otsu over its box), or None
    when the box holds no print."""
    cells = word_crop(gray, word)
    if cells.size == 0 or int(cells.max()) - int(cells.min()) < 40:
        return None
    level, _ = cv2.threshold(cells, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return float(level)


def _edge_glyph(gray: np.ndarray, word: Word, level: float, words: Sequence[Word], side: int,
                settings: OcrSettings) -> int | None:
    """Where a lost glyph beside the word ends (its far edge, in page pixels), or None: a
    blob darker than level, at least lost_glyph_min_height of the word's height tall and
    lost_glyph_min_width of it out of the word's box, within lost_glyph_gap of the word's
    height from its edge, that no other word on its line covers."""
    h = word.height
    top, bottom = max(0, word.top), min(gray.shape[0], word.top + h)
    reach = round(settings.lost_glyph_reach * h)
    if side < 0:
        x0, x1 = max(0, word.left - reach), word.left
    else:
        x0, x1 = word.left + word.width, min(gray.shape[1], word.left + word.width + reach)
    if x1 - x0 < 2 or bottom - top < 4:
        return None
    ink = (gray[top:bottom, x0:x1] < level).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    gap = settings.lost_glyph_gap * h
    edge = word.left if side < 0 else word.left + word.width
    for s in stats[1:count]:
        left, width, height = int(s[cv2.CC_STAT_LEFT]), int(s[cv2.CC_STAT_WIDTH]), int(s[cv2.CC_STAT_HEIGHT])
        solid = s[cv2.CC_STAT_AREA] > settings.lost_glyph_max_fill * width * height
        if height < settings.lost_glyph_min_height * h or solid:
            continue  # too small for a glyph, or a solid box (a shaded table header)
        near, far = (x0 + left + width, x0 + left) if side < 0 else (x0 + left, x0 + left + width)
        if abs(near - edge) > gap or abs(far - edge) < settings.lost_glyph_min_width * h:
            continue  # apart from the word, or the word's own glyph reaching out of its box
        if any(o is not word and _level(o, word) and _covers(o, word, x0 + left, x0 + left + width, settings)
               for o in words):
            continue
        return far
    return None


def _glyphs_missing(gray: np.ndarray, word: Word, settings: OcrSettings) -> bool:
    """More glyphs in a weakly read word's box than it has symbols (punctuation aside)."""
    core = word.text.strip(WORD_PUNCTUATION)
    if word.confidence >= settings.lost_glyph_inside_below or not core:
        return False
    return len(glyph_boxes(word_crop(gray, word))) > len(word.text)


def _candidate(word: Word, settings: OcrSettings) -> bool:
    core = word.text.strip(WORD_PUNCTUATION)
    return (len(core) >= settings.lost_glyph_min_symbols and core[:1].isalnum()
            and word.height >= settings.lost_glyph_min_px)


def _better(old: Word, new: Sequence[Word], settings: OcrSettings) -> Word | None:
    """The one word read again, when it holds the old reading and more print (a letter or
    digit, not a rule or a stop), read confidently; or, for an old reading that was
    garbled, when it is at least as long and read far more confidently."""
    if len(new) != 1 or new[0].confidence < settings.lost_glyph_min_confidence:
        return None
    text, core = new[0].text, old.text.strip(WORD_PUNCTUATION)
    at = text.lower().find(core.lower()) if core else -1
    if at >= 0 and any(c.isalnum() for c in text[:at] + text[at + len(core):]):
        return new[0]
    if (len(text.strip(WORD_PUNCTUATION)) >= len(core)
            and new[0].confidence >= old.confidence + settings.lost_glyph_garbled_gain):
        return new[0]
    return None


def read_lost_glyphs(
    image: Image.Image, words: Sequence[Word], lang: str, settings: OcrSettings
) -> tuple[tuple[Word, ...], int]:
    """Read again the words that lost a glyph at their edge; the words and how many changed."""
    gray = np.asarray(image.convert("L"))
    out: list[Word | None] = list(words)
    changed = tries = 0
    for i, word in enumerate(words):
        if tries >= settings.max_lost_glyph_rereads or not _candidate(word, settings):
            continue
        level = _ink_level(gray, word)
        start = None if level is None else _edge_glyph(gray, word, level, words, -1, settings)
        end = None if level is None else _edge_glyph(gray, word, level, words, 1, settings)
        if start is None and end is None and not _glyphs_missing(gray, word, settings):
            continue
        tries += 1
        left, top, right, bottom = _reread_box(word, [w for w in words if _level(w, word)], start, end,
                                               image.size)
        found = _better(word, tesseract.recognise_line(image.crop((left, top, right, bottom)), lang, settings),
                        settings)
        if found is None:
            continue
        out[i] = replace(found, left=found.left + left, top=found.top + top, line=word.line)
        for j, other in enumerate(words):  # the lost glyph read as a word of its own
            if j != i and _inside(other, left, top, right, bottom) \
                    and not _inside(other, word.left, top, word.left + word.width, bottom):
                out[j] = None
        changed += 1
    return tuple(w for w in out if w is not None), changed


def _reread_box(word: Word, line: Sequence[Word], start: int | None, end: int | None,
                size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The box to read a word again in: its print and the lost glyph's (start or end), with
    paper around them up to the neighbours on its line (not up to the lost glyph read as a
    word of its own)."""
    pad, margin = max(2, word.height // 4), max(3, word.height // 2)
    slack = max(2, word.height // 5)
    left = (start if start is not None else word.left) - margin
    right = (end if end is not None else word.left + word.width) + margin
    left = max([0, left, *(o.left + o.width + 1 for o in line if o.left + o.width <= word.left
                           and (start is None or o.left < start - slack))])
    right = min([size[0], right, *(o.left - 1 for o in line if o.left >= word.left + word.width
                                   and (end is None or o.left + o.width > end + slack))])
    return left, max(0, word.top - pad), right, min(size[1], word.top + word.height + pad)


def _inside(word: Word, left: int, top: int, right: int, bottom: int) -> bool:
    """Whether a word's box centre lies in the box."""
    x, y = word.left + word.width / 2, word.top + word.height / 2
    return left <= x <= right and top <= y <= bottom
