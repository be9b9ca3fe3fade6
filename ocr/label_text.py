"""The serial, brand and model in the label's OCR words (stage 7 of :mod:`ocr.device_label`):
the serial after its label (S/N, Seriennummer, N° de série ...) beside or under it, pieces
tesseract split joined (:func:`serial_after_labels`), else the label's one serial-shaped word
(:func:`serial_shaped`); what the text says a code's value is when it is not the serial
(:func:`role_in_text`); the brand and the model (:func:`brand_of`, :func:`model_of`). Words
only: no images are read here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce

from rapidfuzz import fuzz

from ocr.codes import OPENING_BRACKETS, STRAY_MARKS
from ocr.label_types import LabelSettings
from ocr.label_vocabulary import (
    EDGE,
    FOLD_CONFUSIONS,
    KNOWN_BRANDS,
    MAC,
    MODEL_LABELS,
    OTHER_LABELS,
    SERIAL_LABELS,
    SIGN_LETTERS,
    canonical,
    fold,
    is_serial,
)
from ocr.page import page_text
from ocr.types import Word

# on a label, an ampersand too is a glyph the recogniser could not place ('PFR4&CKVW')
LABEL_STRAY_MARKS = STRAY_MARKS + "&"


def line_text(words: Sequence[Word]) -> str:
    """The words' text, line by line, each left to right."""
    return page_text(sorted(words, key=lambda w: (w.line, w.left)))


def _rows(words: Sequence[Word]) -> list[list[Word]]:
    """Words grouped into visual rows (vertical overlap), each left to right."""
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.top + w.height / 2):
        cy = w.top + w.height / 2
        for row in rows:
            ref = row[0]
            if abs(cy - (ref.top + ref.height / 2)) <= 0.5 * max(ref.height, w.height):
                row.append(w)
                break
        else:
            rows.append([w])
    return [sorted(r, key=lambda w: w.left) for r in rows]


def _match(words: Sequence[Word], vocabulary: Iterable[str]) -> tuple[str, int] | None:
    """The label of vocabulary read closest at the start of words, the longer on a tie:
    (label, words used). A long label matches nearly, so a short word after it ('Numero di
    serie: 0144 A3AHVWD8', a serial printed in groups) would match too, only less closely."""
    best: tuple[float, int, str] | None = None
    texts = [fold(w.text) for w in words[:5]]
    for used in range(1, len(texts) + 1):
        joined = " ".join(t for t in texts[:used] if t)
        if not joined:
            continue
        for label in vocabulary:
            n = len(label)
            score = (100.0 if joined == label else 0.0) if n <= 4 else fuzz.ratio(joined, label)
            if score >= (88 if n <= 11 else 84) and (best is None or (score, used) >= best[:2]):
                best = (score, used, label)
    return (best[2], best[1]) if best else None


def _glued(word: Word) -> tuple[str, str] | None:
    """'S/N:PF3ABCDE' read as one word: (label, value)."""
    m = re.match(r"^(S/?N|SN|S\.N\.)[:#.]+(.+)$", word.text, re.IGNORECASE)
    return (m.group(1), m.group(2)) if m else None


@dataclass(frozen=True)
class TextSerial:
    """A serial read from the label text: its value, the label printed before it, its word,
    and how far the reading is to be trusted."""

    value: str
    confidence: float
    label: str  # the label as printed before it
    word: Word
    doubtful: bool = True
    notes: tuple[str, ...] = ()  # what the glyph check settled or could not settle
    garbled: str = ""  # the word as first read, when stray marks inside it had to go
    fits: bool = True  # as many glyphs on the line as characters read (or not checked)
    seconded: bool = False  # of two readings that differ, the one a third reading repeats
    verified: bool = False  # every glyph checked and none contradicts the reading
    counted: bool = False  # its glyphs were counted on the line, as many as its characters
    cuts: int = 0  # glyphs cut from touching blobs to fit the reading (fewer: a likelier count)
    spanned: bool = False  # the label's whole line to its right, kept only if read again as a serial


def _pieced(words: Sequence[Word], settings: LabelSettings) -> Word:
    """The first word joined with the pieces that follow it closely on its line: a serial
    tesseract split ('FOC2040F' 'NTD', 'DF' '7BSSGCPZMZ'). A piece counts when the gap before
    it is under ``join_gap`` of the glyph height, or under ``join_gap_loose`` when the word
    is no serial without it, or a short one (blurred bold print splits at an F's open side:
    'AFS31F' '761285'), and is one with it."""
    joined = words[0]
    for piece in words[1:]:
        gap = piece.left - (joined.left + joined.width)
        h = min(joined.height, piece.height)
        if gap < -0.3 * h:
            continue  # above or below the word, not after it: another line's ('MEETINGS')
        text = piece.text.strip(EDGE).translate(SIGN_LETTERS)
        if not text or not text.isalnum():
            break
        merged = union(joined, piece)
        if gap <= settings.join_gap * h or (
                gap <= settings.join_gap_loose * h
                and len(is_serial(joined.text, settings) or "") < settings.full_serial_len
                and is_serial(merged.text, settings) is not None):
            joined = merged
        else:
            break
    return joined


