"""Second pass over the words that look like codes (part numbers, serials, invoice numbers).

Tesseract's models read a round glyph after a capital as the letter O far more often than as
a zero ('11LNO004GE', 'RO33559'), sometimes as Q, D or @, now and then emit two symbols for
one glyph ('12BHO0008FR'), and read 'SI' as '$1'. Reading the word again (psm 7 or 8, with or
without a character whitelist) was measured on the bench corpus to make codes worse, not
better (53-70 right of 104, against 76 for the first reading), so this pass looks at the
word's glyphs (connected ink blobs in its box) instead:

- a word read with one symbol more than it has glyphs, around a letter/zero pair, had one
  glyph read twice; one with a symbol less, and a single run of zeros, lost one zero of the
  run (the recogniser merges repeated symbols);
- in a code, a letter that looks like a zero and touches a digit (or another such letter) is
  a zero, unless its glyph is clearly wider than the word's digits (a real O in a
  proportional font is 1.25-1.4 x as wide as a digit; in monospaced print nothing tells them
  apart, and codes favour digits) or it is a D standing on a straight stem;
- a 1 whose stem is its left edge is the letter L, an L whose stem stands off its left edge
  is a 1 (an L's stem is its left edge in every face; a 1's flag reaches left of its stem),
  when its box is about one glyph wide;
- a $ no taller than the other glyphs is the letter S (a dollar sign's bar sticks out);
- a 1 that is a bare bar (its middle as wide as the glyph: no flag, no foot) is the letter I
  (1 and I overlap in width on scans and faxes, not in shape); so is a 1 next to a letter
  or a round glyph whose top reaches right (a serifed I's top bar; a 1's flag points left),
  and one with serifs on both sides wherever it stands.
- a look-alike (5/S, 8/B, 2/Z) is read again alone, as one character that can only be
  itself or its twin, where the word around it cannot sway the model; then the page's
  confident codes may settle the ones that reading left open (settle_twins);
- last, every round glyph (O or 0) is held against the zeros of the numbers printed nearest
  to it (settle_rounds): a dot or slash where the font marks its zeros (on photos a dot
  blurred into its ring still darkens the centre), else width for height; a zero among
  digits stays a zero whatever its width; a tail below the line makes it a Q.
- counters and strokes that contradict the reading (by_shape): an S or 5
  with a counter is a 9, 6 or 8, a round glyph with a small counter high up a 9; an A
  stands on two legs, a 4 on one stem; a 5's top-left corner is square, an S's curved; an I
  with a flag is a 1, one whose stem stands right a J.

Codes with one digit or none ('PWROFCSS': every digit read as a letter) are checked too, by
their counters, strokes and flags. A 1, I, L, J, A or 4 changed by the glyph measures leaves
the word in doubt (code_stroke_confidence). The glyphs themselves are cut and measured in :mod:`ocr.glyphs`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

import cv2
import numpy as np
from PIL import Image

from ocr import tesseract
from ocr.codes import OPENING_BRACKETS
from ocr.glyphs import (
    DOTTED_ZERO_LIKE,
    Glyph,
    aspect,
    b_or_8,
    counter_reading,
    dotted_round,
    glyph_boxes,
    split_zero,
    word_crop,
)
from ocr.types import OcrSettings, Word

ZERO_LIKE = frozenset("OQDo@°")  # what tesseract reads for a zero in a code
_SQUARE_ZERO_LIKE = frozenset("QD")  # letters codes print too: zeros only beside a zero
_ROUND = ZERO_LIKE - _SQUARE_ZERO_LIKE | {"0"}

_EDGE = ".,:;()[]{}|'\"‘’“”«»*_~"  # '_' and '~': a table rule read into the word


_CODE = re.compile(r"[A-Za-z0-9@°$/.-]+")
_LETTER_LIKE = frozenset("@°$")


def is_code(token: str, settings: OcrSettings) -> bool:
    """Tell whether a token (edge punctuation stripped) looks like a code: long enough, made of
    code characters, with enough digits and at least one letter."""
    return (len(token) >= settings.code_min_length and bool(_CODE.fullmatch(token))
            and sum(c.isdigit() for c in token) >= settings.code_min_digits
            and any(c.isalpha() or c in _LETTER_LIKE for c in token))


_CAPS = re.compile(r"[A-Z0-9]+")


def is_caps_code(token: str, settings: OcrSettings) -> bool:
    """Tell whether a token without digits may be a code whose digits were all read as
    letters ('PWROFCSS' for PWR0FCS5): capitals only, as long as a code."""
    return (len(token) >= settings.code_min_length and bool(_CAPS.fullmatch(token))
            and sum(c.isalpha() for c in token) >= 2)


def _collapse_double(token: str, glyphs: int, dotted: bool = False) -> str:
    """A letter/zero pair read from one glyph (one symbol more than glyphs) becomes one zero;
    so does a run of zero-likes holding a letter ('Q0Q0' from four glyphs: three zeros; with
    two symbols too many, 'O0O00' from five: three zeros), and
    in print whose zeros are dotted (dotted), a zero beside a 6, G or E where joining either
    pair gives the same code ('11LN00604FR')."""
    extra = len(token) - glyphs
    if extra == 2:  # two symbols too many: only a run of zero-likes read five for three ('O0O00')
        runs = [m for m in re.finditer(f"[0{re.escape(''.join(ZERO_LIKE))}]{{4,}}", token)
                if set(m.group()) - {"0"}]
        if len(runs) == 1:
            return token[:runs[0].start()] + "0" * (len(runs[0].group()) - 2) + token[runs[0].end():]
    if extra != 1:
        return token
    pairs = [i for i in range(len(token) - 1)
             if {token[i], token[i + 1]} <= ZERO_LIKE | {"0"} and token[i:i + 2] != "00"]
    if len(pairs) == 1:
        return token[:pairs[0]] + "0" + token[pairs[0] + 2:]
    runs = [m for m in re.finditer(f"[0{re.escape(''.join(ZERO_LIKE))}]{{3,}}", token)
            if set(m.group()) - {"0"}]
    if pairs and len(runs) == 1 and all(runs[0].start() <= i < runs[0].end() - 1 for i in pairs):
        return token[:runs[0].start()] + "0" * (len(runs[0].group()) - 1) + token[runs[0].end():]
    if not dotted:
        return token
    joined = {token[:i] + "0" + token[i + 2:] for i in range(len(token) - 1)
              if token[i:i + 2].replace("0", "", 1) in DOTTED_ZERO_LIKE}
    return joined.pop() if len(joined) == 1 else token


def _collapse_twins(token: str, glyphs: int, settings: OcrSettings) -> str:
    """Two look-alikes read from one glyph ('S5' for the S of '...4SP': one symbol more than
    glyphs, a single adjacent twin pair) become the first of them; the page's confident codes
    may still settle which twin it is (settle_twins)."""
    if glyphs != len(token) - 1:
        return token
    twins = _twins(settings)
    pairs = [i for i in range(len(token) - 1) if twins.get(token[i]) == token[i + 1]]
    if len(pairs) != 1:
        return token
    return token[:pairs[0] + 1] + token[pairs[0] + 2:]


def _restore_zero(token: str, glyphs: int) -> str:
    """A lone run of zeros in a word one symbol short of its glyphs grows by one zero."""
    runs = list(re.finditer("0{2,}", token))
    if glyphs != len(token) + 1 or len(runs) != 1:
        return token
    return token[:runs[0].end()] + "0" + token[runs[0].end():]


def _zeros(chars: list[str], wide: list[bool], stemmed: list[bool]) -> None:
    """Read zero-like letters as zeros, spreading along runs of them, except glyphs that are
    clearly wider than a digit and D's standing on a straight stem: a round O (or @, °) next
    to a digit or another zero-like, a Q or D only next to a zero or round O (codes print Q
    and D as letters too, 'PF9E7VQ2', 'PC2XD9DX'; tesseract reads them for zeros inside runs
    of zeros, '11RUQ001GE')."""
    changed = True
    while changed:
        changed = False
        for i, c in enumerate(chars):
            if c not in ZERO_LIKE or wide[i] or stemmed[i]:
                continue
            near = [chars[j] for j in (i - 1, i + 1) if 0 <= j < len(chars) and not stemmed[j]]
            if c in _SQUARE_ZERO_LIKE:
                if any(n in _ROUND for n in near):
                    chars[i] = "0"
                    changed = True
            elif any(n.isdigit() or n in ZERO_LIKE for n in near):
                chars[i] = "0"
                changed = True


def resolve(token: str, glyphs: Sequence[Glyph] | None, settings: OcrSettings) -> str:
    """The code as it is printed, given the word's glyphs (None when they could not be told
    apart: then only the reading's own characters decide)."""
    clean_cut = glyphs is not None and all(g.measured for g in glyphs)
    if clean_cut:
        dotted = any(dotted_round(g, settings.code_zero_waist) for g in glyphs)
        token = _collapse_twins(_collapse_double(token, len(glyphs), dotted), len(glyphs), settings)
    chars = list(token)
    if glyphs is not None and len(glyphs) == len(chars):
        wide = _wide(chars, glyphs, settings)
        stemmed = [c == "D" and 0 <= g.spread <= settings.code_d_spread for c, g in zip(chars, glyphs, strict=True)]
    else:
        wide = stemmed = [False] * len(chars)
    _zeros(chars, wide, stemmed)
    if glyphs is None:
        return "".join(chars)
    if clean_cut:
        chars = list(_restore_zero("".join(chars), len(glyphs)))
    chars = list(by_shape("".join(chars), glyphs, settings))
    if len(glyphs) == len(chars) and sum(ch.isdigit() for ch in chars) >= settings.code_stroke_min_digits:
        tall = float(np.median([g.height for g in glyphs]))
        typical = float(np.median([g.width for g in glyphs]))
        for i, (c, g) in enumerate(zip(chars, glyphs, strict=True)):
            if c in "1L" and g.stem_x >= 0 and g.height >= settings.code_min_stem_px \
                    and g.width <= settings.code_stem_max_width * typical:  # wider: not one glyph's box
                c = chars[i] = "L" if g.stem_x < settings.code_stem_left else "1"
            if c == "$" and g.height <= settings.code_dollar_height * tall:
                chars[i] = "S"
            elif c == "1" and g.bar_fill >= settings.code_bar_fill and g.width < typical:
                chars[i] = "I"
        for i, (c, g) in enumerate(zip(chars, glyphs, strict=True)):
            if c != "1" or not g.measured or g.height < settings.code_min_glyph_px:
                continue  # (a glyph split off a blob by guesswork has no serifs of its own)
            # a round neighbour counts: whether it is an O or a zero is settled later (settle_rounds)
            beside_letter = any(chars[j].isalpha() or chars[j] == "0" for j in (i - 1, i + 1) if 0 <= j < len(chars))
            # serifs on both sides of its top (a 1's flag is on one side only)
            both = min(g.top_right, g.top_left) if g.height >= settings.code_serifs_min_px else 0.0
            serifs = g.top_right >= settings.code_serif_i or both >= settings.code_serifs_both
            if (beside_letter and serifs) or both >= settings.code_serifs_both_sure:
                chars[i] = "I"  # a serifed I ('SI014235', '...IT'), read as a 1
    return _by_flag("".join(chars), glyphs, settings)


