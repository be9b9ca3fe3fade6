"""Text serials read again and checked (stage 7 of :mod:`ocr.device_label`, :func:`texts_checked`):
each read a second time on its own line (rules crossing it painted out, print leaning like
italics stood upright) and checked glyph by glyph (:mod:`ocr.serial_glyphs`); read again whole
where faded print carries on past it; read at other sizes and with another model where its
readings have more or fewer characters than glyphs."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import partial, reduce

import cv2
import numpy as np
from PIL import Image

from ocr import tesseract
from ocr.faded_print import even_ink, print_continues
from ocr.label_ocr import Page, engine
from ocr.label_text import TextSerial, serial_after_labels, serial_shaped, union
from ocr.label_types import LabelSettings
from ocr.label_vocabulary import EDGE, confusable_equal, is_serial
from ocr.serial_glyphs import GlyphReader, check_serial, has_dotted_zero, proportional_print
from ocr.types import Word

_WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"
# Around one word: a blob this many glyph heights long whose ink, spread along it, is at
# most this share of a glyph height thick (however slanted) is a rule, not print.
LINE_RULE_MIN_GLYPHS = 3.0
LINE_RULE_MAX_THICKNESS = 0.2


def _sheared(image: np.ndarray, shear: float, fill: int) -> np.ndarray:
    h, w = image.shape
    return cv2.warpAffine(image, np.float32([[1, shear, -shear * h / 2], [0, 1, 0]]), (w, h),
                          flags=cv2.INTER_LINEAR, borderValue=fill)


def _upright(crop: np.ndarray, settings: LabelSettings) -> np.ndarray:
    """A word's crop with its strokes stood upright: a label photographed at an angle leans
    its print like italics ('FOC1943HP68' read 'FOCIS43AP63' at confidence 0, and right
    when unsheared). The shear whose columns of ink are sharpest wins (the usual slant
    correction), if their sharpness climbs all the way to it from upright (a far peak past
    a dip only lines up diagonal strokes); slight ones are left alone."""
    ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    limit, steps = settings.max_shear, settings.shear_steps
    shears = np.linspace(-limit, limit, 2 * steps + 1)
    scores = [float((_sheared(ink, s, 0).astype(np.float64).sum(axis=0) ** 2).sum()) for s in shears]
    top = int(np.argmax(scores))
    best = float(shears[top])
    way = 1 if top > steps else -1
    climbs = all(scores[i + way] >= scores[i] for i in range(steps, top, way))
    if abs(best) < settings.min_shear or not climbs:
        return crop  # upright, or a far shear that only lines up diagonal strokes (V, X, 7)
    return _sheared(crop, best, int(np.percentile(crop, 90)))


def _without_rules(crop: np.ndarray, glyph_px: int) -> np.ndarray:
    """A word's crop with the rules that cross it apart from its print painted out: a table's
    border, slanted by the photo past the page's rule eraser, joins the glyphs' tops into one
    blob and drags the reading's confidence to nothing."""
    ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    rules = [i for i in range(1, count) if stats[i, cv2.CC_STAT_WIDTH] >= LINE_RULE_MIN_GLYPHS * glyph_px
             and stats[i, cv2.CC_STAT_AREA] <= LINE_RULE_MAX_THICKNESS * glyph_px * stats[i, cv2.CC_STAT_WIDTH]]
    if not rules:
        return crop
    out = crop.copy()
    out[np.isin(labels, rules)] = int(np.percentile(crop, 90))
    return out


