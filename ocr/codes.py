"""Product codes and serial numbers on invoices: token shapes and OCR repair.

A code is repaired for OCR confusions (O/0, I/1, S/5, B/8, Z/2, and a few more at digit
positions) only where its known shape forces the character: a Lenovo machine-type-model
(11LN0004GE: two digits, six alphanumerics, a two-letter country suffix), a Lenovo option
part number (5WS0W86723, in a part column) or a Lenovo serial (PF3ABCDE: two letters, six
alphanumerics). Anything else is read as printed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ocr.dates import find_dates
from ocr.layout import word_confidence
from ocr.types import FieldReading, Word

EDGE = ":;,.#*()[]\"' -–—|~=«»‘’“”_£€"

_TO_DIGIT = {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "T": "1", "S": "5", "B": "8",
             "Z": "2"}
_TO_LETTER = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z"}


@dataclass(frozen=True)
class CodeShape:
    """A code's known shape: one class per position ('9' digit, 'A' letter, 'X' either).

    ``not_in_x`` are letters the code never uses at 'X' positions, so that an O or I read
    there is certainly a 0 or 1.
    """

    name: str
    pattern: str
    not_in_x: str = ""
    min_letters: int = 0
    min_digits: int = 0
    min_digits_read: int = 0  # digits the token must hold before any repair


# Lenovo machine type (2 digits + 2 alphanumerics: 11LN, 12C3, 21AH), model (4
# alphanumerics: 0004, 000A, 00BX) and country suffix (GE, UK, SP ...). Lenovo leaves the
# letters O and I out of machine types and models.
LENOVO_MTM = CodeShape("lenovo_mtm", "99XXXXXXAA", not_in_x="OI", min_letters=2, min_digits=4,
                       min_digits_read=2)
# Lenovo option and service part number (4XF1M24211, 5WS0W86723, 4X40E77324): a digit, two
# alphanumerics, a digit, an alphanumeric and five digits.
LENOVO_OPTION = CodeShape("lenovo_option", "9XX9X99999", min_letters=2, min_digits=6, min_digits_read=5)
# Lenovo serial: two letters and six alphanumerics (PF3ABCDE, MP1K4B9Z).
LENOVO_SERIAL = CodeShape("lenovo_serial", "AAXXXXXX")


@dataclass(frozen=True)
class Repaired:
    """A token read as a code of a known shape."""

    value: str
    repaired: bool  # some character was changed
    certain: bool  # every change was forced by the shape


def fit_shape(token: str, shape: CodeShape) -> Repaired | None:
    """Read token as a code of shape, repairing confusions its positions force; None if it
    cannot be one."""
    raw = token.strip(EDGE)
    t = raw.upper()
    if (len(t) != len(shape.pattern) or not t.isalnum() or sum(c.islower() for c in raw) > 1
            or sum(c.isdigit() for c in t) < shape.min_digits_read):
        return None
    out = []
    for ch, kind in zip(t, shape.pattern, strict=True):
        if kind == "9":
            ch = ch if ch.isdigit() else _TO_DIGIT.get(ch, "")
        elif kind == "A":
            ch = ch if ch.isalpha() else _TO_LETTER.get(ch, "")
        elif ch in shape.not_in_x:
            ch = _TO_DIGIT[ch]
        if not ch:
            return None
        out.append(ch)
    value = "".join(out)
    if (sum(c.isalpha() for c in value) < shape.min_letters
            or sum(c.isdigit() for c in value) < shape.min_digits):
        return None
    return Repaired(value, value != t, True)


MAX_ZEROS_READ_TOO_MANY = 4  # a run of zeros read up to this many times too long ('12BH0000008MH')


def fit_shape_fuzzy(token: str, shape: CodeShape) -> Repaired | None:
    """Like fit_shape, also reading a token with a run of 0/O read too long ('11LNO0004GE',
    '12BH0000008MH') or one 0 of a run of zeros dropped ('11LN004GE'): uncertain repairs."""
    t = token.strip(EDGE)
    extra = len(t) - len(shape.pattern)
    if 0 < extra <= MAX_ZEROS_READ_TOO_MANY:
        found = [fixed.value for run in re.finditer(r"[0Oo]+", t) if len(run.group()) > extra
                 and (fixed := fit_shape(t[:run.start()] + t[run.start() + extra:], shape))]
        if found and (extra == 1 or len(set(found)) == 1):  # one zero doubled: the first run that fits
            return Repaired(found[0], True, False)
        return None
    if len(t) == len(shape.pattern) - 1:
        found = {fixed.value for i in range(1, len(t)) if t[i - 1] in "0Oo" and t[i] in "0Oo"
                 and (fixed := fit_shape(t[:i] + "0" + t[i:], shape))}
        return Repaired(found.pop(), True, False) if len(found) == 1 else None
    return fit_shape(t, shape)


def fit_shape_doubled(token: str, shape: CodeShape) -> Repaired | None:
    """A token one symbol longer than shape with one glyph read as two (a doubled symbol,
    '5WWS0W86723', or a look-alike pair): the one code that a single removal fits, an
    uncertain repair; None when none or several do. Only for tokens where a code must stand
    (a part column): elsewhere an 11-character number could pass for a code."""
    t = token.strip(EDGE).upper()
    if len(t) != len(shape.pattern) + 1:
        return None
    found = {fixed.value for i in range(len(t) - 1)
             if t[i] == t[i + 1] or frozenset(t[i:i + 2]) in _READ_TWICE
             for j in (i, i + 1) if (fixed := fit_shape(t[:j] + t[j + 1:], shape))}
    return Repaired(found.pop(), True, False) if len(found) == 1 else None


def lenovo_mtm(token: str) -> str | None:
    """Return a Lenovo machine-type-model code (10 chars, e.g. 11LN0004GE), OCR-repaired."""
    fixed = fit_shape(token, LENOVO_MTM)
    return fixed.value if fixed else None


def lenovo_mtm_fuzzy(token: str) -> str | None:
    """Like lenovo_mtm, also repairing a doubled ('11LNO0004GE') or dropped ('11LN004GE') 0."""
    fixed = fit_shape_fuzzy(token, LENOVO_MTM)
    return fixed.value if fixed else None


_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/._]*[A-Za-z0-9]")


def code_like(token: str) -> str | None:
    """Return a product code (upper case, Lenovo codes repaired) or None if token is not one."""
    t = token.strip(EDGE)
    if not 4 <= len(t) <= 24 or "," in t or find_dates(t) or not _CODE.fullmatch(t):
        return None
    digits, letters = sum(c.isdigit() for c in t), sum(c.isalpha() for c in t)
    if digits == 0 or (letters == 0 and digits < 6) or re.fullmatch(r"[\d.]+", t):
        return None
    if letters and not any(c.isupper() for c in t):
        return None
    return lenovo_mtm_fuzzy(t) or t.upper()


def column_code(token: str) -> str | None:
    """A token standing in a part-number column: any code, also one of letters only
    ('SCHULUNG', 'SVC-INSTALL'), but not a word ('Lenovo') or a bare number."""
    t = re.sub(r"([-/])\1+", r"\1", token.strip(EDGE).replace("@", "O"))  # an O or 0 read as '@'; a dash read twice
    if not 3 <= len(t) <= 24 or not _CODE.fullmatch(t) or re.fullmatch(r"[\d.,]+", t) and len(t) < 6:
        return None
    if sum(c.islower() for c in t) > 1 and sum(c.isdigit() for c in t) < 3:
        return None  # a word; lower case among three digits or more is OCR's slip ('5ws0W86723')
    return t.upper()


def serial_like(token: str) -> str | None:
    """Return a serial number (upper case) or None if token is not shaped like one."""
    t = token.strip(EDGE)
    if not 5 <= len(t) <= 24 or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9\-]*", t):
        return None
    if t.isdigit() and len(t) < 8:
        return None  # a postcode or an amount, not a serial
    letters = [c for c in t if c.isalpha()]
    if sum(c.islower() for c in letters) > len(letters) // 4 or find_dates(t):
        return None  # a word, not a serial (one OCR'd lower-case letter is tolerated)
    if any(c.isdigit() for c in t) or (len(t) == 8 and t.isalpha()):
        return t.upper()
    return None


def listed_serial(token: str) -> str | None:
    """A serial as it stands in a list after a serial label: any serial_like token, and also
    capitals without a digit (OCR read every digit as a letter, or lost one: 'PCISJOY')."""
    found = serial_like(token)
    if found:
        return found
    t = token.strip(EDGE)
    return t if 5 <= len(t) <= 24 and t.isalpha() and t.isupper() else None


@dataclass(frozen=True)
class CodeSettings:
    """When a code or serial read by OCR is doubtful.

    Measured on the golden invoices (``python -m fixtures.invoice_truth``): tesseract swaps
    O and 0 (and Q) in serials at confidences above 90, so an OCR'd serial holding one of
    them where its shape allows both is doubtful whatever the confidence; other confusions
    (S/5, B/8, I/1) mostly come with lower confidences. With these defaults about one OCR'd
    serial in 250 was read wrong without doubt, and about 60 % of OCR'd serials are flagged.
    """

    doubt_below_confidence: float = 85.0  # an OCR'd code or serial read with less is doubtful
    ambiguous: str = "O0Q"  # characters OCR swaps with confidence, where the shape allows both
    exact_confidence: float = 100.0  # a text layer's words: nothing was guessed


def _doubted(value: str, free: str, confidence: float, settings: CodeSettings) -> bool:
    """Whether a code read by OCR is in doubt: a low confidence, or a character OCR swaps
    with its twin at a position (free: 'X' in the shape's pattern) where both may stand."""
    if confidence >= settings.exact_confidence:
        return False
    return confidence < settings.doubt_below_confidence or any(
        ch in settings.ambiguous for ch, kind in zip(value, free, strict=False) if kind == "X")


def read_part(word: Word, settings: CodeSettings = CodeSettings()) -> FieldReading | None:
    """A part number from the word in a part column: Lenovo codes repaired by their shape."""
    raw = column_code(word.text)
    if raw is None:
        return None
    confidence = word_confidence([word])
    fixed = fit_shape_fuzzy(raw, LENOVO_MTM) or fit_shape_doubled(raw, LENOVO_MTM)
    if fixed is not None:  # Lenovo leaves O and I out of its codes: no O/0 doubt there
        doubtful = not fixed.certain or (confidence < settings.exact_confidence
                                         and confidence < settings.doubt_below_confidence)
        return FieldReading(fixed.value, confidence, (word,), doubtful)
    option = fit_shape(raw, LENOVO_OPTION)
    if option is not None and option.repaired:
        doubtful = _doubted(option.value, LENOVO_OPTION.pattern, confidence, settings)
        return FieldReading(option.value, confidence, (word,), doubtful)
    doubled = fit_shape_doubled(raw, LENOVO_OPTION)
    if doubled is not None:
        return FieldReading(doubled.value, confidence, (word,), True)
    doubtful = _doubted(raw, "X" * len(raw), confidence, settings)
    return FieldReading(raw, confidence, (word,), doubtful)


def read_serial(
    word: Word, lenovo: bool | None, settings: CodeSettings = CodeSettings(),
    expected: bool = False,
) -> FieldReading | None:
    """A serial from a word; lenovo says whether its line is a Lenovo product (True), another
    product (False) or unknown (None): a Lenovo line's serial must fit the Lenovo shape.
    expected: the word stands where a serial must be (a serial column, after 'S/N:'), so an
    unlikely shape is kept, as doubtful. Doubtful: read with doubt (see CodeSettings),
    repaired on a guessed shape, or a Lenovo product's serial of another shape."""
    raw = serial_like(word.text)
    single = one_glyph_read_twice(word.text.strip(EDGE).upper(), len(LENOVO_SERIAL.pattern)) if lenovo else None
    if single is None and raw is None and lenovo:
        single = without_stray_marks(word.text.strip(EDGE), len(LENOVO_SERIAL.pattern))
    single = serial_like(single) if single is not None else None  # never a mark left in it ('—PW9RK84')
    if single is not None:
        raw = single  # one glyph read as two look-alikes, or marks dropped: a guess, so in doubt (below)
    if raw is None and expected:
        t = _without_marks(word.text.strip(EDGE + "&"))
        if 5 <= len(t) <= 24 and t.isalnum() and sum(c.islower() for c in t) <= 1:
            return FieldReading(t.upper(), word_confidence([word]), (word,), True)
    if raw is None:
        return None
    confidence = word_confidence([word])
    fixed = fit_shape(raw, LENOVO_SERIAL) if lenovo is not False else None
    if fixed is not None:
        doubtful = (_doubted(fixed.value, LENOVO_SERIAL.pattern, confidence, settings)
                    or (fixed.repaired and lenovo is None) or single is not None)
        return FieldReading(fixed.value, confidence, (word,), doubtful)
    doubtful = _doubted(raw, "X" * len(raw), confidence, settings) or bool(lenovo)
    return FieldReading(raw, confidence, (word,), doubtful)


# Look-alikes tesseract emits both of for one glyph ('PWMB8YHFT' for PWM8YHFT), and the one
# of each pair that was not printed: the letter beside a digit, the I beside a J, 1 or L.
_READ_TWICE = {frozenset("B8"): "B", frozenset("S5"): "S", frozenset("S9"): "S", frozenset("IJ"): "I",
               frozenset("I1"): "I", frozenset("IL"): "I", frozenset("E6"): "E", frozenset("G6"): "G",
               frozenset("O0"): "O", frozenset("Q0"): "Q", frozenset("Z2"): "Z"}


def one_glyph_read_twice(code: str, length: int) -> str | None:
    """A code one symbol longer than its shape with exactly one neighbouring look-alike pair
    (one glyph read as both): the code without the pair's unprinted member; with no such
    pair, exactly one pair of one symbol doubled: the code with it once; else None."""
    if len(code) != length + 1:
        return None
    found = {code[:i + j] + code[i + j + 1:] for i in range(len(code) - 1)
             if (pair := frozenset(code[i:i + 2])) in _READ_TWICE
             for j in (0, 1) if code[i + j] == _READ_TWICE[pair]}
    if not found:  # else one symbol read twice over: one doubled pair, one of it dropped ('MP0BD8X00')
        found = {code[:i] + code[i + 1:] for i in range(len(code) - 1) if code[i] == code[i + 1]}
    return found.pop() if len(found) == 1 else None


# Marks tesseract puts inside a code for a glyph it cannot place ('PW3NDTH)J').
STRAY_MARKS = "\\|/!()[]{}"
# Each closing bracket's opening one: a closing bracket without it inside a code is a J read so.
OPENING_BRACKETS = {")": "(", "]": "[", "}": "{"}


def without_stray_marks(code: str, length: int, most: int = 2) -> str | None:
    """A code of ``length`` symbols read with up to ``most`` stray marks inside: the code
    without them (upper case); else None."""
    kept = _without_marks(code, most)
    if kept == code or len(kept) != length:
        return None
    return serial_like(kept)


def _without_marks(code: str, most: int = 2) -> str:
    """A code without the stray marks inside it ('1994PHNP053]J'), when it holds at most
    ``most`` of them; else as it is."""
    kept = "".join(c for c in code if c not in STRAY_MARKS)
    return kept if len(code) - len(kept) <= most else code


def lenovo_codes(words: Sequence[Word]) -> list[FieldReading]:
    """Every Lenovo machine-type-model code among words, wherever it stands."""
    out = []
    for w in words:
        fixed = fit_shape_fuzzy(w.text, LENOVO_MTM)
        if fixed is not None:
            out.append(FieldReading(fixed.value, word_confidence([w]), (w,), not fixed.certain))
    return out


def dedupe(readings: Sequence[FieldReading]) -> tuple[FieldReading, ...]:
    """One reading per value (case-insensitive), first-seen order; the most confident reading's
    confidence and words, doubtful only when every reading of the value is."""
    best: dict[str, FieldReading] = {}
    for r in readings:
        key = r.value.upper()
        if key not in best:
            best[key] = r
            continue
        kept = best[key]
        doubtful = kept.doubtful and r.doubtful
        if r.confidence > kept.confidence:
            best[key] = replace(r, value=kept.value, doubtful=doubtful)
        else:
            best[key] = replace(kept, doubtful=doubtful)
    return tuple(best.values())