def _by_flag(token: str, glyphs: Sequence[Glyph], settings: OcrSettings) -> str:
    """A 1 or I (or a bar read l or |) told apart by its top (ocr.glyphs.Glyph.flag): a flag
    reaching left makes a 1, a top alike on both sides over a stem in its middle an I (an
    L's stem stands left), only beside a letter; in between, or where the glyph is unknown
    or too small, the reading stands."""
    chars = list(token)
    lower = sum(c.islower() for c in token)
    for i, g in _aligned(token, glyphs):
        bar = chars[i] in "1I|" or (chars[i] == "l" and lower == 1)  # an l among lower case is an l
        if bar and g.flag >= -0.5 and g.height >= settings.code_min_glyph_px \
                and not _risen(g, glyphs, settings):
            low, high = settings.code_stem_middle
            beside_letter = any(chars[j].isalpha() for j in (i - 1, i + 1) if 0 <= j < len(chars))
            if g.flag >= settings.code_flag_one:
                chars[i] = "1"
            elif g.flag <= settings.code_flag_i and low <= g.stem_x <= high and beside_letter:
                chars[i] = "I"  # among digits a 1 stays a 1 ('INV-2025-68124' on a fax)
    return "".join(chars)


def _aligned(token: str, glyphs: Sequence[Glyph]) -> list[tuple[int, Glyph]]:
    """(position, glyph) of the symbols whose glyph is known: every cleanly cut glyph when
    there is one glyph per symbol; else, when the guessed cuts (a blob of touching glyphs
    split evenly, perhaps into the wrong count) stand together, the clean glyphs before them
    counted from the start and those after them counted from the end. In a code of letters
    and digits only, specks far lower than the glyphs are no symbols."""
    symbols = len(token)
    if token.isalnum() and glyphs:
        tall = float(np.median([g.height for g in glyphs]))
        glyphs = [g for g in glyphs if g.height >= 0.5 * tall]
    if len(glyphs) == symbols:
        return [(i, g) for i, g in enumerate(glyphs) if g.measured]
    guessed = [i for i, g in enumerate(glyphs) if not g.measured]
    if not guessed or guessed[-1] - guessed[0] + 1 != len(guessed):
        return []  # a symbol read twice or lost among clean glyphs: where is unknown
    head, tail = glyphs[:guessed[0]], glyphs[guessed[-1] + 1:]
    if len(head) + len(tail) >= symbols:
        return []
    return [*enumerate(head), *((symbols - len(tail) + k, g) for k, g in enumerate(tail))]


