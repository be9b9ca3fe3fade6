"""Reading the label on the back of a replaced device: its serial, brand and model.

The stages, top to bottom (:func:`read_device_label`):

1. open the photo (EXIF orientation applied) and scale it to ``work_side_px``
   (:mod:`ocr.label_find`);
2. decode every barcode and QR code on the whole photo (zxing-cpp, :mod:`ocr.barcodes`);
3. find the label (:func:`ocr.label_find.find_label`): the rectangle of paper holding the most
   print and the codes, or a block of dense print where no paper stands out (white label on a
   light device, black label), and warp it upright (perspective), then straighten what tilt
   remains by its text lines;
4. decode the codes again on the label, and on enlarged, sharpened, equalised and
   binarised variants while fewer than ``codes_expected`` decoded
   (:func:`ocr.label_ocr.decode_label`);
5. turn it upright: by the codes' orientation, else by reading it both ways
   (:func:`ocr.label_ocr.read_upright`);
6. OCR it (scaled to a legible glyph size, light flattened, sharpened, codes masked,
   frame and table rules erased; :mod:`ocr.label_ocr`);
7. find the serial after its label (S/N, Serial No., Seriennummer, N° de série, Matricola,
   Número de serie, Serienummer ...), beside or under it (:mod:`ocr.label_text`); read it a
   second time on its own line (serial characters only) and check it glyph by glyph
   (:mod:`ocr.label_reread`, :mod:`ocr.serial_glyphs`); when the label region holds no
   serial, read the whole photo;
8. fuse (:func:`ocr.label_fuse.fuse`): a code agreeing with the text is certain; a code whose
   payload names the serial, or the one value the codes carry, next; text alone last, with
   its OCR confidence and its doubt. Codes that the text names a MAC address or a part
   number, and MAC-shaped codes beside others, are no serials; disagreements are findings.

This module keeps the public API and the orchestration of the stages. The settings and the
serial evidence are in :mod:`ocr.label_types`, the labels' vocabulary and what a serial
looks like in :mod:`ocr.label_vocabulary`; both are exported here.

Pure: a path or bytes in, frozen values out. Never raises for a bad file (it reads
``unreadable``); raises EngineMissingError when tesseract is not installed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ocr import barcodes, tesseract
from ocr.barcodes import Symbol
from ocr.label_find import deskew, find_label, grown, limit, open_photo, warp
from ocr.label_fuse import fuse, grade, shaped
from ocr.label_ocr import Page, decode_label, read_turned, read_upright
from ocr.label_reread import glyph_reader, texts_checked
from ocr.label_text import TextSerial, brand_of, line_text, model_of
from ocr.label_types import LabelSettings, SerialEvidence
from ocr.label_vocabulary import CONFUSION_PAIRS, canonical, confusable_equal, fold
from ocr.media import media_type_of, sniff_media_type
from ocr.motion import deblurred, motion_blur
from ocr.photo_print import NO_PRINTS, PhotoPrints, photo_prints
from ocr.serial_shapes import brand_by_shape
from ocr.types import UnreadableFile

__all__ = [
    "LabelReading",
    "LabelSettings",
    "SerialEvidence",
    "canonical",
    "fold",
    "fuse",
    "glyph_reader",
    "read_device_label",
    "serial_matches",
]


@dataclass(frozen=True)
class LabelReading:
    """What the photo of a device's label says."""

    serials: tuple[SerialEvidence, ...]  # best first: a code agreeing with the text first
    brand: str | None  # as printed, when found
    model: str | None
    text: str  # the label's OCR text
    quality: str  # 'ok' | 'poor' | 'illegible' | 'unreadable'
    findings: tuple[str, ...]  # what a reviewer should know (disagreements, codes skipped)
    prints: PhotoPrints = NO_PRINTS  # to recognise the same photo submitted again
    media_type: str = "unknown"  # as sniffed from the file's first bytes

    @property
    def best(self) -> SerialEvidence | None:
        """The strongest serial evidence, None when no serial was read."""
        return self.serials[0] if self.serials else None


DEFAULT_SETTINGS = LabelSettings()


# --------------------------------------------------------------------------- the stages