def union(a: Word, b: Word) -> Word:
    """Two words as one: texts joined, boxes united, the lower confidence."""
    left, top = min(a.left, b.left), min(a.top, b.top)
    right, bottom = max(a.left + a.width, b.left + b.width), max(a.top + a.height, b.top + b.height)
    return Word(a.text.rstrip(EDGE) + b.text.strip(EDGE), min(a.confidence, b.confidence),
                left, top, right - left, bottom - top, a.line)


def _beside(label: Sequence[Word], words: Sequence[Word]) -> list[Word]:
    """The words on a label's line to its right, further labels and separators skipped."""
    last = label[-1]
    h = max(w.height for w in label)
    right, cy = last.left + last.width, last.top + last.height / 2
    beside = sorted((w for w in words if w not in label and right - 0.3 * h <= w.left
                     and abs(w.top + w.height / 2 - cy) <= 0.8 * max(h, w.height)), key=lambda w: w.left)
    reach = right  # the words looked at end 14 glyphs past the last label skipped
    while beside and (not beside[0].text.strip(EDGE) or _match(beside, SERIAL_LABELS)):
        more = _match(beside, SERIAL_LABELS) if beside[0].text.strip(EDGE) else None
        skipped, beside = beside[:more[1] if more else 1], beside[more[1] if more else 1:]
        reach = max(reach, *(w.left + w.width for w in skipped))
    return [w for w in beside if w.left <= reach + 14 * h]


def _span_after(label: Sequence[Word], words: Sequence[Word]) -> Word | None:
    """All the words on a label's line to its right as one, when there are several: a serial
    whose middle glare faded away reads as pieces too far apart to join ('803' '8BCC842B3')."""
    beside = _beside(label, words)
    return reduce(union, beside) if len(beside) >= 2 else None


def _value_after(label: Sequence[Word], words: Sequence[Word], settings: LabelSettings) -> Word | None:
    """The word printed after a label: on its line to the right (further labels and
    separators skipped, 'S/N · Seriennummer:'), else right under it."""
    first, last = label[0], label[-1]
    h = max(w.height for w in label)
    beside = _beside(label, words)
    if beside:
        return _pieced(beside, settings)
    bottom = last.top + last.height
    limit = last.left + last.width + 14 * h
    below = [w for w in words if w not in label and -0.2 * h <= w.top - bottom <= 2.5 * h
             and first.left - 2 * h <= w.left <= limit and w.text.strip(EDGE)]
    if not below:
        return None
    under = min(below, key=lambda w: (w.top, w.left))
    cy = under.top + under.height / 2
    after = sorted((w for w in words if w.left > under.left and w not in label
                    and abs(w.top + w.height / 2 - cy) <= 0.5 * max(under.height, w.height)), key=lambda w: w.left)
    return _pieced([under, *after], settings)  # a serial under its label split too ('PF' 'XIM66')


def _serial_or_garbled(text: str, settings: LabelSettings) -> tuple[str, str] | None:
    """The word as a serial and, when only stray marks inside it ('2432LZ\\VLT8I': a
    smeared L read as a backslash) or a sign read for a letter ('¢' for C) kept it from
    being one, the word as read."""
    if value := is_serial(text, settings):
        return value, (text if text.translate(SIGN_LETTERS) != text else "")
    inner = text.strip(EDGE)
    if not 0 < sum(c in LABEL_STRAY_MARKS for c in inner) <= settings.max_stray_marks:
        return None
    # a closing bracket with no opening one may be a J ('2319)/GU22755': J read as ')/'),
    # which is_serial reads once the other marks are gone; else every mark goes
    j_like = {c for c, opening in OPENING_BRACKETS.items() if c in inner and opening not in text}
    without_j = [LABEL_STRAY_MARKS.translate({ord(c): None for c in j_like})] if j_like else []
    for marks in [*without_j, LABEL_STRAY_MARKS]:
        if value := is_serial("".join(c for c in inner if c not in marks), settings):
            return value, text
    return None


