"""The glyphs of a word's image: ink blobs cut and measured for telling look-alikes apart.

Pure: a grey crop in, :class:`Glyph` boxes and measures out (used by the second pass over
code words, :mod:`ocr.code_pass`, and by the lost-glyph pass, :mod:`ocr.lost_glyphs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import cv2
import numpy as np

from ocr.types import Word


class Glyph(NamedTuple):
    """One glyph of a word crop, in its pixels; bar_fill and top_right are -1 when unknown."""

    left: int
    width: int
    height: int
    bar_fill: float
    top_right: float = -1.0  # ink in its top rows' right third: an I's serif, never a 1's flag
    stem_x: float = -1.0  # where its middle rows' ink lies across it (0 left, 1 right)
    top_left: float = -1.0  # ink in its top rows' left third: a 1's flag, or an I's serif
    marked: int = -1  # 1: ink inside its counter or a counter split in two (a zero's dot or slash)
    centre_ink: float = -1.0  # darkness at its centre, 0 paper to 1 ink (a dotted zero's dot)
    soft_aspect: float = -1.0  # width for height, to a fraction of a pixel (see _soft_aspect)
    holes: int = -1  # enclosed counters (S, 5: none; 9, 6, O: one; 8: two); -1 unknown
    hole_cy: float = -1.0  # centre of the largest counter, 0 (top) .. 1 (bottom)
    hole_h: float = 0.0  # height of the largest counter over the glyph's
    top: int = -1  # its top row in the word crop (-1 unknown)
    feet: int = -1  # separate runs of ink along its bottom rows (an A stands on two, a 4 on one)
    corner_ink: float = -1.0  # darkness of its top-left corner, 0 paper to 1 ink (a 5's square corner)
    waist: float = -1.0  # width of its middle rows over its widest row's (an 8 pinches, a 0 does not)
    flag: float = -1.0  # how far left of its stem its top stands (a 1's flag; see _flags)
    spread: float = -1.0  # how far its left edge strays from a straight line (see left_spread)

    @property
    def measured(self) -> bool:
        """Cut from the ink as a blob of its own (not split off a wider one by guesswork)."""
        return self.top_right >= 0


def glyph_boxes(gray: np.ndarray, expected: int = 0, text: str = "") -> list[Glyph]:
    """The glyphs of a word crop, left to right: ink blobs that overlap horizontally are one
    glyph (an i and its dot, a broken stroke); blobs of touching glyphs are split.

    ``expected``: how many glyphs the word should have. Blurred print (a phone photo) glues
    neighbours together at the usual threshold; when fewer blobs than expected stand apart,
    the ink is cut darker, step by step, and the first cut that parts exactly as many is kept;
    one glyph still missing, the widest blob is parted, unless where it stands the reading
    (``text``) has a wide letter.
    """
    if gray.size == 0 or int(gray.max()) - int(gray.min()) < 40:
        return []
    level, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    merged = _blobs(ink)
    paper, dark = float(np.percentile(gray, 95)), float(np.percentile(gray, 3))
    unsure: set[int] = set()  # glyphs whose feet and stem say nothing (thinned, or cut apart by guess)
    if expected and len(merged) < expected:
        for step in (0.2, 0.35, 0.5):
            cut = level - step * (level - dark)
            darker = np.where(gray < cut, 255, 0).astype(np.uint8)
            parted = _blobs(darker)
            if len(parted) == expected:  # thinned strokes: an A's legs, where an L's or 1's stem stands
                ink, merged, unsure = darker, parted, set(range(len(parted)))
                break
    if expected and len(merged) == expected - 1:
        split = _split_widest(gray, merged, text)
        if len(split) > len(merged):
            widest = next(i for i, (a, b) in enumerate(zip(merged, split, strict=False)) if a != b)
            merged, unsure = split, {widest, widest + 1}
    glyphs = [_glyph(ink, *box)._replace(
        centre_ink=_centre_ink(gray[box[2]:box[3], box[0]:box[1]], paper, dark),
        corner_ink=_corner_ink(gray[box[2]:box[3], box[0]:box[1]], paper, dark),
        flag=flag, soft_aspect=_soft_aspect(gray, box, paper, dark))
        for box, flag in zip(merged, _flags(gray, merged, paper, dark), strict=True)]
    glyphs = [g._replace(feet=-1, stem_x=-1.0) if i in unsure else g for i, g in enumerate(glyphs)]
    return _split_touching(glyphs)


def _blobs(ink: np.ndarray) -> list[list[int]]:
    """Boxes [left, right, top, bottom] of the ink's blobs, left to right, those that overlap
    horizontally joined (an i and its dot)."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    least = 0.12 * ink.shape[0]
    blobs = sorted(
        (int(s[cv2.CC_STAT_LEFT]), int(s[cv2.CC_STAT_LEFT] + s[cv2.CC_STAT_WIDTH]),
         int(s[cv2.CC_STAT_TOP]), int(s[cv2.CC_STAT_TOP] + s[cv2.CC_STAT_HEIGHT]))
        for s in stats[1:count]
        if s[cv2.CC_STAT_HEIGHT] >= least or s[cv2.CC_STAT_WIDTH] >= least
    )
    merged: list[list[int]] = []
    for left, right, top, bottom in blobs:
        last = merged[-1] if merged else None
        if last and left < last[1] - 0.5 * min(right - left, last[1] - last[0]):
            last[1], last[2], last[3] = max(last[1], right), min(last[2], top), max(last[3], bottom)
        else:
            merged.append([left, right, top, bottom])
    return merged