def _risen(glyph: Glyph, glyphs: Sequence[Glyph], settings: OcrSettings) -> bool:
    """Whether a glyph reaches above the top of its code's glyphs by code_glyph_rise of their
    height: it carries something else (the end of a table rule glued on by blur), so its
    counters, strokes and width are not its own. (A descender, J's or Q's, goes below.)"""
    tops = [g.top for g in glyphs if g.top >= 0]
    if glyph.top < 0 or len(tops) < 3:
        return False
    height = float(np.median([g.height for g in glyphs]))
    return float(np.median(tops)) - glyph.top > settings.code_glyph_rise * height


def _s_or_5(c: str, g: Glyph, beside_letter: bool, settings: OcrSettings) -> str:
    """An S or 5 by its top-left corner: square and dark, a 5; nearly empty, an S (a 5 among
    digits, as in a year, stays whatever the print)."""
    low, high = settings.code_s5_corner
    if g.corner_ink >= high:
        return "5"
    return "S" if 0 <= g.corner_ink <= low and beside_letter else c


def _i_1_or_j(g: Glyph, typical: float, settings: OcrSettings) -> str:
    """A glyph read 'I': a flag on its top left over an empty top right makes a 1, a stem
    standing right under an empty top left a J (glyphs too narrow for corners stay I)."""
    if (g.width >= max(4, settings.code_stroke_min_width * typical) and g.top_left >= settings.code_flag_top_left
            and 0 <= g.top_right <= settings.code_flag_top_right):
        return "1"
    if (g.width >= max(4, settings.code_j_min_width * typical) and g.stem_x >= settings.code_j_stem
            and 0 <= g.top_left <= settings.code_j_top_left):
        return "J"
    return "I"