def _second_reading(image: np.ndarray, word: Word, lang: str, settings: LabelSettings,
                    height_px: float = 40.0, binary: bool = False,
                    even: bool = False) -> tuple[str, float, np.ndarray] | None:
    """Read a serial's word again on its own: one line, serial characters only, its glyphs
    ``height_px`` high (``binary``: in black and white, Otsu's split; ``even``: faded print
    brought to full contrast first). Returns the text, its confidence and the line's image."""
    pad_x, pad_y = round(0.35 * word.height), round(0.45 * word.height)
    y0, y1 = max(0, word.top - pad_y), min(image.shape[0], word.top + word.height + pad_y)
    x0, x1 = max(0, word.left - pad_x), min(image.shape[1], word.left + word.width + pad_x)
    crop = image[y0:y1, x0:x1]
    if crop.size == 0:
        return None
    if even:
        crop = even_ink(crop, word.height)
    crop = _upright(_without_rules(crop, word.height), settings)
    f = height_px / max(word.height, 1)
    if abs(f - 1) > 0.15:
        crop = cv2.resize(crop, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC if f > 1 else cv2.INTER_AREA)
    if binary:
        crop = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    crop = cv2.copyMakeBorder(crop, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
    try:
        words = tesseract.recognise_line(Image.fromarray(crop), lang, engine(settings), _WHITELIST)
    except tesseract.OcrTimeout:
        return None
    if not words:
        return None
    text = "".join(w.text for w in words)
    return text, min(w.confidence for w in words), crop


def glyph_reader(lang: str, settings: LabelSettings) -> GlyphReader:
    """A reader of one glyph for check_serial: tesseract on the glyph alone (psm 10), only
    the characters of its look-alike class allowed."""

    def read(cell: np.ndarray, allowed: str) -> tuple[str, float] | None:
        f = min(4.0, max(0.5, settings.glyph_read_px / max(cell.shape[0] - 6, 1)))
        image = cv2.copyMakeBorder(cell, 8, 8, 8, 8, cv2.BORDER_CONSTANT, value=255)
        image = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC)
        read = tesseract.recognise_char(Image.fromarray(image), lang, engine(settings), allowed)
        return (read.text, read.confidence) if read else None

    return read


def _dotted_zeros(page: Page, skip: set[int]) -> bool:
    """Whether the label's other print marks its zeros with a dot or slash (a few words
    holding a zero, or an O among digits as in 'VO1', are looked at)."""
    words = [w for w in page.words if id(w) not in skip and w.confidence >= 30
             and re.fullmatch(r"[A-Z0-9]+", w.text) and re.search(r"0|O.*\d|\d.*O", w.text)][:4]
    for w in words:
        pad = round(0.3 * w.height)
        crop = page.image[max(0, w.top - pad):w.top + w.height + pad, max(0, w.left - pad):w.left + w.width + pad]
        if crop.size and has_dotted_zero(w.text, crop):
            return True
    return False


def _proportional_label(page: Page, t: TextSerial) -> bool:
    """Whether the words before a serial on its line (its label) are in proportional print."""
    if not t.label:
        return False
    mid = t.word.top + t.word.height / 2
    before = [w for w in page.words if w.left + w.width <= t.word.left and w.top <= mid <= w.top + w.height
              and t.word.left - w.left <= 15 * t.word.height]
    if not before:
        return False
    span = reduce(union, before)
    crop = page.image[max(0, span.top - 2):span.top + span.height + 2, max(0, span.left - 2):span.left + span.width + 2]
    return crop.size > 0 and proportional_print(crop)