SPLIT_MIN_WIDTH = 1.45  # a blob this much wider than the others' median holds two glyphs
SPLIT_SPAN = (0.3, 0.7)  # where across that blob the two may part
WIDE_LETTERS = frozenset("MWmw")


def _split_widest(gray: np.ndarray, boxes: list[list[int]], text: str) -> list[list[int]]:
    """Part the widest blob in two at the column whose darkest pixel is palest (a round
    glyph's middle column is pale on average but holds its strokes; where two glyphs touch,
    no pixel is dark), when one glyph is missing and that blob is clearly wider than the
    rest (a P glued to a 9 by blur). Unchanged when no blob stands out, or when the symbols
    of the reading at its place across the word (counted in proportion) hold an M or W,
    wide on their own."""
    if len(boxes) < 3:
        return boxes
    widths = [right - left for left, right, _, _ in boxes]
    widest = int(np.argmax(widths))
    others = float(np.median(widths[:widest] + widths[widest + 1:]))
    if widths[widest] < SPLIT_MIN_WIDTH * others:
        return boxes
    left, right, top, bottom = boxes[widest]
    if text:
        span = boxes[-1][1] - boxes[0][0]
        first = int(len(text) * (left - boxes[0][0]) / span)
        last = int(np.ceil(len(text) * (right - boxes[0][0]) / span))
        if WIDE_LETTERS & set(text[max(0, first - 1):last + 1]):
            return boxes
    darkness = 255.0 - gray[top:bottom, left:right].min(axis=0).astype(np.float64)
    low, high = round(SPLIT_SPAN[0] * widths[widest]), round(SPLIT_SPAN[1] * widths[widest])
    cut = left + low + int(np.argmin(darkness[low:high]))
    return [*boxes[:widest], [left, cut, top, bottom], [cut, right, top, bottom], *boxes[widest + 1:]]


def _glyph(ink: np.ndarray, left: int, right: int, top: int, bottom: int) -> Glyph:
    """A glyph's box and the measures of its ink."""
    cell = ink[top:bottom, left:right]
    holes, hole_cy, hole_h = counters((cell > 0).astype(np.uint8))
    return Glyph(left, right - left, bottom - top, _bar_fill(cell), _top_right(cell),
                 _stem_x(cell), _top_right(cell[:, ::-1]), _marked(cell),
                 holes=holes, hole_cy=hole_cy, hole_h=hole_h, top=top, feet=_feet(cell), waist=waist(cell),
                 spread=left_spread(cell))


FOOT_ROWS = 0.15  # share of a glyph's height whose runs of ink foot() compares


