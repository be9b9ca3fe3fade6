"""Checking an OCR'd serial against the shapes of its glyphs.

Tesseract reads random serials with a language model's habits: on clean print it turns
'O' into '0' after digits and '0' into 'O' after letters about half the time, and a bold
'9' into 'S'. Context cannot settle these; the glyphs can:

- holes: every character has a known number of enclosed counters (``8``/``B`` two, ``0``,
  ``O``, ``9``, ``A`` ... one, ``S``, ``5``, ``1`` ... none); a character whose glyph has a
  different count was misread (an 'S' with one hole is a '9' or a '6');
- ``S`` or ``5``: the 5's top-left corner is square (ink in the top-left box: 0.60-0.80 in
  the fonts measured), the S's round (0.30-0.53); a corner that does not confirm
  tesseract's choice leaves it in doubt (the measure is too weak to overrule it);
- ``O`` or ``0``: a dot or slash inside is a zero; otherwise, in proportional fonts, the
  letter is far wider than the (tabular) digits: 1.26-1.41 times their width against
  1.02-1.09 for the zero in the fonts measured (DejaVu Sans/Serif/Condensed, Bitstream
  Vera, Geist); in monospaced fonts (fixed pitch, whatever the glyphs' widths) only the dot or slash tells, so
  an 'O' without one is left in doubt unless another zero of the serial carries one; the
  serial's wide letters (A, D, G, M, N, W ...) and narrow ones (a sans I) tell which kind
  of font it is before its spacing does; two round glyphs of one serial 1.155 times apart
  are an O and a zero, and an undecided one as wide as another that its width decided is
  what that one is; one whose width calls it otherwise than the round glyph nearest it in
  width stays as read, in doubt; an undecided one keeps tesseract's reading, in doubt, unless it is
  far too wide for a zero in any font, or no wider than the digits of a line whose glyph
  widths and steps vary as proportional print's do (then a zero, in doubt), or as wide as
  one of those (then what that one is, in doubt); in monospaced print or where zeros are
  dotted, a G, E, 6 or 9 with two holes in an outline without a waist is a zero whose dot
  bridges its counter;
- a round glyph (or a '9') whose tail reaches below the line, its top level with the
  others, is a Q; a '6' or '9' holding one large counter in its middle is a round glyph;
  an 'E' or 'G' holding a 6's small low counter is a 6;
- a solid bar far narrower than the digits is a sans-serif 'I', read '1' or not: no
  reading alone overrules it;
- a 'T' as wide at its foot as at its top (ocr.glyphs.foot) is an 'I';
- a sliver far thinner than any letter, on a line with more blobs than characters, is the
  edge of a frame, not a glyph;
- a B's left side is one straight stem, an 8's pinches in at the waist: where the side is
  clear, it settles B against 8 before the glyph's reading alone; a round glyph with a
  straight stem on its left is a D;
- thin glyphs: an 'L' has an empty top right, a 'J' an empty top left, 'I' and '1' neither;
  an 'I' that fails its shape with an empty or far emptier top left than top right is a 'J';
- a '6' without its hole that reads 'G' alone is a 'G';
- 'S'/'5' (no hole), 'B'/'8', 'Z'/'2' and the thin glyphs are also read alone (one glyph,
  only the characters of its look-alike class allowed) when the caller passes a reader:
  alone, the line's language model cannot sway the choice. A confident reading alone that
  differs from the line's replaces it, in doubt (bench labels: 13 characters righted,
  1 of about 800 right ones changed; O/0 alone is no better than a guess, so not read).

:func:`check_serial` returns the serial with what the glyphs settle, and whether doubt remains.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from ocr.glyphs import DOTTED_ZERO_LIKE, b_or_8, counter_reading, counters, foot, left_spread, waist

# Enclosed counters per character in ordinary sans and serif fonts (None: varies by font).
HOLES: dict[str, tuple[int, ...]] = {
    **{c: (0,) for c in "12357CEFGHIJKLMNSTUVWXYZ"},
    "0": (1, 2), "4": (0, 1), "6": (1,), "8": (2,), "9": (1,),
    "A": (1,), "B": (2,), "D": (1,), "O": (1,), "P": (1,), "Q": (1,), "R": (1,),
}
# An O/0 glyph this much wider than the digits (or, with fewer than two digits, than the
# ordinary letters and digits) is the letter, at most this much the zero; between: undecided.
O_VS_DIGITS = (1.12, 1.17)
O_VS_ALL = (1.04, 1.09)
# Where those measures are too fine (small print, a fixed pitch, a glyph cut from a blob),
# a round glyph this much wider than the reference is still the letter, in doubt (zeros
# measured up to 1.29 times, O's from 1.37 at 10 to 14 px, bench labels).
ROUGH_O = 1.33
# A line whose glyphs were mostly cut from blobs (more than this share: blur merged them)
# gives its cut glyphs' widths no weight at all (cut zeros measured up to 1.41 times the
# digits on a line cut 8 times in 11).
ROUGH_MAX_CUT_SHARE = 0.4
# A round glyph reaching this share of the glyph height below the others (and this many
# pixels: a round glyph's overshoot and JPEG noise stay under), its top level with theirs
# (within the slack), is a Q (a dim label's Q measured 0.11)
Q_TAIL = 0.1
Q_TAIL_MIN_PX = 3
Q_TOP_SLACK = 0.05
_REFERENCE = "ABCDEFGHKNPRSTUVXYZ23456789"
# The thin glyphs by the ink in their top quarters (measured: an L's top right is empty,
# a J's top left nearly, against 0.22 and more for I and 1).
STROKES = {
    "L": lambda g: g.top_right <= 0.1,
    "J": lambda g: g.top_left <= 0.18,
    "I": lambda g: g.top_left >= 0.22 and g.top_right >= 0.22,
    "1": lambda g: g.top_left >= 0.2 and g.top_right >= 0.15,
}
# A blob this thin for the line's height (a sans I measures 0.12-0.14) is a sliver of a frame
# or of the region's edge; dropped where a line has more blobs than characters.
SLIVER_WIDTH = 0.08
MIN_MEASURED_PX = 14.0  # glyphs smaller in the photo are too coarse for width and corner tests
# A T's stem is a third of its bar or less (bench labels: 0.21-0.35); an I read as T has
# serifs as wide as its top (0.92-1.0), a sans I is a bar (1.0).
T_FOOT = 0.6
# an I that fails its shape with this share or less of its top-right ink at its top left is a
# J (small monospaced print: J's read as I 0.12-0.26; an I's serifs are alike, a 1's flag left)
J_LEAN = 0.4
SIX_LIKE = "EG"  # letters a bold or blurred 6 is read as; they hold no counter
SIX_COUNTER_BELOW = 0.55  # a 6's one counter is centred below this share of its height
SMALL_COUNTER = 0.56  # a round glyph whose counter is lower than this share of it is a 9 or 6
COUNTER_OFF_MIDDLE = 0.05  # ... and whose counter's centre is this far off its middle
S5_CORNER = (0.53, 0.58)  # top-left ink of an S at most the first, of a 5 at least the second
# Look-alike classes read alone (GlyphReader); O/0 is left to the widths and dots.
ALONE_CLASSES = ("S5", "B8", "Z2", "1IJL")
# a character read for a glyph with another number of holes, and what that glyph may be, read
# alone: a 6 without its hole a G ('X3GC0834826' for X3GC083482G in small monospaced print)
HOLE_LOOKALIKES = {("6", 0): "G"}
# a G, E, 6 or 9 with two holes in an outline this wide at its middle is, in monospaced print
# or where the zeros are dotted, a zero whose dot bridges its counter ('2126LZ1PNIXS' for
# 2120LZ1PNJXS; small monospaced print: dotted zeros 0.96-1.00, the 8 beside them 0.72; on
# invoices 8s 0.67-0.86, Bs 0.81-0.90; a blurred bold 9 in proportional print has two holes too)
ZERO_WAIST = 0.93
# A reader of one glyph: its cell (dark print on white) and the characters allowed; the
# character read and its confidence (0-100), or None.
GlyphReader = Callable[[np.ndarray, str], "tuple[str, float] | None"]
# The widest (in monospaced print) and narrowest (in proportional print) width of letters
# whose width tells the two apart, over the median digit's (DejaVu Sans, Sans Bold, Sans
# Condensed, Serif against Sans Mono and its bold): their measures vote before the spacing.
LETTER_WIDTHS = {"A": (1.24, 1.38), "D": (1.06, 1.26), "G": (1.04, 1.23), "H": (1.04, 1.15),
                 "M": (1.15, 1.38), "N": (1.04, 1.13), "U": (1.07, 1.13), "V": (1.20, 1.38),
                 "W": (1.33, 1.90)}
# Letters far narrower in proportional sans print than in monospaced print (a serifed
# monospaced I is as wide as a digit): the narrowest monospaced, the widest proportional.
NARROW_LETTER_WIDTHS = {"I": (0.89, 0.45), "J": (0.92, 0.55)}  # measured 0.21-0.35, 0.41-0.49
LETTER_WIDTH_SLACK = 0.03
LETTER_VOTES = 2  # votes one way, net, that settle the font (one blurred letter can lie)
BAR_MAX_WIDTH = 0.45  # a glyph at most this share of the digits' width, and solid, is an I
SOLID_BAR = 0.6  # ink in each top quarter of a solid bar (a 1: 0.27-0.58)
B8_LEFT = (0.06, 0.12)  # left-edge spread (share of the width): a B's stem at most, an 8's waist at least
# Round glyphs of one serial this close in width are the same character (bench labels: the
# same character's pairs within 1.07 but for three, an O and a zero 1.10 apart and more).
TWIN_ROUND = 1.05
# Round glyphs of one serial this much wider than another: O against 0 (bench labels, seeds
# 0-5, whole glyphs: 529 pairs of one character within 1.143; in proportional print, an O
# and a zero 1.176 apart and more, 116 pairs).
ROUND_SPLIT = 1.155
# Each glyph's width for its height over the zero's, in the proportional faces measured
# (DejaVu Sans, Sans Bold, Serif, Serif Bold; their condensed cuts and Bitstream Vera alike).
# A serial with too few digits to measure a zero by fits its letters to the face they match
# best (the least spread estimates of the zero's width): a bold E is 0.9 of a zero, a serif
# E 1.14 to 1.22, so letters alone, unfitted, misjudge a zero as an O. "O" is the letter's.
_FACE_CHARACTERS = "OABCDEFGHKMNPRSTUVWXYZ23456789"


def _face(*widths: float) -> dict[str, float]:
    return dict(zip(_FACE_CHARACTERS, widths, strict=True))


FACE_WIDTHS: dict[str, dict[str, float]] = {
    "sans": _face(1.34, 1.36, 1.05, 1.17, 1.25, 0.96, 0.85, 1.27, 1.14, 1.18, 1.36, 1.13, 0.96, 1.16, 1.02,
                  1.27, 1.12, 1.36, 1.88, 1.27, 1.25, 1.22, 0.93, 0.95, 1.09, 0.95, 1.00, 0.96, 0.99, 0.99),
    "sans bold": _face(1.25, 1.32, 1.03, 1.03, 1.19, 0.90, 0.88, 1.16, 1.13, 1.23, 1.40, 1.13, 1.03, 1.14, 0.96,
                       1.15, 1.06, 1.32, 1.79, 1.26, 1.28, 1.09, 0.90, 0.92, 1.04, 0.93, 0.97, 0.95, 0.96, 0.97),
    "serif": _face(1.41, 1.51, 1.27, 1.29, 1.41, 1.22, 1.22, 1.32, 1.56, 1.44, 1.89, 1.57, 1.19, 1.47, 1.04,
                   1.32, 1.52, 1.53, 2.09, 1.43, 1.39, 1.25, 0.95, 0.96, 1.12, 0.95, 1.01, 0.98, 1.00, 1.00),
    "serif bold": _face(1.31, 1.36, 1.27, 1.17, 1.33, 1.14, 1.11, 1.21, 1.46, 1.46, 1.74, 1.42, 1.16, 1.35, 0.98,
                        1.24, 1.37, 1.36, 1.96, 1.32, 1.26, 1.13, 0.91, 0.93, 1.04, 0.90, 0.95, 0.91, 0.98, 0.96),
}
FACE_MIN_GLYPHS = 4  # letters and digits to fit a face with
FACE_MAX_SPREAD = 0.07  # spread (std of the logs) of the zero's width as each glyph estimates it
FACE_RIVAL_SPREAD = 0.03  # faces fitting nearly as well as the best, whose calls must agree
FACE_SPLIT = (0.35, 0.65)  # of the way from the zero's width to the face's O: a zero at most, an O at least
# Proportional print: the steps between glyph centres grow with the glyphs' widths (slope
# about 1; a monospaced font's pitch is fixed, slope about 0), measured over pairs of glyphs
# whose widths vary enough (std / mean); otherwise the font counts as monospaced, where a
# round glyph without a dot is left undecided: never wrong.
PROPORTIONAL_MIN_SLOPE = 0.6
PROPORTIONAL_MIN_SPREAD = 0.08
PROPORTIONAL_MIN_GLYPHS = 6  # glyphs of a serial's label to judge its print by
# Spread of a line's glyph widths (median deviation / median) and of the steps between their
# centres (std / mean) from which the line is taken for proportional print in a guess
# (_unevenly_wide).
UNEVEN_WIDTHS = 0.06
UNEVEN_STEPS = 0.04


@dataclass(frozen=True)
class Glyph:
    """One character's ink in the serial's image."""

    left: int
    top: int
    width: int
    height: int
    holes: int
    hole_cy: float  # centre of the largest hole, 0 (top) .. 1 (bottom); -1 without holes
    hole_h: float  # height of the largest hole / the glyph's (O, 0, D: 0.64-0.82; 9, 6: 0.32-0.50)
    inner_ink: float  # ink in the central box (a zero's dot or slash)
    corner_ink: float  # ink in the top-left box (a 5's square corner, an S's empty curve)
    top_left: float  # ink in the top-left quarter (empty for a J)
    top_right: float  # ink in the top-right quarter (empty for an L)
    cut: bool = False  # cut from a blob of touching glyphs: its width is an estimate
    spread: float = -1.0  # how far its left edge strays from a straight line (ocr.glyphs.left_spread)
    foot: float = -1.0  # its bottom rows' longest run of ink over its top rows' (ocr.glyphs.foot; a T: 0.3)
    waist: float = -1.0  # its middle rows' width over its widest row's (ocr.glyphs.waist; an 8 pinches)


@dataclass(frozen=True)
class GlyphCheck:
    """What the glyphs say about a serial."""

    value: str  # the serial with the characters the glyphs settled
    doubtful: bool  # a character could not be verified or contradicts its glyph
    notes: tuple[str, ...]  # e.g. "position 7: 'O' is a zero (as wide as the digits)"
    fits: bool = True  # as many glyphs as characters (each character was checked)
    cuts: int = 0  # glyphs cut from blobs of touching glyphs to make them fit
    contradictions: int = 0  # glyphs whose holes or strokes contradict their character, left as read


def _ink(gray: np.ndarray) -> np.ndarray:
    """The print as 1, the paper as 0 (light print on a dark label is turned round)."""
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if ink.mean() > 0.5:
        ink = 1 - ink
    return ink.astype(np.uint8)


def glyphs(gray: np.ndarray, expected: int = 0) -> list[Glyph]:
    """The glyphs of one line of print, left to right (parts inside another glyph's width
    merged, specks and blobs off the text band dropped; with fewer blobs than the
    ``expected`` characters, the widest blobs are cut as touching glyphs)."""
    return _glyphs_of(_ink(gray), expected)


def _glyphs_of(ink: np.ndarray, expected: int) -> list[Glyph]:
    """glyphs() of a line's ink (print 1, paper 0)."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count <= 1:
        return []
    boxes = [tuple(int(v) for v in stats[i, :4]) for i in range(1, count)]
    tallest = max(b[3] for b in boxes)
    boxes = [b for b in boxes if b[3] >= 0.45 * tallest or b[2] * b[3] >= 0.2 * tallest * tallest]
    boxes.sort(key=lambda b: b[0])
    merged: list[list[int]] = []
    for x, y, w, h in boxes:
        # a part inside another glyph's width (a zero's dot or slash) joins it; kerned
        # neighbours ('LA', 'AV') overlap only partly and stay apart
        overlap = min(x + w, merged[-1][0] + merged[-1][2]) - x if merged else 0
        if merged and overlap >= 0.8 * min(w, merged[-1][2]):
            mx, my, mw, mh = merged[-1]
            x0, y0 = min(mx, x), min(my, y)
            merged[-1] = [x0, y0, max(mx + mw, x + w) - x0, max(my + mh, y + h) - y0]
        else:
            merged.append([x, y, w, h])
    band_top = np.median([b[1] for b in merged])
    band_h = np.median([b[3] for b in merged])
    merged = [b for b in merged if abs(b[1] - band_top) <= 0.5 * band_h and b[3] >= 0.5 * band_h]
    if not merged:
        return []
    merged = _without_slivers(merged, len(merged) - expected if expected else 0, band_h)
    out: list[Glyph] = []
    for x, y, w, h, cut in _split_touching(ink, merged, expected - len(merged)):
        sub = ink[y:y + h, x:x + w]
        holes, hole_cy, hole_h = counters(sub)
        centre = sub[int(h * 0.38):max(int(h * 0.62), int(h * 0.38) + 1),
                     int(w * 0.38):max(int(w * 0.62), int(w * 0.38) + 1)]
        corner = sub[:max(1, round(h * 0.2)), :max(1, round(w * 0.25))]
        top_left, top_right = sub[:max(1, h // 2), :max(1, w // 2)], sub[:max(1, h // 2), w // 2:]
        out.append(Glyph(x, y, w, h, holes, hole_cy, hole_h, float(centre.mean()) if centre.size else 0.0,
                         float(corner.mean()), float(top_left.mean()),
                         float(top_right.mean()) if top_right.size else 0.0, cut, left_spread(sub), foot(sub),
                         waist(sub)))
    return out


def _without_slivers(boxes: list[list[int]], extra: int, band_h: float) -> list[list[int]]:
    """The boxes without the ``extra`` thinnest ones when they are slivers (SLIVER_WIDTH of
    the line's height at most: the edge of a frame or of the region, never a letter)."""
    if extra <= 0:
        return boxes
    thinnest = sorted(range(len(boxes)), key=lambda i: boxes[i][2])[:extra]
    drop = {i for i in thinnest if boxes[i][2] <= SLIVER_WIDTH * band_h}
    return [b for i, b in enumerate(boxes) if i not in drop]


def _split_touching(ink: np.ndarray, boxes: list[list[int]], missing: int) -> list[tuple[int, int, int, int, bool]]:
    """Cut the widest blobs, ``missing`` cuts at most, where two or three glyphs touch
    (kerned or blurred pairs such as 'KX', 'LA'), at their thinnest column near the
    expected boundary. Only blobs at least 1.4 times the typical width are cut; the parts
    are marked as cut."""
    out = [(*b, False) for b in boxes]
    if missing <= 0 or len(boxes) < 2:
        return out  # type: ignore[return-value]
    typical = float(np.median([b[2] for b in boxes]))
    for _ in range(missing):
        widest = max(range(len(out)), key=lambda i: out[i][2])
        x, y, w, h, _cut = out[widest]
        if w < 1.4 * typical:
            break
        n = max(2, min(3, round(w / typical)))
        profile = ink[y:y + h, x:x + w].sum(axis=0).astype(np.float32)
        lo, hi = round(w * 0.7 / n), round(w * 1.3 / n)
        cut = lo + int(np.argmin(profile[lo:hi])) if hi > lo else round(w / n)
        parts = []
        for a, b in ((0, cut), (cut, w)):
            rows = np.nonzero(ink[y:y + h, x + a:x + b].any(axis=1))[0]
            if b - a >= 2 and rows.size:
                parts.append((x + a, y + int(rows[0]), b - a, int(rows[-1] - rows[0] + 1), True))
        if len(parts) < 2:
            break
        out[widest:widest + 1] = parts
    return out  # type: ignore[return-value]


def _monospaced(found: list[Glyph]) -> bool:
    """True unless the spacing proves a proportional font: from glyph to glyph the step
    between centres follows the glyphs' widths (slope near 1) instead of a fixed pitch
    (slope near 0). Glyphs of too similar widths prove nothing: counted as monospaced."""
    if len(found) < 5:
        return True
    widths = np.array([g.width for g in found], dtype=np.float64)
    centres = np.array([g.left + g.width / 2 for g in found], dtype=np.float64)
    steps = np.diff(centres)
    pairs = (widths[:-1] + widths[1:]) / 2
    if pairs.std() / max(pairs.mean(), 1e-6) < PROPORTIONAL_MIN_SPREAD:
        return True
    slope = float(np.polyfit(pairs, steps, 1)[0])
    return slope < PROPORTIONAL_MIN_SLOPE


def _unevenly_wide(found: list[Glyph]) -> bool:
    """Whether a line's glyphs vary in width, and in step, as proportional print does: a hint
    for a guess in doubt only (_monospaced, which sure calls rest on, errs the other way).
    The width's spread is taken about its median, so that one wide W in monospaced print
    does not count (bench labels: 85 of 100 lines in DejaVu Sans Mono stay under one limit,
    72 of 100 in proportional faces exceed both)."""
    if len(found) < PROPORTIONAL_MIN_GLYPHS:
        return False
    widths = np.array([g.width for g in found], dtype=np.float64)
    middle = float(np.median(widths))
    steps = np.diff([g.left + g.width / 2 for g in found])
    return bool(np.median(np.abs(widths - middle)) >= UNEVEN_WIDTHS * middle
                and steps.std() >= UNEVEN_STEPS * steps.mean())


def _letters_say_monospaced(value: str, found: list[Glyph], digit_width: float) -> bool | None:
    """What the serial's wide letters say of its font: a letter as wide as in proportional
    print (LETTER_WIDTHS) votes proportional, one as narrow as in monospaced print votes
    monospaced; True, False, or None when fewer than LETTER_VOTES net votes tell."""
    votes = 0
    for c, g in zip(value, found, strict=True):
        if g.cut or (c not in LETTER_WIDTHS and c not in NARROW_LETTER_WIDTHS):
            continue
        ratio = (g.width / g.height) / digit_width
        if c in LETTER_WIDTHS:
            mono_max, proportional_min = LETTER_WIDTHS[c]
            if ratio >= proportional_min - LETTER_WIDTH_SLACK:
                votes -= 1
            elif ratio <= mono_max + LETTER_WIDTH_SLACK:
                votes += 1
        else:
            mono_min, proportional_max = NARROW_LETTER_WIDTHS[c]
            if ratio <= proportional_max + LETTER_WIDTH_SLACK:
                votes -= 1
            elif ratio >= mono_min - LETTER_WIDTH_SLACK:
                votes += 1
    return None if abs(votes) < LETTER_VOTES else votes > 0


def _round_split(value: str, found: list[Glyph]) -> dict[int, str]:
    """Round glyphs of one serial whose widths differ as an O's and a zero's do in
    proportional print (monospaced O's and zeros differ by 6 % at most): the wider the
    letter, the narrower the zero. Positions to characters; empty when nothing splits."""
    rounds = {i: g.width / g.height for i, (c, g) in enumerate(zip(value, found, strict=True))
              if c in "O0" and g.holes == 1 and 0.38 <= g.hole_cy <= 0.62 and not g.cut}
    if len(rounds) < 2 or max(rounds.values()) < ROUND_SPLIT * min(rounds.values()):
        return {}
    narrow, wide = min(rounds.values()), max(rounds.values())
    return {i: "O" if r >= ROUND_SPLIT * narrow else "0" for i, r in rounds.items()
            if r >= ROUND_SPLIT * narrow or r * ROUND_SPLIT <= wide}


def _plain_bar(g: Glyph, reference: tuple[float, tuple[float, float]] | None) -> bool:
    """Whether a glyph is a plain bar, solid and far narrower than the digits: a sans-serif
    I (0.21-0.35 of a digit's width in the fonts measured), never a 1 (its flag and foot
    make it 0.75-1.0 wide)."""
    return (reference is not None and not g.cut and g.holes == 0
            and min(g.top_left, g.top_right) >= SOLID_BAR
            and (g.width / g.height) / reference[0] <= BAR_MAX_WIDTH)


def _reference(value: str, found: list[Glyph]) -> tuple[float, tuple[float, float]] | None:
    """The width/height of ordinary glyphs to compare a round glyph with, and the limits."""
    pairs = list(zip(value, found, strict=True))
    digits = [g.width / g.height for c, g in pairs if c in "23456789" and not g.cut]
    if len(digits) >= 2:
        return float(np.median(digits)), O_VS_DIGITS
    if (fitted := _face_zero(pairs)) is not None:
        return fitted
    others = [g.width / g.height for c, g in pairs if c in _REFERENCE and not g.cut]
    if len(others) >= 3:
        return float(np.median(others)), O_VS_ALL
    return None


def _face_zero(pairs: list[tuple[str, Glyph]]) -> tuple[float, tuple[float, float]] | None:
    """A zero's width for its height and the limits, by the proportional faces the serial's
    letters and digits fit (FACE_WIDTHS): the best and those nearly as good (blur makes the
    faces' widths alike) must all call a round glyph a zero, or an O; where they cannot, the
    limits leave it open. None when too few glyphs or no face fits."""
    fits = []
    for widths in FACE_WIDTHS.values():
        estimates = [np.log(g.width / g.height / widths[c]) for c, g in pairs
                     if c in widths and c != "O" and not g.cut]
        if len(estimates) < FACE_MIN_GLYPHS:
            return None
        fits.append((float(np.std(estimates)), float(np.exp(np.median(estimates))), widths["O"] - 1))
    best = min(fits)
    if best[0] > FACE_MAX_SPREAD:
        return None
    rivals = [f for f in fits if f[0] <= best[0] + FACE_RIVAL_SPREAD]
    zero = best[1]
    zero_max = min(width * (1 + FACE_SPLIT[0] * letter) for _, width, letter in rivals) / zero
    o_min = max(width * (1 + FACE_SPLIT[1] * letter) for _, width, letter in rivals) / zero
    return zero, (zero_max, o_min) if zero_max < o_min else (0.0, float("inf"))


def _o_or_zero(g: Glyph, reference: tuple[float, tuple[float, float]] | None, mono: bool,
               dotted_zeros: bool) -> str | None:
    """'O', '0' or None (undecided) for a round glyph."""
    if g.holes == 2 or (g.inner_ink >= 0.3 and not g.cut):
        return "0"  # dotted or slashed zero (a glyph cut from a blob may hold its neighbour's ink)
    if not 0.38 <= g.hole_cy <= 0.62:
        return None  # the counter is off centre: a 9, 6, P or D misread as round
    if mono and dotted_zeros:
        return "O"
    return _by_ratio(g, reference, mono)


def _by_ratio(g: Glyph, reference: tuple[float, tuple[float, float]] | None, mono: bool) -> str | None:
    """'O' or '0' for a whole round glyph by its width against the reference's limits, or None."""
    if reference is None or g.cut:
        return None
    ratio = (g.width / g.height) / reference[0]
    zero_max, o_min = reference[1]
    if ratio >= o_min:
        return "O"  # no monospaced O is this wide
    if ratio <= zero_max and not mono:
        return "0"
    return None


def _width_call(g: Glyph, reference: tuple[float, tuple[float, float]] | None,
                rough_reference: tuple[float, tuple[float, float]] | None, mono: bool) -> str | None:
    """'O' or '0' for a round glyph by its width alone (see _o_or_zero, _rough_o), or None."""
    if g.holes != 1 or not 0.38 <= g.hole_cy <= 0.62:
        return None
    return _by_ratio(g, reference, mono) or ("O" if _rough_o(g, rough_reference) else None)


def _twin_call(i: int, found: list[Glyph], by_width: dict[int, str]) -> str | None:
    """What the serial's other round glyphs, told by their widths, make of an undecided one
    as wide as theirs (within TWIN_ROUND): the same character."""
    aspect = found[i].width / found[i].height
    calls = {call for j, call in by_width.items() if j != i
             and max(aspect, r := found[j].width / found[j].height) <= TWIN_ROUND * min(aspect, r)}
    return calls.pop() if len(calls) == 1 else None


def _torn(found: list[Glyph], by_width: dict[int, str]) -> set[int]:
    """Round glyphs whose widths call them otherwise than the round glyph nearest them in
    width, itself within ROUND_SPLIT of theirs: in proportional print the two are one
    character, so neither call holds."""
    def aspect(i: int) -> float:
        return found[i].width / found[i].height

    torn = set()
    for i in by_width:
        others = [j for j in by_width if j != i]
        if not others:
            continue
        j = min(others, key=lambda j: abs(np.log(aspect(j) / aspect(i))))
        if by_width[j] != by_width[i] and max(aspect(i), aspect(j)) < ROUND_SPLIT * min(aspect(i), aspect(j)):
            torn.add(i)
    return torn


def _rough_o(g: Glyph, reference: tuple[float, tuple[float, float]] | None) -> bool:
    """Whether a round glyph that the fine measures leave undecided (small print, a fixed
    pitch, a glyph cut from a blob) is still far too wide for a zero: the letter O."""
    return (reference is not None and g.holes == 1 and 0.38 <= g.hole_cy <= 0.62
            and (g.width / g.height) / reference[0] >= ROUGH_O)


def _digit_wide(g: Glyph, reference: tuple[float, tuple[float, float]] | None) -> bool:
    """Whether a round glyph, whole, is no wider than the digits (a proportional O is far wider)."""
    return (reference is not None and not g.cut and g.holes == 1 and 0.38 <= g.hole_cy <= 0.62
            and (g.width / g.height) / reference[0] <= reference[1][0])


def _counter_reading(c: str, g: Glyph) -> str | None:
    """What a glyph's counters make of c (ocr.glyphs.counter_reading, with the label's limits)."""
    return counter_reading(c, g.holes, g.hole_cy, g.hole_h, SMALL_COUNTER, COUNTER_OFF_MIDDLE)


def _tailed(g: Glyph, found: list[Glyph]) -> bool:
    """Whether a round glyph reaches below the serial's other glyphs, its top level with
    theirs: the tail of a Q."""
    if len(found) < 3 or g.cut:
        return False
    height = float(np.median([f.height for f in found]))
    top = float(np.median([f.top for f in found]))
    bottom = float(np.median([f.top + f.height for f in found]))
    return (g.top + g.height - bottom >= max(Q_TAIL_MIN_PX, Q_TAIL * height)
            and abs(g.top - top) <= Q_TOP_SLACK * height)


def proportional_print(gray: np.ndarray) -> bool:
    """Whether a line of print (the label before a serial: 'Seriennummer:') is set in a
    proportional font, by its spacing (see _monospaced)."""
    found = glyphs(gray)
    return len(found) >= PROPORTIONAL_MIN_GLYPHS and not _monospaced(found)


def has_dotted_zero(text: str, gray: np.ndarray) -> bool:
    """Whether a word's round glyphs (read as zeros or as O's: 'VO1') carry a dot or slash:
    its font marks its zeros."""
    found = glyphs(gray, len(text))
    return len(found) == len(text) and any(
        c in "0O" and (g.inner_ink >= 0.3 or g.holes == 2) and g.hole_h >= SMALL_COUNTER
        for c, g in zip(text, found, strict=True))


def _b_or_8(g: Glyph) -> str | None:
    """'B' for a glyph whose left side is one straight stem, '8' for one whose left side
    pinches in at the waist, None between (every face measured: B 0-0.08 of the width, 8
    0.12-0.30, blurred or not; a shaken B up to 0.11)."""
    return b_or_8(g.spread, B8_LEFT)


def _cell(ink: np.ndarray, g: Glyph) -> np.ndarray:
    """A glyph's ink as dark print on white, with a sliver of margin (for a reader alone)."""
    y0, x0 = max(0, g.top - 3), max(0, g.left - 1)
    return ((1 - ink[y0:g.top + g.height + 3, x0:g.left + g.width + 1]) * 255).astype(np.uint8)


def _alone(c: str, cell: np.ndarray, read: GlyphReader | None, min_confidence: float,
           group: str | None = None) -> str | None:
    """The look-alike a glyph reads as alone (among ``group``, else c's ALONE_CLASSES), when
    that differs from c and is confident."""
    group = group or next((k for k in ALONE_CLASSES if c in k), None)
    if read is None or group is None:
        return None
    got = read(cell, group)
    if got is None or got[0] == c or got[0] not in group or got[1] < min_confidence:
        return None
    return got[0]


def check_serial(value: str, gray: np.ndarray, source_px: float | None = None,
                 dotted_zeros: bool = False, read_alone: GlyphReader | None = None,
                 alone_confidence: float = 70.0, proportional_label: bool = False) -> GlyphCheck:
    """Verify each character of value against its glyph in gray (one line of the serial).

    ``source_px``: the glyphs' height in the photo; below MIN_MEASURED_PX their widths and
    corners are too coarse to settle O against 0 or S against 5 (the counters still count).
    ``dotted_zeros``: the label's other print marks its zeros (:func:`has_dotted_zero`): in a
    monospaced font, a round glyph without a mark is then the letter O.
    ``read_alone``: a reader of single glyphs (see GlyphReader); its readings at
    ``alone_confidence`` or more settle look-alikes the line's reading got wrong, in doubt.
    ``proportional_label``: the serial's label is printed in a proportional font; a round
    glyph the measures leave open that is no wider than the digits is then a zero, in doubt
    (blur and small print narrow the letters that vote on the serial's own font).
    """
    measured = source_px is None or source_px >= MIN_MEASURED_PX
    ink = _ink(gray)
    found = _glyphs_of(ink, len(value))
    if len(found) != len(value):
        note = f"{len(found)} glyphs for {len(value)} characters: not verified"
        return GlyphCheck(value, True, (note,), fits=False)
    rough_reference = _reference(value, found)  # also where the fine measures are too fine
    said = _letters_say_monospaced(value, found, rough_reference[0]) \
        if rough_reference is not None and rough_reference[1] == O_VS_DIGITS else None
    mono = _monospaced(found) if said is None else said
    reference = rough_reference if measured else None
    dotted_zeros = dotted_zeros or any(c in "O0" and ((g.inner_ink >= 0.3 and not g.cut) or g.holes == 2)
                       for c, g in zip(value, found, strict=True))
    split = _round_split(value, found) if measured else {}
    cuts = sum(g.cut for g in found)
    cut_widths = rough_reference if cuts <= ROUGH_MAX_CUT_SHARE * len(found) else None
    by_width = {i: call for i, (c, g) in enumerate(zip(value, found, strict=True))
                if c in "O0" and (call := _width_call(g, reference, cut_widths if g.cut else rough_reference,
                                                      mono)) is not None}
    torn = set() if mono else _torn(found, by_width)
    chars = list(value)
    notes: list[str] = []
    doubtful = False
    roughly: dict[int, str] = {}  # round glyphs told only roughly (far wider than the digits, or no wider)
    open_rounds: dict[int, int] = {}  # round glyphs left as read: their notes' indices
    contradictions = 0
    for i, (c, g) in enumerate(zip(value, found, strict=True)):
        if c in DOTTED_ZERO_LIKE and g.holes == 2 and not g.cut and g.waist >= ZERO_WAIST and (mono or dotted_zeros):
            chars[i] = "0"
            doubtful = True
            notes.append(f"position {i + 1}: {c!r} has two holes in an outline without a waist: a dotted zero")
            continue
        if c in "69" and _counter_reading(c, g) == "0":
            chars[i], c, doubtful = "0", "0", True  # a round glyph: told apart below as O, 0, Q or D
            notes.append(f"position {i + 1}: {value[i]!r} holds one large counter in its middle: a round glyph")
        if c in "O0" and not g.cut and _b_or_8(g) == "B":  # a straight stem on its left
            chars[i] = "D"
            doubtful = True
            notes.append(f"position {i + 1}: {c!r} has a straight stem on its left: 'D'")
            continue
        if c in "O09" and g.holes == 1 and _tailed(g, found):  # a 9 read for a Q: its bowl is no tail
            chars[i] = "Q"
            doubtful = True
            notes.append(f"position {i + 1}: {c!r} has a tail below the line: 'Q'")
            continue
        digit = _counter_reading(c, g) if c in "O0S5" else None
        if c in SIX_LIKE and g.holes == 1 and g.hole_cy >= SIX_COUNTER_BELOW and g.hole_h < SMALL_COUNTER:
            digit = "6"  # an E or G holds no counter; a 6's bowl is one, small and low
        if digit is not None:  # a round glyph's small counter or an S's counters: a digit
            chars[i] = digit
            doubtful = doubtful or c in "O0EG" or digit in "80"  # a 9 read S is sure enough; O or 0 is open
            shape = ("a small counter" if c in "O0" else "a low counter" if c in SIX_LIKE
                     else "two holes" if digit == "8" else "a hole")
            notes.append(f"position {i + 1}: {c!r} has {shape}: {digit!r}")
            continue
        if c in "O0":
            decided = _o_or_zero(g, reference, mono, dotted_zeros)
            if i in torn and decided == by_width[i]:  # told by its width, against its twin's
                doubtful = True
                notes.append(f"position {i + 1}: 'O' or '0' cannot be told apart (read {c!r}; as wide as a"
                             f" round glyph its width calls otherwise)")
                continue
            if decided is None:
                # tesseract's reading, in doubt, unless the glyph is far too wide for a zero
                doubtful = True
                twin = split.get(i) or _twin_call(i, found, by_width)
                if twin is not None:
                    chars[i] = twin
                    notes.append(f"position {i + 1}: {c!r} is {'the letter O' if twin == 'O' else 'a zero'}"
                                 f" by the serial's other round glyph, in doubt")
                    continue
                rough = _rough_o(g, cut_widths if g.cut else rough_reference)
                looks_proportional = proportional_label or (said is not True and _unevenly_wide(found))
                narrow = looks_proportional and _digit_wide(g, rough_reference)
                chars[i] = "O" if rough else "0" if narrow else c
                why = ", far wider than the digits" if rough else \
                    ", no wider than the digits in proportional print" if narrow else ""
                if rough or narrow:
                    roughly[i] = chars[i]
                else:
                    open_rounds[i] = len(notes)
                notes.append(f"position {i + 1}: 'O' or '0' cannot be told apart (read {chars[i]!r}{why})")
            elif decided != c:
                chars[i] = decided
                notes.append(f"position {i + 1}: {c!r} is {'a zero' if decided == '0' else 'the letter O'}")
                if decided == "O" and _b_or_8(g) != "8":  # a D is as wide: its left side is straight
                    doubtful = True
                    notes.append(f"position {i + 1}: its left side is not clearly round (a D?)")
            continue
        if c == "T" and not g.cut and g.foot >= T_FOOT:  # as wide at its foot as at its top: no T
            chars[i] = "I"
            doubtful = True
            notes.append(f"position {i + 1}: 'T' is as wide at its foot as at its top: 'I'")
            continue
        if c in "1I" and _plain_bar(g, rough_reference):  # neither flag nor foot: no reading alone overrules it
            if c == "1":
                chars[i] = "I"
                doubtful = True
                notes.append(f"position {i + 1}: '1' is a plain bar: 'I'")
            continue
        alone = _alone(c, _cell(ink, g), read_alone, alone_confidence) if not g.cut else None
        shape = _b_or_8(g) if c in "B8" and not g.cut else None
        if shape is not None and (shape != c or (alone is not None and alone != shape)):
            chars[i] = shape
            doubtful = True
            side = "a straight stem" if shape == "B" else "a pinched waist"
            notes.append(f"position {i + 1}: {c!r} reads {alone!r} alone, but has {side} on its left"
                         if shape == c else f"position {i + 1}: {c!r} has {side} on its left: {shape!r}")
            continue
        if alone is not None:
            chars[i] = alone
            doubtful = True
            notes.append(f"position {i + 1}: {c!r} reads {alone!r} alone")
            continue
        if c in "S5" and g.holes == 0:  # the corner confirms tesseract's reading, or doubt
            corner = "5" if g.corner_ink >= S5_CORNER[1] else "S" if g.corner_ink <= S5_CORNER[0] else None
            if corner != c or not measured:
                doubtful = True
                notes.append(f"position {i + 1}: 'S' or '5' cannot be told apart")
            continue
        if c in STROKES and not STROKES[c](g):
            doubtful = True
            if c == "I" and (STROKES["J"](g) or g.top_left <= J_LEAN * g.top_right):
                chars[i] = "J"  # its top-left quarter empty, or far emptier than its top right: a J
                notes.append(f"position {i + 1}: 'I' has no ink at its top left: 'J'")
                continue
            notes.append(f"position {i + 1}: {c!r} does not have its shape")
            contradictions += 1
            continue
        expected = HOLES.get(c)
        if expected is not None and g.holes not in expected:
            doubtful = True
            lookalikes = HOLE_LOOKALIKES.get((c, g.holes))
            if lookalikes and not g.cut \
                    and (other := _alone(c, _cell(ink, g), read_alone, alone_confidence, c + lookalikes)) is not None:
                chars[i] = other
                notes.append(f"position {i + 1}: {c!r} has {g.holes} hole(s) and reads {other!r} alone")
                continue
            notes.append(f"position {i + 1}: {c!r} has {g.holes} hole(s)")
            contradictions += 1
    for i, at in open_rounds.items():  # as wide as a round glyph told roughly: the same character
        if (twin := _twin_call(i, found, roughly)) is not None:
            chars[i] = twin
            notes[at] = f"position {i + 1}: {value[i]!r} is {'the letter O' if twin == 'O' else 'a zero'} by the" \
                        f" serial's other round glyph, as wide, in doubt"
    return GlyphCheck("".join(chars), doubtful, tuple(notes), cuts=cuts, contradictions=contradictions)