def by_shape(token: str, glyphs: Sequence[Glyph], settings: OcrSettings) -> str:
    """Right the look-alikes whose glyphs say otherwise: first by their enclosed counters,
    then by their strokes."""
    aligned = [(i, g) for i, g in _aligned(token, glyphs)
               if g.height >= settings.code_counter_min_px and not _risen(g, glyphs, settings)]
    if not aligned:
        return token
    return _by_strokes(_by_counters(token, aligned, settings), aligned, glyphs, settings)


def _by_strokes(token: str, aligned: Sequence[tuple[int, Glyph]], glyphs: Sequence[Glyph],
                settings: OcrSettings) -> str:
    """An A stands on two legs, a 4 on one stem; an S or 5 by its top-left corner; an I by
    its flag or where its stem stands; a B on a straight stem, an 8 pinched at its waist."""
    chars = list(token)
    typical = float(np.median([g.width for g in glyphs]))
    for i, g in aligned:
        c = chars[i]
        if c in "A4" and g.feet in (1, 2):
            chars[i] = "4" if g.feet == 1 else "A"
        elif c in "S5" and g.holes == 0:
            chars[i] = _s_or_5(c, g, any(chars[j].isalpha() for j in (i - 1, i + 1) if 0 <= j < len(chars)),
                               settings)
        elif c == "I":
            chars[i] = _i_1_or_j(g, typical, settings)
        elif c in "B8":
            chars[i] = b_or_8(g.spread, settings.code_b8_spread) or c
    return "".join(chars)


def _by_counters(token: str, aligned: Sequence[tuple[int, Glyph]], settings: OcrSettings) -> str:
    """Enclosed counters that contradict the reading (ocr.glyphs.counter_reading): tesseract
    reads a small monospaced '9' as 'S' or 'Q' ('PCNSHC2J' for PCN9HC2J), and a dotted zero
    whose dot touches its ring as G, E or 6 ('11RU0G01IT'; ocr.glyphs.split_zero)."""
    chars = list(token)
    for i, g in aligned:
        digit = counter_reading(chars[i], g.holes, g.hole_cy, g.hole_h, settings.code_small_counter,
                                settings.code_counter_off_middle)
        if split_zero(chars[i], g, settings.code_zero_waist):
            digit = "0"
        chars[i] = digit or chars[i]
    return "".join(chars)


def _wide(chars: Sequence[str], glyphs: Sequence[Glyph], settings: OcrSettings) -> list[bool]:
    """Which glyphs are clearly wider than the word's typical glyph (a real letter O); not
    one that carries something above it (_risen)."""
    widths = [g.width for c, g in zip(chars, glyphs, strict=True) if c not in "1Iil|-/."]
    if not widths:
        return [False] * len(chars)
    typical = float(np.median(widths))
    return [g.width > settings.code_letter_width * typical and g.width - typical >= 2
            and not _risen(g, glyphs, settings) for g in glyphs]


