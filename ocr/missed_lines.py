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
from ocr.layout import word_confidence
from ocr.types import OcrSettings, Word


def uncovered_bands(
    gray: np.ndarray, words: Sequence[Word], glyph_px: float, settings: OcrSettings
) -> list[tuple[int, int, int, int]]:
    """(left, top, right, bottom) of bands of glyph-sized ink that no word's box covers,
    top to bottom. Print of 16 px and more is looked for at half size (as well found, a
    quarter of the work)."""
    if glyph_px <= 0:
        return []
    scale = 2 if glyph_px >= 16 else 1
    if scale > 1:
        gray = cv2.resize(gray, None, fx=1 / scale, fy=1 / scale, interpolation=cv2.INTER_AREA)
    glyph_px /= scale
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    pad = max(1, round(glyph_px / 3))
    for w in words:
        top, left = w.top // scale, w.left // scale
        ink[max(0, top - pad):top + w.height // scale + pad + 1,
            max(0, left - pad):left + w.width // scale + pad + 1] = 0
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = np.zeros_like(ink)
    for left, top, width, height, _ in stats[1:count]:
        if 0.6 * glyph_px <= height <= 2.2 * glyph_px and width <= settings.missed_max_blob_glyphs * glyph_px:
            keep[top:top + height, left:left + width] = 255
    gap = max(2, round(glyph_px * settings.missed_gap))
    joined = cv2.dilate(keep, np.ones((1, gap), np.uint8))
    count, _, bands, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    found = []
    for left, top, width, height, _ in bands[1:count]:
        glyphs = cv2.connectedComponents(keep[top:top + height, left:left + width], connectivity=8)[0] - 1
        if width >= settings.missed_min_glyphs * glyph_px and glyphs >= settings.missed_min_glyphs:
            found.append((int(left) * scale, int(top) * scale, int(left + width) * scale,
                          int(top + height) * scale))
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
        if not found or word_confidence(found) < settings.missed_min_confidence:
            continue
        placed = [replace(w, left=w.left + box[0], top=w.top + box[1], line=next_line) for w in found]
        at = next((i for i, w in enumerate(out) if w.top > top), len(out))
        out[at:at] = placed
        next_line += 1
        added += 1
    return tuple(out), added
