"""The label read as a page (stages 4 to 6 of :mod:`ocr.device_label`): its codes decoded on it
(:func:`decode_label`), and its print OCR'd the right way up (:func:`read_upright`) after it is
scaled to a legible glyph size, its light flattened, its codes masked and its rules erased
(:class:`Page`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np
from PIL import Image

from ocr import barcodes, preprocess, tesseract
from ocr.bar_blocks import bar_blocks
from ocr.barcodes import Symbol
from ocr.label_text import serial_after_labels
from ocr.label_types import LabelSettings
from ocr.label_vocabulary import EDGE
from ocr.types import OcrSettings, Word

RULE_SIDE_INK = 0.3  # a run with more ink than this on both sides is print run together,
RULE_MAX_THICKNESS = 0.35  # as is one thicker than this share of the glyph height
RULE_MAX_UNEVENNESS = 0.25  # whose thickness varies more than this share along it
# ... or that thick and shorter than this many glyph heights: a word's blurred letters run
# together measured 6-12 glyph heights long, the thick rules of frames and tables 29 and more
THICK_RULE_MIN_LENGTH = 20.0


# --------------------------------------------------------------------------- codes on the label


def _moved(symbols: Iterable[Symbol], matrix: np.ndarray) -> tuple[Symbol, ...]:
    out = []
    for s in symbols:
        pts = cv2.perspectiveTransform(np.float32(s.corners).reshape(-1, 1, 2), matrix).reshape(-1, 2)
        out.append(replace(s, corners=tuple((float(x), float(y)) for x, y in pts)))
    return tuple(out)


def _turned(symbols: Iterable[Symbol], k: int, width: int, height: int) -> tuple[Symbol, ...]:
    """Symbols after np.rot90(image, k) (k quarter turns counter-clockwise)."""
    return tuple(
        replace(s, corners=tuple(barcodes.turn_point(x, y, k, width, height) for x, y in s.corners),
                orientation=(s.orientation - 90 * k + 180) % 360 - 180)
        for s in symbols
    )


def decode_label(work: np.ndarray, crop: np.ndarray, matrix: np.ndarray, on_label: bool,
                  found: tuple[Symbol, ...], settings: LabelSettings,
                  whole_photo: bool = True) -> tuple[tuple[Symbol, ...], tuple[Symbol, ...]]:
    """Every code on the label (corners in the label's pixels), and codes found off it.

    The photo as is was decoded already (``found``); the label is decoded as warped, then,
    while it shows fewer than ``codes_expected`` codes, enlarged, sharpened, equalised and
    binarised; the whole photo's variants are tried last, when nothing decoded at all.
    """
    label = barcodes.decode(crop, "label") if on_label else ()
    known = _merge(label, _moved(found, matrix))
    if on_label and len(known) < settings.codes_expected:
        label = _merge(label, barcodes.decode_hard(crop, known, settings.codes_expected))
    if on_label and len(_merge(label, known)) < settings.codes_expected:
        label = _merge(label, _bar_codes(crop, _merge(label, known), settings))
    if not label and not found and whole_photo:
        found = barcodes.decode_hard(work)
    moved = _moved(found, matrix)
    h, w = crop.shape
    inside = [s for s in moved if all(-5 <= x <= w + 5 and -5 <= y <= h + 5 for x, y in s.corners)]
    symbols = _merge(label, inside)
    keys = {(s.format, s.text) for s in symbols}
    return symbols, tuple(s for s in found if (s.format, s.text) not in keys)


def _bar_codes(crop: np.ndarray, known: tuple[Symbol, ...], settings: LabelSettings) -> tuple[Symbol, ...]:
    """Barcodes on the label read from their bars averaged into one line, the label
    enlarged to the glyph size it is read at (light print on a dark label inverted)."""
    gray, factor, glyph = _legible(255 - crop if _dark_label(crop) else crop, True, settings, least=1.0)
    if not glyph:
        return ()
    return barcodes.decode_bar_blocks(_flatten(gray), glyph * factor, factor, known)


def _merge(first: Iterable[Symbol], then: Iterable[Symbol]) -> tuple[Symbol, ...]:
    seen: dict[tuple[str, str], Symbol] = {}
    for s in (*first, *then):
        seen.setdefault((s.format, s.text), s)
    return tuple(seen.values())


# --------------------------------------------------------------------------- OCR


def glyph_height(gray: np.ndarray) -> float:
    """Median height of the glyph-like dark blobs of a label (a few words: 10 blobs suffice;
    0 when there are fewer)."""
    return preprocess.glyph_height(gray, least_px=4, most_px=150, widest=1.5, fewest=10)


def _flatten(gray: np.ndarray) -> np.ndarray:
    """Even out the light: divide by the paper's brightness (a closing wider than glyphs,
    computed on a reduced copy)."""
    f = min(1.0, 500 / max(gray.shape))
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else gray
    k = max(9, round(max(small.shape) / 25)) | 1
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    bg = cv2.GaussianBlur(bg, (0, 0), k / 3)
    bg = cv2.resize(bg, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    out = gray.astype(np.float32) / np.maximum(bg.astype(np.float32), 1.0) * 255.0
    return np.clip(out, 0, 255).astype(np.uint8)


def _stretch(gray: np.ndarray) -> np.ndarray:
    """Stretch the grey levels between the 1st and 99th percentile."""
    lo, hi = np.percentile(gray[::4, ::4], (1, 99))
    if hi - lo < 10:
        return gray
    out = (gray.astype(np.float32) - lo) * (255.0 / (hi - lo))
    return np.clip(out, 0, 255).astype(np.uint8)


def _quieted(gray: np.ndarray, max_noise: float) -> np.ndarray:
    """A photo whose grain (mean difference from its 3x3 median) exceeds max_noise, median
    filtered: tesseract's layout analysis of a dim photo's stretched grain takes a minute
    and reads nothing, past its timeout."""
    smooth = cv2.medianBlur(gray, 3)
    grain = float(np.mean(cv2.absdiff(gray, smooth)))
    return smooth if grain > max_noise else gray


def _dark_label(gray: np.ndarray) -> bool:
    """Light print on a dark label (most pixels dark, the print the minority)."""
    _, th = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return float((th > 0).mean()) < 0.4


def engine(settings: LabelSettings) -> OcrSettings:
    """The OCR settings of label reading: tesseract's, with the label's timeout per call."""
    return replace(settings.ocr, page_timeout_s=settings.ocr_timeout_s)


@dataclass(frozen=True)
class Page:
    """The label as OCR'd: image (upright, scaled), words, and the codes on it."""

    image: np.ndarray
    words: tuple[Word, ...]
    symbols: tuple[Symbol, ...]
    turns: int  # quarter turns counter-clockwise applied to the warped label
    scale: float = 1.0  # page pixels per pixel of the photo as read (work_side_px)