def _serial_elsewhere(work: np.ndarray, page: Page, on_label: bool, lang: str, settings: LabelSettings,
                      notes: list[str]) -> tuple[Page, list[TextSerial], list[str]]:
    """No serial label read on the label (or on the photo, read as a page): the whole photo
    read as a page, then the label's one serial-shaped word, then the whole photo read as
    sparse text (a dim label's print is lost in a page layout)."""
    texts: list[TextSerial] = []
    findings: list[str] = []
    if on_label:
        whole = read_turned(work, (), page.turns, False, lang, settings, settings.photo_psm)
        texts, findings = texts_checked(whole, lang, settings)
        if texts:
            notes.append("the serial was found outside the region taken for the label")
            return whole, texts, findings
    texts, findings = texts_checked(page, lang, settings, shaped=True)
    if texts:
        return page, texts, findings
    sparse = read_turned(work, (), page.turns, False, lang, settings, settings.label_psm)
    found, more = texts_checked(sparse, lang, settings)
    if found:
        if on_label:
            notes.append("the serial was found outside the region taken for the label")
        return sparse, found, more
    return page, texts, findings


@dataclass(frozen=True)
class _RegionReading:
    """The label region read once: the page, the codes (on it and elsewhere in the photo),
    the text serials and what their readings found."""

    page: Page
    symbols: tuple[Symbol, ...]
    texts: list[TextSerial]
    findings: list[str]

    @property
    def settled(self) -> bool:
        """A code decoded, or a serial read without doubt."""
        return bool(self.symbols) or any(not t.doubtful for t in self.texts)

    def reads_better_than(self, other: _RegionReading) -> bool:
        """A code where the other has none, a serial where it has none, a serial without
        doubt where it has only doubtful ones, or, both in doubt, a more confident one."""
        if self.symbols and not other.symbols:
            return True
        if other.symbols:
            return False
        if self.texts and not other.texts:
            return True
        if not self.settled and not other.settled and self.texts:
            return self.confidence > other.confidence
        return self.settled and not other.settled

    @property
    def longest(self) -> int:
        """The length of its longest text serial (0 without any)."""
        return max((len(t.value) for t in self.texts), default=0)

    def serial_at_edge(self, glyphs: float) -> bool:
        """Whether a text serial's word ends within ``glyphs`` glyph heights of the page's
        left or right edge (the region may have cut it)."""
        width = self.page.image.shape[1]
        return any(t.word.left <= glyphs * t.word.height
                   or t.word.left + t.word.width >= width - glyphs * t.word.height for t in self.texts)

    @property
    def confidence(self) -> float:
        """The highest confidence of its text serials (0 without any)."""
        return max((t.confidence for t in self.texts), default=0.0)


def _read_region(work: np.ndarray, crop: np.ndarray, matrix: np.ndarray, on_label: bool,
                 found: tuple[Symbol, ...], lang: str, settings: LabelSettings,
                 whole_photo: bool = True) -> _RegionReading:
    """Decode the codes of the label region, read it upright and find its text serials.
    ``whole_photo``: decode the photo's image variants when nothing decoded (once a photo)."""
    on_page, outside = decode_label(work, crop, matrix, on_label, found, settings, whole_photo)
    page = read_upright(crop, on_page, on_label, lang, settings)
    texts, findings = texts_checked(page, lang, settings)
    return _RegionReading(page, (*page.symbols, *outside), texts, findings)


def _read_grown(work: np.ndarray, quad: np.ndarray, factor: float, symbols: tuple[Symbol, ...], lang: str,
                settings: LabelSettings) -> tuple[_RegionReading, np.ndarray]:
    """The label's region grown about its centre, read; and its image."""
    crop, matrix = deskew(*warp(work, grown(quad, factor, work.shape)), settings)
    return _read_region(work, crop, matrix, True, symbols, lang, settings, whole_photo=False), crop