def _longest_run(rows: np.ndarray) -> int:
    """The longest run of columns holding ink in rows."""
    inked = np.concatenate(([0], rows.any(axis=0).astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(inked))
    return int((edges[1::2] - edges[::2]).max()) if edges.size else 0


def foot(ink: np.ndarray) -> float:
    """A glyph's longest run of ink across its bottom rows over that across its top rows (ink
    non-zero): a T stands on a stem a third of its bar or less, an I's foot is as wide as its
    top. A kerned neighbour's foot reaching under a T's bar is a run of its own. -1 when its
    top rows hold no ink."""
    rows = max(1, round(FOOT_ROWS * ink.shape[0]))
    top = _longest_run(ink[:rows] > 0)
    return _longest_run(ink[-rows:] > 0) / top if top else -1.0


def left_spread(ink: np.ndarray) -> float:
    """How far a glyph's left edge strays from a straight line, over its width (rows 10-90 %
    of its height; the line fitted, so a slant does not count): a B's stem or a D's about 0,
    an 8's waist or a round glyph's curve 0.12 and more. -1 when too small to tell."""
    h, w = ink.shape[:2]
    rows = ink[int(0.1 * h):int(0.9 * h)] > 0
    ys = np.flatnonzero(rows.any(axis=1))
    if len(ys) < 6 or w < 5:
        return -1.0
    xs = rows[ys].argmax(axis=1).astype(np.float64)
    slope, offset = np.polyfit(ys.astype(np.float64), xs, 1)
    residual = xs - (slope * ys + offset)
    return float((residual.max() - residual.min()) / w)


def b_or_8(spread: float, limits: tuple[float, float]) -> str | None:
    """'B' for a glyph whose left edge strays from a straight line (left_spread) at most
    limits[0] of its width (one stem), '8' for one straying limits[1] or more (pinched at
    the waist), None between or unmeasured."""
    if spread < 0:
        return None
    return "B" if spread <= limits[0] else "8" if spread >= limits[1] else None


def waist(ink: np.ndarray) -> float:
    """The narrowest span of ink among a glyph's middle rows (40-60 % of its height) over its
    widest row's span, edge to edge (-1: too small to tell)."""
    rows = ink > 0
    inked = np.flatnonzero(rows.any(axis=1))
    if len(inked) < 6:
        return -1.0
    first, last = rows.argmax(axis=1), rows.shape[1] - 1 - rows[:, ::-1].argmax(axis=1)
    spans = np.where(rows.any(axis=1), last - first + 1, 0)
    top, height = int(inked[0]), int(inked[-1] - inked[0] + 1)
    middle = spans[top + int(0.4 * height): top + int(0.6 * height) + 1]
    return float(middle.min() / spans.max())


DOTTED_ZERO_LIKE = frozenset("GEe69")  # what tesseract reads for a zero whose dot touches its ring


def dotted_round(glyph: Glyph, min_waist: float) -> bool:
    """Whether a glyph is a dotted zero by its shape: a counter holding a dot, or split in two
    by it, in an outline widest at its middle (an 8 or B, the other glyphs with two counters,
    pinches there)."""
    return glyph.marked == 1 and glyph.waist >= min_waist


def split_zero(c: str, glyph: Glyph, min_waist: float) -> bool:
    """Whether a glyph read as G, E, 6 or 9 (none of which holds a dot or two counters) is a
    dotted zero."""
    return c in DOTTED_ZERO_LIKE and dotted_round(glyph, min_waist)


def _feet(ink: np.ndarray) -> int:
    """How many separate runs of ink its bottom rows hold (an A's two legs, a 4's one stem)."""
    h = ink.shape[0]
    if h < 6:
        return -1
    band = (ink[h - max(1, round(0.12 * h)):] > 0).any(axis=0).astype(np.int8)
    return int(np.count_nonzero(np.diff(np.concatenate(([0], band))) == 1))


NINE_COUNTER = 0.28  # a 9's counter is at least this share of its height (phone photos: 0.30-0.48)


def counter_reading(c: str, holes: int, hole_cy: float, hole_h: float, small_counter: float,
                    off_middle: float) -> str | None:
    """What a glyph's enclosed counters make of a look-alike read as c: an S or 5 with two
    counters is an 8, with one a 9 (counter above the middle) or a 6, or a zero when that
    counter is large and in the middle (so is a 6 or 9 whose one counter is: a 6's or 9's
    is small and off the middle); an O, Q or 0 whose one counter is small (below
    small_counter of its height) and off its middle a 9 or 6, and so a Y whose one counter
    is a 9's, above its middle; None when the counters do not contradict the reading."""
    if c in "S5" and holes == 2:
        return "8"
    if holes == 1 and c in "S569" and hole_h >= small_counter and abs(hole_cy - 0.5) <= off_middle:
        return "0"  # one large counter in the middle: a round glyph
    if holes == 1 and (c in "S5" or (c in "OQ0" and hole_h < small_counter and abs(hole_cy - 0.5) > off_middle)):
        return "9" if hole_cy < 0.5 else "6"
    if holes == 1 and c == "Y" and NINE_COUNTER <= hole_h < small_counter and hole_cy < 0.5 - off_middle:
        return "9"  # a Y has no counter; a 9's bowl, blurred, reads as one ('SLRYVDJH')
    return None


def counters(ink: np.ndarray) -> tuple[int, float, float]:
    """Enclosed background regions of a glyph's ink (print 1, paper 0; 4-connected), and the
    largest's centre and height (fractions of the glyph's height)."""
    padded = np.pad(ink, 1)
    count, labels, stats, centroids = cv2.connectedComponentsWithStats(1 - padded, connectivity=4)
    area_min = max(2, ink.size // 400)
    inner = [i for i in range(1, count)
             if stats[i, cv2.CC_STAT_AREA] >= area_min and labels[0, 0] != i]
    if not inner:
        return 0, -1.0, 0.0
    largest = max(inner, key=lambda i: stats[i, cv2.CC_STAT_AREA])
    h = max(ink.shape[0], 1)
    return len(inner), float((centroids[largest][1] - 1) / h), float(stats[largest, cv2.CC_STAT_HEIGHT] / h)


def _soft_aspect(gray: np.ndarray, box: Sequence[int], paper: float, ink: float) -> float:
    """A glyph's width over its height measured from the grey levels of its edges (each
    column or row counts as much as its darkest pixel is dark): whole pixels are too coarse
    for 13-pixel print, where an O is one or two pixels wider than a zero."""
    left, right, top, bottom = box
    if paper - ink < 1:
        return -1.0
    cell = gray[max(0, top - 1):bottom + 1, max(0, left - 1):right + 1].astype(np.float32)
    dark = np.clip((paper - cell) / (paper - ink), 0.0, 1.0)
    height = float(dark.max(axis=1).sum())
    return float(dark.max(axis=0).sum()) / height if height > 0 else -1.0


def _centre_ink(gray: np.ndarray, paper: float, ink: float) -> float:
    """How dark the middle of a glyph is between the word's paper (0) and ink (1): where a
    dotted zero has its dot and an O an empty counter (scans: about 1 against 0.06)."""
    h, w = gray.shape
    if h < 5 or w < 3 or paper - ink < 1:
        return -1.0
    centre = gray[round(0.38 * h):round(0.62 * h) + 1, round(0.35 * w):round(0.65 * w) + 1]
    return float((paper - float(centre.min())) / (paper - ink))


def _corner_ink(gray: np.ndarray, paper: float, ink: float) -> float:
    """How dark a glyph's top-left corner is (top fifth, left 30 %) between paper (0) and ink
    (1): a 5 turns there at a right angle, an S curves away (phone photos: 5's 0.47-0.84, S's
    0.34-0.70)."""
    h, w = gray.shape
    if h < 5 or w < 3 or paper - ink < 1:
        return -1.0
    corner = gray[:max(1, round(0.2 * h)), :max(1, round(0.3 * w))].astype(np.float32)
    return float(np.clip((paper - corner) / (paper - ink), 0.0, 1.0).mean())


def _flags(gray: np.ndarray, boxes: Sequence[Sequence[int]], paper: float, ink: float) -> list[float]:
    """Each glyph's flag: how far left of its middle rows' ink (35-65 % of its height) the
    ink of its top rows (its top fifth) stands, over its height, in grey levels across the
    space up to halfway to its neighbours. A 1's flag pulls its top left; an I's serifs, or a
    plain bar, leave it over the stem (golden scans and phone photos: 1's 0.029-0.12, I's
    -0.01 to 0.012). Grey levels keep a flag that blur left too pale to be cut as ink; -1
    for a glyph too small to tell."""
    if paper - ink < 1:
        return [-1.0] * len(boxes)
    dark = np.clip((paper - gray.astype(np.float32)) / (paper - ink), 0.0, 1.0)
    dark[dark < 0.15] = 0.0
    out = []
    for k, (left, right, top, bottom) in enumerate(boxes):
        h = bottom - top
        lo = (boxes[k - 1][1] + left) / 2 if k > 0 else left - 0.3 * h
        hi = (right + boxes[k + 1][0]) / 2 if k + 1 < len(boxes) else right + 0.3 * h
        cell = dark[top:bottom, max(0, int(np.floor(lo))):min(gray.shape[1], int(np.ceil(hi)))]
        if h < 8 or cell.shape[1] < 2:
            out.append(-1.0)
            continue
        xs = np.arange(cell.shape[1]) + 0.5
        head, middle = cell[:max(1, round(0.2 * h))].sum(axis=0), cell[int(0.35 * h):int(0.65 * h)].sum(axis=0)
        if head.sum() <= 0 or middle.sum() <= 0:
            out.append(-1.0)
            continue
        out.append(float(((middle * xs).sum() / middle.sum() - (head * xs).sum() / head.sum()) / h))
    return out


def _marked(ink: np.ndarray) -> int:
    """1 when the glyph holds ink inside a counter (a dotted zero's dot) or two counters (a
    slashed zero, or a dot blurred into the ring), else 0; one ring with one empty counter
    is an O or a plain zero."""
    cell = cv2.copyMakeBorder((ink > 0).astype(np.uint8), 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)
    contours, hierarchy = cv2.findContours(cell, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return 0
    parents = hierarchy[0][:, 3]
    blobs = sum(1 for c, p in zip(contours, parents, strict=True) if p < 0 and cv2.contourArea(c) >= 1)
    holes = sum(1 for c, p in zip(contours, parents, strict=True) if p >= 0 and cv2.contourArea(c) >= 1)
    return int(holes >= 2 or (holes == 1 and blobs >= 2 and _inside_counter(contours, parents)))


def _inside_counter(contours: Sequence[np.ndarray], parents: np.ndarray) -> bool:
    """Whether a blob lies within the box of a counter (the dot of a dotted zero, not a
    neighbour's sliver beside the ring)."""
    holes = [cv2.boundingRect(c) for c, p in zip(contours, parents, strict=True) if p >= 0]
    for c, p in zip(contours, parents, strict=True):
        if p >= 0:
            continue
        x, y, w, h = cv2.boundingRect(c)
        if any(hx <= x and x + w <= hx + hw and hy <= y and y + h <= hy + hh for hx, hy, hw, hh in holes):
            return True
    return False


def _bar_fill(ink: np.ndarray) -> float:
    """How wide the glyph's middle third is against its widest rows (about 1 for a bare bar
    like I; a 1's foot or an S's curves make it far less)."""
    rows = (ink > 0).sum(axis=1)
    h = len(rows)
    widest = float(rows.max()) if h else 0.0  # a serif 1's thin foot is its widest row
    return float(rows[h // 3: max(h // 3 + 1, 2 * h // 3)].mean()) / widest if widest else 0.0


def _top_right(ink: np.ndarray) -> float:
    """Share of ink in the glyph's top 15 % of rows and right 35 % of columns (a serifed I
    has its top bar there, 0.5-1 on the bench scans; a 1's flag points left: 0-0.33)."""
    h, w = ink.shape
    if h == 0 or w == 0:
        return -1.0
    band = ink[: max(1, round(0.15 * h)), w - max(1, round(0.35 * w)):]
    return float((band > 0).mean())


def _stem_x(ink: np.ndarray) -> float:
    """Where the ink of the glyph's middle rows lies across its width (0 left edge, 1 right
    edge): an L's stem is its left edge (0.11-0.22 in DejaVu, Helvetica- and Times-like
    faces at 11-20 px), a 1's stem stands right of its flag (0.5-0.8)."""
    h, w = ink.shape
    if h < 3 or w == 0:
        return -1.0
    _, xs = np.nonzero(ink[round(0.35 * h):max(round(0.35 * h) + 1, round(0.65 * h))])
    return float((xs.mean() + 0.5) / w) if len(xs) else -1.0


def _split_touching(glyphs: list[Glyph]) -> list[Glyph]:
    """Split blobs far wider than the word's typical glyph (small print whose glyphs touch)
    into as many equal glyphs as fit (their shape unknown)."""
    if len(glyphs) < 3:
        return glyphs
    typical = float(np.median([g.width for g in glyphs]))
    out: list[Glyph] = []
    for g in glyphs:
        parts = round(g.width / typical) if g.width >= 1.9 * typical else 1
        if parts == 1:
            out.append(g)
            continue
        step = g.width / parts
        out.extend(Glyph(round(g.left + k * step), round(step), g.height, -1.0) for k in range(parts))
    return out


def aspect(glyph: Glyph) -> float:
    """A glyph's width for its height, to a fraction of a pixel where its grey levels tell."""
    return glyph.soft_aspect if glyph.soft_aspect > 0 else glyph.width / max(glyph.height, 1)


def word_crop(gray: np.ndarray, word: Word) -> np.ndarray:
    """The pixels of a word's box."""
    return gray[max(0, word.top):word.top + word.height, max(0, word.left):word.left + word.width]