def _legible(gray: np.ndarray, on_label: bool, settings: LabelSettings,
             least: float = 0.5) -> tuple[np.ndarray, float, float]:
    """The image scaled so that its glyphs stand ``target_glyph_px`` tall (a label enlarged
    at most ``max_enlarge`` times, a photo never; never below ``least``): the image, the
    factor and the glyph height measured before. A label whose glyphs could not be measured
    (too small to stand apart) is enlarged as far as allowed."""
    glyph = glyph_height(gray)
    factor = settings.target_glyph_px / glyph if glyph else settings.max_enlarge if on_label else 1.0
    factor = min(factor, settings.max_enlarge if on_label else 1.0,
                 (settings.max_ocr_side_px if on_label else settings.max_photo_ocr_side_px) / max(gray.shape))
    factor = max(factor, least)
    if abs(factor - 1) <= 0.1:
        return gray, 1.0, glyph
    return cv2.resize(gray, None, fx=factor, fy=factor,
                      interpolation=cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA), factor, glyph


def _prepare(crop: np.ndarray, symbols: Sequence[Symbol], on_label: bool,
             settings: LabelSettings) -> tuple[np.ndarray, float]:
    """Scale the label to a legible glyph size, invert light print, flatten light, mask codes.
    A photo where no label was found is only contrast-stretched, never enlarged."""
    if on_label and _dark_label(crop):
        crop = 255 - crop
    crop, factor, glyph = _legible(crop, on_label, settings)
    out = _flatten(crop) if on_label else _quieted(_stretch(crop), settings.photo_max_noise)
    if on_label and settings.sharpen > 0:
        soft = cv2.GaussianBlur(out, (0, 0), settings.sharpen_sigma_px)
        out = cv2.addWeighted(out, 1 + settings.sharpen, soft, -settings.sharpen, 0)
    for s in symbols:
        pts = np.float32([(x * factor, y * factor) for x, y in s.corners])
        centre = pts.mean(axis=0)
        grown = centre + (pts - centre) * 1.06 + np.sign(pts - centre) * 3
        cv2.fillPoly(out, [cv2.convexHull(grown.astype(np.int32))], 255)
    if on_label:
        _mask_bars(out, glyph * factor)
        out = _erase_rules(out, glyph * factor)
    return out, factor


def _mask_bars(gray: np.ndarray, glyph_px: float) -> None:
    """Whiten, in place, the barcodes that did not decode (their bars would swallow the
    print beside them)."""
    pad = round(0.15 * glyph_px)
    for x, y, w, h in bar_blocks(gray, glyph_px):
        gray[max(0, y - pad):y + h + pad, max(0, x - pad):x + w + pad] = 255