class _CodeWord(NamedTuple):
    """A code word of the page: where it stands in the words, its crop, glyphs and reading."""

    index: int
    crop: np.ndarray
    glyphs: list[Glyph]
    text: str
    confidence: float
    sure: frozenset[int] = frozenset()  # positions whose glyph, read alone, confirmed its symbol
    first: str = ""  # the word's code as tesseract read it
    span: tuple[int, int] = (0, 0)  # where the code stands in the word's text


def _shape(crop: np.ndarray, glyph: Glyph) -> np.ndarray:
    """A glyph's pixels at a fixed size, zero mean and unit spread (for correlation)."""
    cut = cv2.resize(crop[:, glyph.left:glyph.left + glyph.width].astype(np.float32),
                     (12, 16), interpolation=cv2.INTER_AREA)
    cut -= cut.mean()
    spread = float(cut.std())
    return cut / spread if spread > 0 else cut


def _measured(code: _CodeWord) -> list[tuple[int, str, Glyph]]:
    """(position, symbol, glyph) of a code word's symbols, where each glyph was cut cleanly."""
    if len(code.glyphs) != len(code.text):
        return []
    return [(i, c, g) for i, (c, g) in enumerate(zip(code.text, code.glyphs, strict=True))
            if g.measured and g.width > 0]


def _twins(settings: OcrSettings) -> dict[str, str]:
    pairs = settings.code_twins
    return {**{a: b for a, b in pairs}, **{b: a for a, b in pairs}}


def settle_twins(codes: Sequence[_CodeWord], settings: OcrSettings) -> dict[int, str]:
    """Re-read the look-alike symbols (5/S, 8/B, 2/Z) of the page's doubtful code words
    against the same symbols in its confident code words: same print, same font, same blur.
    A symbol changes only when its glyph looks clearly more like the confident ones of its
    twin than like those of itself, and was not confirmed when read alone (read_twins); the
    new text per changed word index."""
    twins = _twins(settings)
    book: dict[str, list[tuple[int, np.ndarray]]] = {}
    for code in codes:
        if code.confidence >= settings.code_template_confidence and any(c.isdigit() for c in code.first):
            for _, c, g in _measured(code):
                if c in twins:
                    book.setdefault(c, []).append((g.height, _shape(code.crop, g)))

    def likeness(shape: np.ndarray, height: int, symbol: str) -> float | None:
        """Mean correlation with the best few glyphs of symbol printed at about that size."""
        scores = sorted((float((shape * t).mean()) for h, t in book.get(symbol, ())
                         if abs(h - height) <= settings.code_template_size * height), reverse=True)
        if len(scores) < settings.code_template_count:
            return None  # one glyph may be of another face
        return float(np.mean(scores[: settings.code_template_top]))

    changed: dict[int, str] = {}
    for code in codes:
        if code.confidence >= settings.code_template_confidence:
            continue
        chars = list(code.text)
        for i, c, g in _measured(code):
            if c not in twins or i in code.sure or b_or_8(g.spread, settings.code_b8_spread) == c:
                continue  # confirmed alone, or by the shape of its left side
            shape = _shape(code.crop, g)
            own, twin = likeness(shape, g.height, c), likeness(shape, g.height, twins[c])
            if (own is not None and twin is not None and twin >= settings.code_template_min
                    and twin - own >= settings.code_template_margin):
                chars[i] = twins[c]
        if chars != list(code.text):
            changed[code.index] = "".join(chars)
    return changed