def read_device_label(
    path: Path | str | bytes,
    settings: LabelSettings = DEFAULT_SETTINGS,
    languages: Sequence[str] = ("eng",),
) -> LabelReading:
    """Read the serial (codes and text), brand and model from the photo of a device's label.

    Never raises for a bad file (it reads 'unreadable'); raises EngineMissingError when
    tesseract or its language data is missing.
    """
    lang, missing = tesseract.resolve_languages(languages, settings.ocr)
    notes = [f"no tesseract data for {', '.join(missing)}"] if missing else []
    media_type = media_type_of(path[:1024]) if isinstance(path, bytes | bytearray) else sniff_media_type(Path(path))
    try:
        gray = open_photo(path, settings)
    except UnreadableFile as e:
        return LabelReading((), None, None, "", "unreadable", (str(e), *notes), media_type=media_type)
    work = limit(gray, settings.work_side_px)
    symbols = barcodes.decode(work)
    quad = find_label(work, symbols, settings)
    if quad is None:
        notes.append("no label found: the whole photo was read")
        crop, matrix = work, np.eye(3, dtype=np.float32)
    else:
        crop, matrix = warp(work, quad)
        crop, matrix = deskew(crop, matrix, settings)
    reading = _read_region(work, crop, matrix, quad is not None, symbols, lang, settings)
    if not reading.settled and (blur := motion_blur(crop, settings.motion)) is not None:
        sharp = deblurred(crop, blur, settings.motion)
        if quad is None:  # the whole photo is the region
            again = _read_region(sharp, sharp, matrix, False, barcodes.decode(sharp), lang, settings, False)
        else:
            again = _read_region(work, sharp, matrix, True, symbols, lang, settings, whole_photo=False)
        if again.reads_better_than(reading):
            reading = again
            notes.append(f"the photo is shaken (a smear of {blur.length:.0f} px): read with the smear undone")
    if quad is not None and not reading.symbols and reading.serial_at_edge(settings.edge_glyphs):
        again, crop2 = _read_grown(work, quad, settings.label_regrow, symbols, lang, settings)
        if again.longest > reading.longest or again.reads_better_than(reading):
            reading, crop = again, crop2
            notes.append("the serial ran to the edge of the region taken for the label: read wider")
    page, all_symbols, texts, text_findings = reading.page, reading.symbols, reading.texts, reading.findings
    if not texts and not all_symbols:
        page, texts, text_findings = _serial_elsewhere(work, page, quad is not None, lang, settings, notes)
    surest = max((t.confidence for t in texts), default=0.0)
    if surest < settings.text_min_confidence and not all_symbols and quad is not None:
        # no serial that counts: the region may be only part of the label (a dim label on a
        # device of its shade)
        again, crop2 = _read_grown(work, quad, settings.label_regrow_blind, symbols, lang, settings)
        if again.texts and again.confidence > surest:
            page, all_symbols, texts, text_findings = again.page, again.symbols, again.texts, again.findings
            crop = crop2
            notes.append("no serial in the region taken for the label: read wider")
    brand = brand_of(page.words)
    # a brand not printed (a logo) is told by the shape of the serials read with as many
    # glyphs as characters, when only one brand's fits
    shape_brand = brand or brand_by_shape([t.value for t in texts if t.fits], settings.serial_shapes)
    serials, findings = fuse(all_symbols, texts, page.words, settings, shape_brand)
    serials = tuple(shaped(e, shape_brand, settings, told=brand is None) for e in serials)
    findings = [*text_findings, *findings, *notes]
    if not serials:
        findings.insert(0, "no serial found on the label")
    text = line_text(page.words)
    label = np.ascontiguousarray(np.rot90(crop, page.turns)) if quad is not None else None
    return LabelReading(
        serials=serials,
        brand=brand,
        model=model_of(page.words),
        text=text,
        quality=grade(serials, page.words, findings),
        findings=tuple(findings),
        prints=photo_prints(work, label),
        media_type=media_type,
    )


# --------------------------------------------------------------------------- comparison


def serial_matches(
    declared: str, evidence: SerialEvidence, settings: LabelSettings = DEFAULT_SETTINGS
) -> tuple[bool, str]:
    """Compare a declared serial with what the photo says: (match, explanation).

    Exact (case, spaces and dashes aside) for barcodes, QR codes and text read without
    doubt; tolerant to OCR confusions (O/0, I/1, S/5, B/8, Z/2) only for text read with doubt.
    """
    how = f"{evidence.detail}" if evidence.source == "text" else evidence.detail
    read, wanted = canonical(evidence.value), canonical(declared)
    if not wanted:
        return False, f"no serial was declared; the photo reads {read} ({how})"
    if read == wanted:
        return True, f"the photo reads {read} ({how}), as declared"
    if evidence.source == "text" and evidence.doubtful and confusable_equal(read, wanted, settings.max_confusions):
        n = sum(a != b for a, b in zip(read, wanted, strict=True))
        return True, (f"the photo reads {read} ({how}, read with doubt), the declared {wanted} "
                      f"up to {n} OCR confusion{'s' if n > 1 else ''} ({CONFUSION_PAIRS})")
    exact = "exact comparison" if evidence.source != "text" or not evidence.doubtful else "even with OCR confusions"
    return False, f"the photo reads {read} ({how}), the declared serial is {wanted} ({exact})"