def _erase_rules(gray: np.ndarray, glyph_px: float) -> np.ndarray:
    """Whiten long straight lines (frames, table rules, bars) that glue onto the print. A run
    with ink close above and below it along its length is print (blurred bold letters run
    together), not a rule, and stays."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    length = max(40, min(gray.shape) // 6)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    found = cv2.bitwise_or(_rules_only(horizontal, ink, glyph_px, 0),
                           _rules_only(vertical, ink, glyph_px, 1))
    rules = cv2.dilate(found, np.ones((3, 3), np.uint8))
    out = gray.copy()
    out[rules > 0] = 255
    return out


def _ragged(run: np.ndarray, axis: int) -> bool:
    """Whether a run's thickness varies along it as print's does (a rule, even smeared by a
    shake, is evenly thick)."""
    thickness = run.sum(axis=axis).astype(np.float64)
    return bool(thickness.std() > RULE_MAX_UNEVENNESS * max(thickness.mean(), 1.0))


def _rules_only(runs: np.ndarray, ink: np.ndarray, glyph_px: float, axis: int) -> np.ndarray:
    """The runs (long straight ink) that are thin and have paper on at least one side: a rule
    of a frame or table, not a line of print run together (``axis`` 0: horizontal runs, 1: vertical)."""
    if not cv2.countNonZero(runs):
        return runs
    band = max(2, round(0.5 * glyph_px)) if glyph_px else 0
    count, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    keep = np.zeros(count, np.uint8)
    h, w = ink.shape
    for i in range(1, count):
        x, y, bw, bh = (int(v) for v in stats[i, :4])
        if glyph_px and (bh if axis == 0 else bw) > RULE_MAX_THICKNESS * glyph_px and (
                (bw if axis == 0 else bh) < THICK_RULE_MIN_LENGTH * glyph_px
                or _ragged(labels[y:y + bh, x:x + bw] == i, axis)):
            continue  # as thick as print, and as short as a word or as uneven: letters run together
        if band:
            if axis == 0:
                sides = (ink[max(0, y - band):y, x:x + bw], ink[y + bh:min(h, y + bh + band), x:x + bw])
            else:
                sides = (ink[y:y + bh, max(0, x - band):x], ink[y:y + bh, x + bw:min(w, x + bw + band)])
            if all(side.size and side.mean() / 255 > RULE_SIDE_INK for side in sides):
                continue
        keep[i] = 255
    return keep[labels]


def _ocr_score(words: Sequence[Word], settings: LabelSettings) -> float:
    good = [w for w in words if len(w.text.strip(EDGE)) >= 2 and w.confidence >= 60]
    labelled = any(serial_after_labels(words, settings))
    return sum(w.confidence for w in good) / 100 + (10 if labelled else 0)


def read_turned(crop: np.ndarray, symbols: tuple[Symbol, ...], k: int, on_label: bool, lang: str,
                 settings: LabelSettings, psm: int | None = None) -> Page:
    """The label turned ``k`` quarter turns counter-clockwise, prepared and OCR'd (page
    segmentation ``psm``, else the label's or the photo's), its codes turned and scaled with
    it; a reading past its timeout has no words."""
    h, w = crop.shape
    turned = np.ascontiguousarray(np.rot90(crop, k)) if k % 4 else crop
    moved = _turned(symbols, k, w, h) if k % 4 else symbols
    image, factor = _prepare(turned, moved, on_label, settings)
    if psm is None:
        psm = settings.label_psm if on_label else settings.photo_psm
    try:
        words = tesseract.recognise(Image.fromarray(image), lang, engine(settings), psm=psm)
    except tesseract.OcrTimeout:
        words = ()
    scaled = tuple(replace(s, corners=tuple((x * factor, y * factor) for x, y in s.corners)) for s in moved)
    return Page(image, words, scaled, k % 4, factor)


def read_upright(crop: np.ndarray, symbols: tuple[Symbol, ...], on_label: bool, lang: str,
                 settings: LabelSettings) -> Page:
    """OCR the label the right way up: the codes' orientation says which way, else the
    first reading that finds a serial label and some words, the likelier turns first
    (portrait labels turned a quarter), the best of them when none does (a label whose
    print fills only part of it may stand the other way than its outline)."""
    if symbols:
        k = round(symbols[0].orientation / 90) % 4  # zxing: degrees clockwise
        return read_turned(crop, symbols, k, on_label, lang, settings)
    h, w = crop.shape
    order = (1, 3, 0, 2) if h > 1.15 * w else (0, 2, 1, 3)
    pages: list[Page] = []
    for k in order[:4 if on_label else 1]:
        page = read_turned(crop, symbols, k, on_label, lang, settings)
        if _ocr_score(page.words, settings) >= 10 + settings.upright_words:  # a serial label and words
            return page
        pages.append(page)
    return max(pages, key=lambda p: _ocr_score(p.words, settings))