def _glyph_image(crop: np.ndarray, glyph: Glyph, settings: OcrSettings) -> Image.Image:
    """One glyph (and a sliver of its neighbours) on a paper margin, enlarged to the size
    tesseract reads best."""
    paper = int(np.percentile(crop, 90))
    margin = settings.code_glyph_margin_px
    cell = crop[:, max(0, glyph.left - margin):glyph.left + glyph.width + margin]
    pad = settings.code_glyph_pad_px
    cell = cv2.copyMakeBorder(cell, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=paper)
    scale = min(4.0, max(1.0, settings.code_glyph_read_px / max(glyph.height, 1)))
    if scale > 1.0:
        cell = cv2.resize(cell, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    return Image.fromarray(cell)


def read_twins(code: _CodeWord, settings: OcrSettings) -> _CodeWord:
    """Each look-alike symbol (5/S, 8/B, 2/Z) of a code word read again alone, as one
    character that can only be itself or its twin: the twin wins when read confidently, the
    symbol is sure when confirmed confidently.

    In a word, tesseract's model leans on the symbols around a glyph ('...000S' after
    letters); alone, the glyph's shape decides (bench phone and scan pages: 4 of 6 wrong
    twins righted, none of 652 right ones changed)."""
    twins = _twins(settings)
    chars = list(code.text)
    sure: set[int] = set()
    for i, c, g in _measured(code):
        if c not in twins:
            continue
        read = tesseract.recognise_char(_glyph_image(code.crop, g, settings), settings.code_glyph_lang,
                                        settings, c + twins[c])
        if read and read.confidence >= settings.code_glyph_confidence and read.text in (c, twins[c]):
            chars[i] = read.text
            sure.add(i)
    return code._replace(text="".join(chars), sure=frozenset(sure))


class _Zero(NamedTuple):
    """A sure zero of the page (a zero in a number): its height, width for its height, and
    whether its counter is marked (dot or slash)."""

    height: int
    aspect: float
    marked: bool
    x: int  # the centre of its number on the page
    y: int
    centre: float = -1.0  # how dark its middle is (0 paper, 1 ink): a dot blurred into the ring


def _centre(word: Word) -> tuple[int, int]:
    """The centre of a word's box, in page pixels."""
    return word.left + word.width // 2, word.top + word.height // 2


_NUMBER = re.compile(r"[0-9][0-9.,/:'-]*[0-9]")


def page_zeros(gray: np.ndarray, words: Sequence[Word], settings: OcrSettings) -> list[_Zero]:
    """The zeros of the page's confidently read numbers (amounts, dates, quantities): how the
    page's font prints a zero."""
    zeros: list[_Zero] = []
    for word in words:
        token = word.text.strip(_EDGE)
        if word.confidence < settings.code_zero_ref_confidence or "0" not in token or not _NUMBER.fullmatch(token):
            continue
        glyphs = glyph_boxes(word_crop(gray, word))
        digits = [c for c in token if c.isdigit()]
        symbols = token if len(glyphs) == len(token) else digits if len(glyphs) == len(digits) else ""
        x, y = _centre(word)
        zeros.extend(_Zero(g.height, aspect(g), g.marked == 1, x, y, g.centre_ink)
                     for c, g in zip(symbols, glyphs, strict=False) if c == "0" and g.measured and g.height > 0)
    return zeros


def _marked_zeros(codes: Sequence[_CodeWord], words: Sequence[Word]) -> list[_Zero]:
    """The dotted or slashed zeros of the page's codes (no O has a dot), and the zeros
    tesseract read between two digits ('11LN0004GE'): how the codes' font prints a zero."""
    out = []
    for code in codes:
        x, y = _centre(words[code.index])
        first = code.first if len(code.first) == len(code.text) else ""
        for i, c, g in _measured(code):
            among_digits = c == "0" and 0 < i < len(first) - 1 and first[i] == "0" \
                and first[i - 1].isdigit() and first[i + 1].isdigit()
            if (c in "O0" and g.marked == 1) or among_digits:
                out.append(_Zero(g.height, aspect(g), g.marked == 1, x, y, g.centre_ink))
    return out


def _nearest_zeros(word: Word, glyph: Glyph, zeros: Sequence[_Zero], settings: OcrSettings) -> list[_Zero]:
    """The page's zeros printed at about the glyph's size and closest to its word (the same
    table row or column, most likely the same font)."""
    x, y = _centre(word)
    sized = [z for z in zeros if abs(z.height - glyph.height) <= settings.code_template_size * glyph.height]
    return sorted(sized, key=lambda z: abs(z.x - x) + settings.code_zero_row_weight * abs(z.y - y))[
        :settings.code_zero_ref_nearest]


def _against_zeros(glyph: Glyph, near: Sequence[_Zero]) -> float:
    """A glyph's width for its height over the zeros' (median) of the same print."""
    return aspect(glyph) / float(np.median([z.aspect for z in near]))


def _marked_share(near: Sequence[_Zero], settings: OcrSettings) -> float:
    """The share of the zeros whose dot or slash shows (a dot blurred into the ring counts by
    the darkness of the middle)."""
    return sum(z.marked or z.centre >= settings.code_zero_dot_centre for z in near) / len(near)


def _round_symbol(glyph: Glyph, near: Sequence[_Zero], settings: OcrSettings) -> str | None:
    """What a round glyph of a code is, by zeros of the same print: '0', 'O', or None (not
    settled)."""
    if glyph.marked == 1:
        return "0"
    if len(near) < settings.code_zero_ref_count or glyph.marked < 0:
        return None
    marked = _marked_share(near, settings)
    if marked >= settings.code_zero_marked_share:  # a zero lost its dot to blur, or an O
        dot = float(np.median([z.centre for z in near]))
        if 0 <= glyph.centre_ink <= max(settings.code_round_empty_centre, settings.code_round_dot_share * dot):
            return "O"
        return "0" if glyph.centre_ink >= settings.code_zero_dot_centre else None
    if glyph.height < settings.code_round_min_px:
        return None  # too coarse even for widths read from grey levels
    ratio = _against_zeros(glyph, near)
    if ratio >= settings.code_round_letter_ratio:
        return "O"  # an O is wider than a zero in marked fonts too (blur darkens small zeros' middles)
    if marked > settings.code_zero_plain_share:
        return None  # a zero's dot may be lost to blur, and some fonts mark theirs: width says nothing more
    return "0" if ratio <= settings.code_round_zero_ratio else None


def _wide_among_digits(glyph: Glyph, measured: Sequence[tuple[int, str, Glyph]], near: Sequence[_Zero],
                       settings: OcrSettings) -> bool:
    """Whether a round glyph is wider, for its height, than its own word's digits (2-9) by
    code_round_own_letter_ratio: an O beside digits ('MPPUW4OO'), where a zero is as wide as
    they; or, where the nearest zeros of the page make it far wider than a zero (by
    code_round_far_letter_ratio), by code_round_own_some_ratio (in fonts whose zero is
    narrower than their other digits, 'MP5K5P9O')."""
    digits = [aspect(g) for _, c, g in measured if c in "23456789"]
    if not digits:
        return False
    own = aspect(glyph) / float(np.median(digits))
    if own >= settings.code_round_own_letter_ratio:
        return True
    if len(near) < settings.code_zero_ref_count or own < settings.code_round_own_some_ratio:
        return False
    return _against_zeros(glyph, near) >= settings.code_round_far_letter_ratio


def _plainly_undotted(glyph: Glyph, near: Sequence[_Zero], settings: OcrSettings) -> bool:
    """Whether a round glyph has a plainly empty centre where the print marks its zeros (as
    many of the nearest zeros as code_zero_marked_share dotted or slashed): an O, even among
    digits ('PFAX50O1', 'MPY3O92T' in dotted monospaced print, where O and 0 are as wide)."""
    if len(near) < settings.code_zero_ref_count or glyph.marked != 0:
        return False
    marked = _marked_share(near, settings)
    return marked >= settings.code_zero_marked_share and 0 <= glyph.centre_ink <= settings.code_round_empty_centre


def _tailed(glyph: Glyph, glyphs: Sequence[Glyph], settings: OcrSettings) -> bool:
    """Whether a round glyph reaches below the other glyphs of its code with its top level
    with theirs: the tail of a Q."""
    if glyph.top < 0 or len(glyphs) < 3:
        return False
    height = float(np.median([g.height for g in glyphs]))
    top = float(np.median([g.top for g in glyphs]))
    bottom = float(np.median([g.top + g.height for g in glyphs]))
    return (glyph.top + glyph.height - bottom >= settings.code_q_tail * height
            and abs(glyph.top - top) <= settings.code_q_top_slack * height)


def settle_rounds(code: _CodeWord, word: Word, zeros: Sequence[_Zero], settings: OcrSettings) -> _CodeWord:
    """The round symbols (O, 0) of a code word told apart by the shape of the page's zeros:
    tesseract reads a zero among letters as O and an O beside digits as 0 with high
    confidence; the glyph's width and its dot or slash (where the font has one) do not lie."""
    chars = list(code.text)
    first = code.first if len(code.first) == len(chars) else code.text
    measured = _measured(code)
    here = _centre(word)
    zeros = [z for z in zeros if (z.x, z.y) != here]  # its own glyphs are no reference
    for i, c, g in measured:
        if c not in "O0":
            continue
        if _tailed(g, [m[2] for m in measured], settings):
            chars[i] = "Q"
            continue
        near = _nearest_zeros(word, g, zeros, settings)
        symbol = _round_symbol(g, near, settings) or c
        if (symbol == "O" and not _beside_letter(chars, first, i)
                and not _wide_among_digits(g, measured, near, settings) and not _plainly_undotted(g, near, settings)):
            continue  # a zero among digits ('2025', 'GB113205081') is a zero unless clearly wider than they
        chars[i] = first[i] if symbol == "O" and first[i].isalpha() else symbol  # a D stays a D
    return code._replace(text="".join(chars))


def _without_edges(glyphs: list[Glyph], text: str, core: str) -> list[Glyph]:
    """The glyphs of a word's code, without those of the punctuation around it ('PF8OIHMC,'):
    as many small glyphs at each end as the word has punctuation there."""
    if len(glyphs) <= len(core) or len(glyphs) < 3:
        return glyphs
    start = text.index(core)
    lead, trail = start, len(text) - start - len(core)
    tall = float(np.median([g.height for g in glyphs]))
    def small(g: Glyph) -> bool:
        return g.height < 0.6 * tall
    while trail and glyphs and small(glyphs[-1]) and len(glyphs) > len(core):
        glyphs, trail = glyphs[:-1], trail - 1
    while lead and glyphs and small(glyphs[0]) and len(glyphs) > len(core):
        glyphs, lead = glyphs[1:], lead - 1
    return glyphs


def _beside_letter(chars: Sequence[str], first: str, i: int) -> bool:
    """Whether the nearest symbol on either side of position i that is not round (O or 0) is
    a letter, as now read or as tesseract read it."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(chars) and chars[j] in "O0" and first[j] in "O0":
            j += step
        if 0 <= j < len(chars) and (chars[j].isalpha() or first[j].isalpha()):
            return True
    return False


def _code_span(words: Sequence[Word], index: int) -> tuple[str, int, int]:
    """A word's code (edge punctuation stripped) and where it stands in the word's text; a
    closing bracket glued to the code's end with no opening one before it on the line is
    the letter J, which tesseract reads so at a code's end ('MP8KKU6J,' as 'MP8KKU6],'); not
    after a code with separators ('RE-2025-42639|' on a fax: a table rule)."""
    text = words[index].text
    core = text.strip(_EDGE)
    if not core:
        return core, 0, 0
    start = text.index(core)
    end = start + len(core)
    bracket = text[end:end + 1]
    if bracket in OPENING_BRACKETS and core.isalnum():
        line = words[index].line
        before = [w.text for w in words[max(0, index - 3):index] if w.line == line] + [text[:end]]
        if not any(OPENING_BRACKETS[bracket] in t for t in before):
            return core + "J", start, end + 1
    return core, start, end


# Look-alikes the glyph measures tell apart on most print, not all: a 1, I, L or J by where
# its stem stands, its serifs or its bar; an A or 4 by its feet (a phone photo's blurred 4
# has stood on two).
STROKE_CLASSES = ("1ILJ", "A4")


def _strokes_changed(first: str, text: str) -> bool:
    """Whether a symbol was read as another of its STROKE_CLASSES by the glyph measures."""
    return len(first) == len(text) and any(
        a != b and any(a in group and b in group for group in STROKE_CLASSES)
        for a, b in zip(first, text, strict=True))


def second_pass(image: Image.Image, words: Sequence[Word], settings: OcrSettings) -> tuple[tuple[Word, ...], int]:
    """Re-read the code-like words of a page from their glyphs; the words and how many changed."""
    gray: np.ndarray | None = None
    codes: list[_CodeWord] = []
    for index, word in enumerate(words):
        core, start, end = _code_span(words, index)
        code_like = bool(core) and is_code(core, settings)
        if not code_like and not (core and is_caps_code(core, settings)):
            continue
        if gray is None:
            gray = np.asarray(image.convert("L"))
        crop = word_crop(gray, word)
        # a code with a round glyph, glued to its neighbours by blur, is cut apart (O against 0)
        parts = len(word.text) if any(c in "O0" for c in core) else 0
        glyphs = _without_edges(glyph_boxes(crop, parts, word.text), word.text, word.text[start:end])
        if code_like:
            text = resolve(core, glyphs or None, settings)
        else:  # letters only ('PWOUIBNZ'): its glyphs' counters, strokes and flags
            text = _by_flag(by_shape(core, glyphs, settings), glyphs, settings)
        code = _CodeWord(index, crop, glyphs, text, word.confidence, first=core, span=(start, end))
        codes.append(read_twins(code, settings))
    settled = settle_twins(codes, settings)
    codes = [code._replace(text=settled.get(code.index, code.text)) for code in codes]
    if codes and gray is not None:
        zeros = page_zeros(gray, words, settings) + _marked_zeros(codes, words)
        codes = [settle_rounds(code, words[code.index], zeros, settings) for code in codes]
    out = list(words)
    changed = 0
    for code in codes:
        word = words[code.index]
        start, end = code.span
        if code.text != word.text[start:end]:
            confidence = word.confidence
            if _strokes_changed(code.first, code.text):  # measured, not certain: left in doubt
                confidence = min(confidence, settings.code_stroke_confidence)
            out[code.index] = replace(word, text=word.text[:start] + code.text + word.text[end:],
                                      confidence=confidence)
            changed += 1
    return tuple(out), changed
