"""Finding print that tesseract's page layout left out, and reading it as lines.

Tesseract now and then drops a whole line from a clean page (a label and value in a boxed
table beside an address block: 'Invoice number SI070202' missing while every line around it
was read). Ink that no word covers, in bands of glyph-sized blobs, is such print: each band
is read alone, as one line, and its words are kept when they read with confidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import cv2
import numpy as np
from PIL import Image

from ocr import tesseract
from ocr.types import OcrSettings, Word


def uncovered_bands(
    gray: np.ndarray, words: Sequence[Word], glyph_px: float, settings: OcrSettings
) -> list[tuple[int, int, int, int]]:
    """(left, top, right, bottom) of bands of glyph-sized ink that no word's box covers,
    top to bottom."""
    if glyph_px <= 0:
        return []
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    pad = max(2, round(glyph_px / 3))
    for w in words:
        ink[max(0, w.top - pad):w.top + w.height + pad, max(0, w.left - pad):w.left + w.width + pad] = 0
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h, w = stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_WIDTH]
    glyph = (h >= 0.6 * glyph_px) & (h <= 2.2 * glyph_px) & (w <= 2.5 * glyph_px)
    glyph[0] = False
    keep = np.zeros_like(ink)
    keep[glyph[labels]] = 255
    gap = max(3, round(glyph_px * settings.missed_gap))
    joined = cv2.dilate(keep, np.ones((1, gap), np.uint8))
    count, _, bands, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    found = []
    for left, top, width, height, _ in bands[1:count]:
        glyphs = int(np.count_nonzero(glyph[np.unique(labels[top:top + height, left:left + width])]))
        if width >= settings.missed_min_glyphs * glyph_px and glyphs >= settings.missed_min_glyphs:
            found.append((int(left), int(top), int(left + width), int(top + height)))
    return sorted(found, key=lambda b: (b[1], b[0]))[: settings.max_missed_lines]


def read_missed_lines(
    image: Image.Image, words: Sequence[Word], glyph_px: float, lang: str, settings: OcrSettings
) -> tuple[tuple[Word, ...], int]:
    """Read the uncovered bands of a page as lines and put their confident words among the
    page's words (by height on the page); the words and how many lines were added."""
    gray = np.asarray(image.convert("L"))
    out = list(words)
    added = 0
    next_line = max((w.line for w in words), default=-1) + 1
    for left, top, right, bottom in uncovered_bands(gray, words, glyph_px, settings):
        pad = max(2, round(glyph_px / 2))
        box = (max(0, left - pad), max(0, top - pad), min(image.width, right + pad),
               min(image.height, bottom + pad))
        found = tesseract.recognise_line(image.crop(box), lang, settings)
        if not found or sum(w.confidence for w in found) / len(found) < settings.missed_min_confidence:
            continue
        placed = [replace(w, left=w.left + box[0], top=w.top + box[1], line=next_line) for w in found]
        at = next((i for i, w in enumerate(out) if w.top > top), len(out))
        out[at:at] = placed
        next_line += 1
        added += 1
    return tuple(out), added