def texts_checked(page: Page, lang: str, settings: LabelSettings,
                   shaped: bool = False) -> tuple[list[TextSerial], list[str]]:
    """Text serials, each read a second time on its own line and checked glyph by glyph.

    Readings that agree (or differ only in OCR-confusable characters) give one serial whose
    confusable characters the glyphs settle; it is read without doubt only when both
    readings are confident and every glyph fits. Readings that differ otherwise give two
    doubtful candidates, and a third when a third reading differs from both and fits its
    glyphs. ``shaped``: the serial is looked for by its shape, not its label.
    """
    out: list[TextSerial] = []
    findings: list[str] = []
    found = serial_shaped(page.words, settings) if shaped else serial_after_labels(page.words, settings)[:3]
    dotted = bool(found) and _dotted_zeros(page, {id(t.word) for t in found})
    alone = {"read_alone": glyph_reader("eng", settings),
             "alone_confidence": settings.glyph_alone_confidence}
    for t in found:
        checks = {**alone, "proportional_label": _proportional_label(page, t)}
        faded = _faded_reading(page, t, lang, settings, dotted, checks)
        if faded is not None:
            out.append(faded)
            continue
        again = _second_reading(page.image, t.word, lang, settings)
        second = is_serial(again[0], settings) if again else None
        if again is None or second is None or (t.spanned and again[1] < settings.text_min_confidence):
            if not t.spanned:
                out.append(replace(t, doubtful=True))
            continue
        text, confidence, line = again
        if t.garbled:  # the second reading, unless it is illegible or only the first fits its glyphs
            # a second reading that repeats the first bears it out, however faint it was
            options = [(second, confidence), (t.value, t.confidence)] if second != t.value \
                else [(second, max(confidence, t.confidence))]
            if confidence < settings.text_min_confidence <= t.confidence:
                options.reverse()
            checked = [(check_serial(v, line, t.word.height / page.scale, dotted, **checks), c) for v, c in options]
            check, confidence = next((c for c in checked if c[0].fits), checked[0])
            out.append(replace(t, value=check.value, confidence=round(confidence, 1), doubtful=True, fits=check.fits,
                               counted=check.fits, notes=(f"first read as '{t.garbled}'", *check.notes)))
            continue
        if second != t.value and not confusable_equal(second, t.value, len(second)):
            # the glyphs arbitrate: a reading with as many characters as glyphs goes first,
            # one whose every glyph fits before the others (all still doubtful)
            # a third reading, larger and in black and white, seconds the one it repeats
            third = _second_reading(page.image, t.word, lang, settings, settings.third_reading_px, True)
            tie_break = is_serial(third[0], settings) if third else None
            checked = partial(check_serial, gray=line, source_px=t.word.height / page.scale, dotted_zeros=dotted,
                              **checks)
            # (glyph check, confidence, seconded by the third reading)
            readings = [(checked(v), c, v == tie_break) for v, c in ((t.value, t.confidence), (second, confidence))]
            if tie_break not in (None, t.value, second) and third[1] >= settings.text_min_confidence:
                # a third value, as many characters as glyphs and none of them contradicting
                # it: a candidate of its own, in doubt and never verified, so that it ranks by
                # its confidence alone (a third reading 'A361QUANN7F' at 33 is no surer than the
                # first 'A36LOUANN7F' at 65)
                own = checked(tie_break)
                if own.fits and not own.contradictions:
                    readings.append((replace(own, doubtful=True), third[1], False))
            readings.sort(key=lambda r: (r[0].fits, -r[0].cuts, r[2], not r[0].doubtful, r[1]), reverse=True)
            refit = None if readings[0][0].fits else _refit(page, t, lang, settings, dotted, checks, third)
            if refit is not None:
                out.append(refit)
            for check, conf, seconded in readings:
                notes = (*check.notes, "a third reading agrees") if seconded else check.notes
                out.append(replace(t, value=check.value, confidence=round(conf, 1), doubtful=True, fits=check.fits,
                                   seconded=seconded, notes=notes, cuts=check.cuts, counted=check.fits,
                                   verified=check.fits and not check.doubtful))
            third_value = f" or {tie_break}" if len(readings) > 2 else ""
            findings.append(f"the serial reads {t.value} or {second}{third_value} (readings differ)")
            continue
        check = check_serial(second, line, t.word.height / page.scale, dotted, **checks)
        if not check.fits:
            refit = _bar_glued(page, t, line, dotted, checks) or _refit(page, t, lang, settings, dotted, checks)
            if refit is not None:
                out.append(refit)
                continue
        if not check.fits and confidence < settings.text_min_confidence <= t.confidence and second != t.value:
            # the glyphs cannot arbitrate and the second reading is illegible: the legible
            # first reading stands, in doubt ('2035LZH43jA8' at 76 against '2O3SLZH43JAB' at 0)
            note = f"read again as '{second}' (illegible, confidence {confidence:.0f}): the first reading stands"
            out.append(replace(t, doubtful=True, notes=(note, *check.notes), fits=False, counted=False))
            continue
        agreed = t.value in (second, check.value)  # the same, or the same once its glyphs are checked
        conf = max(t.confidence, confidence) if agreed else min(t.confidence, confidence)
        doubtful = (check.doubtful or min(t.confidence, confidence) < settings.text_sure_confidence
                    or not t.label)  # found by its shape alone
        notes = check.notes if check.value != t.value or check.doubtful else ()
        out.append(replace(t, value=check.value, confidence=round(conf, 1), doubtful=doubtful, notes=notes,
                           fits=check.fits, counted=check.fits))
    return out, findings


def _carried_on(page: Page, t: TextSerial) -> Word | None:
    """The serial's word stretched over print that carries on past its end, unread (glare
    faded the serial's last glyphs: 'A7877ZU' for A7877ZUV0S2); None when it ends there."""
    w = t.word
    others = [(o.left, o.top, o.width, o.height) for o in page.words
              if o.text.strip(EDGE) and (o.left >= w.left + w.width - 0.2 * w.height
                                          or o.left + o.width <= w.left + 0.2 * w.height)]
    more = print_continues(page.image, (w.left, w.top, w.width, w.height), others)
    if more is None:
        return None
    top = w.top + (w.height - more.glyph_px) // 2  # the box as tall as the print, not as tesseract's
    return Word(w.text, w.confidence, more.left, top, more.right - more.left, more.glyph_px, w.line)