def serial_after_labels(words: Sequence[Word], settings: LabelSettings) -> list[TextSerial]:
    """Serials printed after a serial label, on its line or right under it."""
    out: list[TextSerial] = []
    for row in _rows(words):
        i = 0
        while i < len(row):
            glued = _glued(row[i])
            if glued and (value := is_serial(glued[1], settings)):
                out.append(TextSerial(value, row[i].confidence, glued[0] + ":", row[i]))
                i += 1
                continue
            hit = _match(row[i:], SERIAL_LABELS)
            if hit is None:
                i += 1
                continue
            label = row[i:i + hit[1]]
            word = _value_after(label, words, settings)
            found = _serial_or_garbled(word.text, settings) if word is not None else None
            if found is not None:
                value, garbled = found
                out.append(TextSerial(value, word.confidence, " ".join(w.text for w in label), word,
                                       garbled=garbled))
            elif (span := _span_after(label, words)) is not None:
                out.append(TextSerial(canonical(span.text), span.confidence, " ".join(w.text for w in label),
                                       span, garbled=span.text, spanned=True))
            i += hit[1]
    return out


def serial_shaped(words: Sequence[Word], settings: LabelSettings) -> list[TextSerial]:
    """The one serial-shaped word of a label whose serial label was not read (a table cell
    OCR dropped, a label blurred away): letters and digits, long enough, not a MAC address
    nor a value the label names otherwise (part number, model ...). Always in doubt."""
    found = []
    for w in words:
        value = is_serial(w.text, settings)
        if (value is None or len(value) < settings.shaped_serial_min_len or "-" in value
                or not any(c.isalpha() for c in value) or sum(c.isdigit() for c in value) < 2
                or MAC.match(value) or role_in_text(value, words) is not None):
            continue
        found.append(TextSerial(value, w.confidence, "", w))
    return found if len(found) == 1 else []


def _near_text(value: str, words: Sequence[Word]) -> Word | None:
    """The word printing value (a code's human-readable line), tolerating OCR confusions."""
    target = canonical(value).translate(FOLD_CONFUSIONS)
    for w in words:
        if canonical(w.text.strip(EDGE)).translate(FOLD_CONFUSIONS) == target:
            return w
    return None


def role_in_text(value: str, words: Sequence[Word]) -> str | None:
    """What the text says a code's value is, when it is not the serial: 'MAC address' ..."""
    hri = _near_text(value, words)
    if hri is not None:
        for row in _rows(words):
            if hri not in row:
                continue
            before = row[:row.index(hri)]
            for j in range(len(before)):
                hit = _match(before[j:], OTHER_LABELS.keys())
                if hit and j + hit[1] == len(before):
                    return OTHER_LABELS[hit[0]]
    if MAC.match(canonical(value)) and any(fold(w.text) == "mac" for w in words):
        return "MAC address"
    return None


def brand_of(words: Sequence[Word]) -> str | None:
    """The known brand printed among the words (one word or two; names of three letters or
    fewer exactly, longer ones nearly), the closest match, the longer name on a tie; None
    when none is."""
    best: tuple[float, str] | None = None
    for i in range(len(words)):
        for n in (1, 2):
            text = " ".join(x.text for x in words[i:i + n]).strip(EDGE)
            if len(text) < 2:
                continue
            for brand in KNOWN_BRANDS:
                if len(brand) <= 3:
                    score = 100.0 if text == brand or text == brand.upper() else 0.0
                else:
                    score = fuzz.ratio(text.lower(), brand.lower())
                if score >= 86 and (best is None or (score, len(brand)) > (best[0], len(best[1]))):
                    best = (score, brand)
    return best[1] if best else None


def model_of(words: Sequence[Word]) -> str | None:
    """The model printed after a model label (further model labels skipped): its words up
    to a wide gap or another label; None when no model label is read."""
    for row in _rows(words):
        for i in range(len(row)):
            hit = _match(row[i:], MODEL_LABELS)
            if hit is None:
                continue
            rest = row[i + hit[1]:]
            while rest and (not rest[0].text.strip(EDGE) or _match(rest, MODEL_LABELS)):
                more = _match(rest, MODEL_LABELS)
                rest = rest[more[1] if more and rest[0].text.strip(EDGE) else 1:]
            value: list[Word] = []
            for w in rest:
                gap_ref = value[-1] if value else row[i + hit[1] - 1]
                if w.left - (gap_ref.left + gap_ref.width) > 3 * gap_ref.height:
                    break
                if _match([w], OTHER_LABELS.keys()) and value:
                    break
                value.append(w)
            text = " ".join(w.text for w in value).strip(EDGE + " ")
            if text:
                return text
    return None
