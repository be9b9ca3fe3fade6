"""Print that glare faded: brought back to full contrast, and found where a reading stopped.

Glare on a label brightens its print with its paper: the serial's last glyphs stand grey on
white (ink at 200 where the rest of the print is 30), and tesseract, tuned to the page's
contrast, drops them. Its reading of the serial then ends early ('A7877ZU' for A7877ZUV0S2)
with good confidence. The ink is still there: :func:`print_continues` finds glyph-like ink
that carries on along the word's line past its box (and that no other word covers), and
:func:`even_ink` stretches each spot's print to full depth by the darkest print around it,
so the whole line can be read again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import cv2
import numpy as np

# Print this many grey levels darker than its paper, at least, counts as print when evened
# (paper grain and JPEG ringing stay under it; glare-faded ink measured 40-90 levels).
MIN_DEPTH = 14
# A gap between glyphs of one word: at most this share of the glyph height (a monospaced
# I or 1 leaves up to 0.4; a space between words in proportional print is 0.5 and more).
MAX_GAP = 0.45
# Ink past a word's box that counts as more of the word: at least this share of the glyph
# height wide, holding a blob between these shares of the height tall.
MIN_MORE = 0.5
GLYPH_HEIGHT = (0.5, 1.35)
SEARCH = 14.0  # glyph heights looked along on either side
MAX_GROWTH = 1.2  # a word's print found at most this share of its width longer than read
# Evened grey levels under this are ink when looking for more print (higher, a device's
# texture beside a label read whole runs on as ink).
INK_LEVEL = 128
# The print around a pixel that sets its paper and its darkest ink: about a glyph (wider, a
# dark glyph would keep its faded neighbours faint; narrower, a counter would be paper).
WINDOW = 0.8


def even_ink(gray: np.ndarray, glyph_px: float) -> np.ndarray:
    """Each pixel's darkness below its paper over the darkest print around it (a window of
    about two glyphs), as grey levels: faded print as dark as the rest. Where no print is
    around (less than MIN_DEPTH deep), white."""
    g = gray.astype(np.float32)
    k = max(3, round(WINDOW * glyph_px)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    paper = cv2.GaussianBlur(cv2.dilate(g, kernel), (0, 0), k / 4)
    darkest = cv2.GaussianBlur(cv2.erode(g, kernel), (0, 0), k / 4)
    depth = paper - darkest
    out = 255.0 - 255.0 * np.clip(paper - g, 0, None) / np.maximum(depth, 1.0)
    out[depth < MIN_DEPTH] = 255.0
    return np.clip(out, 0, 255).astype(np.uint8)


class Continued(NamedTuple):
    """Where a word's print really begins and ends, and how tall its glyphs stand."""

    left: int  # in the image's pixels
    right: int
    glyph_px: int


def print_continues(gray: np.ndarray, box: tuple[int, int, int, int],
                    others: Sequence[tuple[int, int, int, int]] = ()) -> Continued | None:
    """Where a word's print really begins and ends, when unread ink carries on along its
    line past its box (left, top, width, height) without a gap wider than between glyphs;
    None when the word's print is its box's. To the right, words read further along
    (``others``' boxes) are taken in where the ink runs on into them (a faded middle:
    '80302636' ... '3C81'), though their ink alone never extends the word; to the left, the
    first word read (the serial's label) ends the search."""
    left, top, width, height = box
    right = left + width
    y0, y1 = max(0, top - height // 4), min(gray.shape[0], top + height + height // 4)
    x0, end = max(0, left - round(SEARCH * height)), min(gray.shape[1], right + round(SEARCH * height))
    if y1 - y0 < 4 or end - x0 <= width:
        return None
    ink = even_ink(gray[y0:y1, x0:end], height) < INK_LEVEL
    columns = ink[max(0, top - y0):top - y0 + height].sum(axis=0) >= 2
    height = _glyph_px(ink[:, left - x0:right - x0], height)  # a word's box may be far taller than its print
    read = np.zeros_like(columns)
    for o_left, o_top, o_width, o_height in others:
        if o_top < top + height and o_top + o_height > top:
            read[max(0, o_left - x0):max(0, o_left + o_width - x0)] = True
    last = _walk(columns, read, right - x0, 1, height)
    first = _walk(columns, read, left - x0 - 1, -1, height)
    more_right = last is not None and _glyph_like(ink[:, right - x0:last + 1], height)
    more_left = first is not None and _glyph_like(ink[:, first:left - x0], height)
    if not more_right and not more_left:
        return None
    found = Continued(first + x0 if more_left else left, last + x0 + 1 if more_right else right, height)
    if found.right - found.left > (1 + MAX_GROWTH) * width:
        return None  # ink running on that far is the device's texture or a rule, not a serial's glyphs
    return found


def _walk(columns: np.ndarray, read: np.ndarray, start: int, step: int, glyph_px: int) -> int | None:
    """The last column of ink reached from ``start`` going ``step`` (1: right, -1: left) with
    no gap wider than between glyphs, when enough unread ink lies on the way; else None.
    Going left, a column that a word read covers stops the walk."""
    reach, gap, unread = None, 0, 0
    x = start
    while 0 <= x < columns.size:
        if step < 0 and read[x]:
            break
        if columns[x]:
            reach, gap, unread = x, 0, unread + (not read[x])
        else:
            gap += 1
            if gap > MAX_GAP * glyph_px:
                break
        x += step
    return reach if unread >= MIN_MORE * glyph_px / 2 else None


def _glyph_px(ink: np.ndarray, box_height: int) -> int:
    """The median height of a word's glyphs (its blobs at least a third of its box tall)."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    tall = stats[1:, cv2.CC_STAT_HEIGHT]
    tall = tall[(tall >= box_height / 3) & (tall <= 1.2 * box_height)]
    return int(np.median(tall)) if tall.size else box_height


def _glyph_like(ink: np.ndarray, height: int) -> bool:
    """Whether the ink holds a blob of a glyph's height (not grain, not a rule)."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    tall = stats[1:, cv2.CC_STAT_HEIGHT]
    return bool(np.any((tall >= GLYPH_HEIGHT[0] * height) & (tall <= GLYPH_HEIGHT[1] * height)))