def _faded_reading(page: Page, t: TextSerial, lang: str, settings: LabelSettings, dotted: bool,
                   checks: dict) -> TextSerial | None:
    """A serial whose print carries on past its reading, read again whole with faded print
    brought to full contrast: in doubt. None when the print ends with the reading, or the
    whole line is no confident serial longer than it."""
    whole = _carried_on(page, t)
    if whole is None:
        return None
    again = _second_reading(page.image, whole, lang, settings, even=True)
    value = is_serial(again[0], settings) if again else None
    if value is None or len(value) <= len(t.value) or again[1] < settings.text_min_confidence:
        return None
    value = _keep_first(t.value, value, before=whole.left < t.word.left)
    check = check_serial(value, again[2], t.word.height / page.scale, dotted, **checks)
    note = f"read as '{t.value}', its print carries on (faded); the whole line read again"
    return replace(t, value=check.value, word=whole, confidence=round(again[1], 1), doubtful=True,
                   fits=check.fits, notes=(note, *check.notes))


def _keep_first(first: str, whole: str, before: bool) -> str:
    """The whole line's reading with the part read first (its end, when the print carried on
    before it) as first read, at its own contrast, where the two differ in a character or
    two (O against 0 is left to the glyphs)."""
    n = len(first)
    part = whole[-n:] if before else whole[:n]
    if _differ_in(part, first) > 2:
        return whole
    kept = "".join(b if {a, b} == {"O", "0"} else a for a, b in zip(first, part, strict=True))
    return whole[:-n] + kept if before else kept + whole[n:]


def _differ_in(a: str, b: str) -> int:
    """Characters that differ between two readings of one length (their length when it differs)."""
    return sum(x != y for x, y in zip(a, b, strict=True)) if len(a) == len(b) else max(len(a), len(b))


def _bar_glued(page: Page, t: TextSerial, line: np.ndarray, dotted: bool, checks: dict) -> TextSerial | None:
    """A serial first read with a bar glued to its end ('1913LZ7F3KC|'), one glyph short: the
    bar was its last glyph, the one thin character (1, I, J, L) whose shape that glyph has, in
    doubt. None unless that makes as many characters as glyphs and one shape fits."""
    if not re.search(r"[A-Za-z0-9]\|$", t.word.text) or t.value.endswith("J"):
        return None
    last = f"position {len(t.value) + 1}:"
    fitting = []
    for thin in "1IJL":
        check = check_serial(t.value + thin, line, t.word.height / page.scale, dotted, **checks)
        if not check.fits:
            return None
        if not any(n.startswith(last) for n in check.notes):
            fitting.append(check)
    if len(fitting) != 1:
        return None
    note = f"read as '{t.word.text}': the bar glued to its end is its last glyph"
    return replace(t, value=fitting[0].value, doubtful=True, fits=True, notes=(note, *fitting[0].notes))


def _refit(page: Page, t: TextSerial, lang: str, settings: LabelSettings, dotted: bool,
           alone: dict, third: tuple[str, float, np.ndarray] | None = None) -> TextSerial | None:
    """Of further readings (other sizes, black and white, another language's model) of a
    serial whose readings have more or fewer characters than glyphs, the first that has as
    many: in doubt.

    The recogniser now and then reads a glyph twice, or invents one, the same way at one
    size and with one model, and not at others; the glyph count is the arbiter. ``third``:
    the third reading (``third_reading_px``, black and white), when already made.
    """
    other = "deu" if lang == "eng" else "eng"
    for px, binary, model in ((settings.third_reading_px, True, lang), (28.0, False, lang),
                              (40.0, False, other), (28.0, False, other)):
        first = third is not None and px == settings.third_reading_px and binary and model == lang
        again = third if first else _second_reading(page.image, t.word, model, settings, px, binary)
        value = is_serial(again[0], settings) if again else None
        if value is None or value == t.value or again[1] < settings.text_min_confidence:
            continue
        check = check_serial(value, again[2], t.word.height / page.scale, dotted, **alone)
        if check.fits:
            note = f"read as '{t.value}', a glyph too many or too few; read again as '{value}'"
            return replace(t, value=check.value, confidence=round(again[1], 1),
                           doubtful=True, fits=True, notes=(note, *check.notes))
    return None
