"""Reading the label on the back of a replaced device: its serial, brand and model.

The stages, top to bottom (:func:`read_device_label`):

1. open the photo (EXIF orientation applied) and scale it to ``work_side_px``;
2. decode every barcode and QR code on the whole photo (zxing-cpp, :mod:`ocr.barcodes`);
3. find the label (:func:`find_label`): the rectangle of paper holding the most print and
   the codes, or a block of dense print where no paper stands out (white label on a light
   device, black label), and warp it upright (perspective), then straighten what tilt
   remains by its text lines;
4. decode the codes again on the label, and on enlarged, sharpened, equalised and
   binarised variants while fewer than ``codes_expected`` decoded;
5. turn it upright: by the codes' orientation, else by reading it both ways;
6. OCR it (scaled to a legible glyph size, light flattened, sharpened, codes masked,
   frame and table rules erased);
7. find the serial after its label (S/N, Serial No., Seriennummer, N° de série, Matricola,
   Número de serie, Serienummer ...), beside or under it; read it a second time on its own
   line (serial characters only) and check it glyph by glyph (:mod:`ocr.serial_glyphs`);
   when the label region holds no serial, read the whole photo;
8. fuse (:func:`fuse`): a code agreeing with the text is certain; a code whose payload
   names the serial, or the one value the codes carry, next; text alone last, with its OCR
   confidence and its doubt. Codes that the text names a MAC address or a part number,
   and MAC-shaped codes beside others, are no serials; disagreements are findings.

Pure: a path or bytes in, frozen values out. Never raises for a bad file (it reads
``unreadable``); raises EngineMissingError when tesseract is not installed.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import reduce
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError
from rapidfuzz import fuzz

from ocr import barcodes, preprocess, tesseract
from ocr.bar_blocks import BARS_AVERAGED, bar_blocks
from ocr.barcodes import Symbol
from ocr.faded_print import even_ink, print_continues
from ocr.media import media_type_of, sniff_media_type
from ocr.motion import MotionSettings, deblurred, motion_blur
from ocr.page import page_text
from ocr.photo_print import NO_PRINTS, PhotoPrints, photo_prints
from ocr.serial_glyphs import GlyphReader, check_serial, has_dotted_zero, proportional_print
from ocr.serial_shapes import VENDOR_SHAPES, conform, has_shape, one_read_twice
from ocr.types import OcrSettings, UnreadableFile, Word

__all__ = [
    "LabelReading",
    "LabelSettings",
    "SerialEvidence",
    "read_device_label",
    "serial_matches",
]


@dataclass(frozen=True)
class LabelSettings:
    """Every knob of label reading, with the defaults measured by ``make bench-labels``."""

    ocr: OcrSettings = field(default_factory=OcrSettings)  # tesseract command, timeout, threads
    max_file_bytes: int = 40_000_000
    work_side_px: int = 2048  # photos are scaled down to this longer side before reading
    # finding the label (fractions of the photo's area)
    label_min_area: float = 0.01
    label_max_area: float = 0.9
    label_min_rectangularity: float = 0.75  # contour area / area of its rotated bounding box
    label_min_print: float = 0.02  # share of a region's pixels on print edges (else it is blank)
    label_paper_share: float = 0.85  # paper holding less than this share of a print block's print loses
    label_block_growth: float = 1.2  # a print block enclosing paper up to this much larger
    # and holding more print is the label (the paper's outline was fitted inside its edge)
    label_print_share: float = 0.95  # regions within this share of the most print: the smallest wins
    deskew_max_deg: float = 8.0  # residual tilt of the warped label straightened by text lines
    # a text serial within this many glyph heights of the region's side may have been cut:
    # the region grown this much is read too, and taken when it reads a longer serial
    edge_glyphs: float = 0.3
    label_regrow: float = 1.4
    label_regrow_blind: float = 4.0  # the region grown when it holds no serial at all
    codes_expected: int = 2  # fewer codes decoded on a label: its image variants are decoded too
    # OCR of the label
    target_glyph_px: float = 24.0  # median glyph height the label is scaled to
    max_enlarge: float = 3.5
    max_ocr_side_px: int = 3000
    max_photo_ocr_side_px: int = 2048  # a photo where no label was found is read at most this large
    max_shear: float = 0.45  # print leaning up to this (x per y) is stood upright before a serial is read again
    shear_steps: int = 9  # shears tried each way
    min_shear: float = 0.1  # leaning less is left alone
    photo_max_noise: float = 12.0  # grain (grey levels from the 3x3 median) past which a photo is smoothed first
    sharpen: float = 0.8  # unsharp mask on the scaled label (0: off)
    sharpen_sigma_px: float = 2.0
    label_psm: int = 11  # tesseract page segmentation of a label: sparse text
    # a turn of the label is taken without trying the others when its reading finds a serial
    # label and this many confident words (confidence-weighted): a label read upside down
    # yields a few confident scraps and now and then an 'N/S' that passes for 'S/N'
    upright_words: float = 12.0
    photo_psm: int = 3  # of a photo where no label was found: automatic (fast on bare plastic)
    ocr_timeout_s: float = 10.0  # per tesseract call; a label that takes longer reads as no text
    # text serials
    serial_min_len: int = 5
    serial_max_len: int = 24
    text_min_confidence: float = 10.0  # text serials read below this are not reported (all
    # text serials below text_sure_confidence are reported doubtful)
    text_sure_confidence: float = 85.0  # at or above, in both readings: read without doubt
    max_confusions: int = 3  # OCR-confusable characters a doubtful read may differ by
    # a label whose serial label was not read: its one word this long, of letters and digits
    # (no MAC, no value another label names), is its serial, in doubt
    shaped_serial_min_len: int = 8
    # a serial after its label read with up to this many stray marks inside (a backslash, a
    # bar) is read again on its own line, and that reading, in doubt, is taken
    max_stray_marks: int = 2
    # a serial split in pieces: pieces this close (share of the glyph height) are joined, or
    # this far apart when only the joined word is shaped like a serial (a word space: ~0.5)
    join_gap: float = 0.25
    join_gap_loose: float = 0.6
    full_serial_len: int = 8  # a serial shorter than this may be a piece: joined at the loose gap too
    # look-alikes of a text serial read alone (ocr.serial_glyphs.check_serial): the glyph
    # scaled to this height, one character of its class; a reading this confident settles it
    glyph_read_px: float = 30.0
    third_reading_px: float = 56.0  # two readings of a serial differ: a third, this large, in black and white
    glyph_alone_confidence: float = 70.0
    # a label read without a code or a serial free of doubt is read again with the shake
    # of the hand undone, when its cepstrum shows one (ocr.motion)
    motion: MotionSettings = field(default_factory=MotionSettings)
    # the serial shapes of vendors (ocr.serial_shapes): a text serial's look-alikes its
    # brand's shape rules out are turned into their twins, in doubt
    serial_shapes: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(VENDOR_SHAPES))


@dataclass(frozen=True)
class SerialEvidence:
    """One serial read from the photo, and how."""

    value: str
    source: str  # 'barcode' | 'qr' | 'text'
    confidence: float  # 100 for a decoded barcode/QR; the OCR word confidence for text
    detail: str  # e.g. 'Code128 barcode', 'QR code', "text after 'S/N:' (conf 87)"
    doubtful: bool = False  # read with doubt: the comparison tolerates OCR confusions, and
    # such a read never confirms a serial on its own


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

# --------------------------------------------------------------------------- vocabulary (data)

# How labels announce the serial, folded (lower case, no accents, punctuation -> spaces).
SERIAL_LABELS = (
    "s n", "sn", "s no", "n s", "sin", "s1n", "5 n", "serial", "serial no", "serial nr",
    "serial number", "serial num", "ser no", "ser nr", "serien no", "seriennr", "seriennummer",
    "serie", "no de serie", "numero de serie", "no serie", "no di serie", "numero di serie",
    "matricola", "serienummer", "serienr", "serial n",
)
# Labels of other codes on a device label: their values are not serials.
OTHER_LABELS = {
    "mac": "MAC address", "mac address": "MAC address", "mac adresse": "MAC address",
    "ethernet mac": "MAC address", "wifi mac": "MAC address", "wlan mac": "MAC address",
    "p n": "part number", "pn": "part number", "part no": "part number", "part number": "part number",
    "part": "part number", "art no": "part number", "mtm": "part number", "sku": "part number",
    "model": "model", "model no": "model", "modell": "model", "modele": "model", "modello": "model",
    "modelo": "model", "m n": "model", "type": "model", "typ": "model", "pid": "product id",
    "vid": "version id", "ean": "EAN", "upc": "UPC", "gtin": "GTIN", "imei": "IMEI",
    "fcc id": "FCC id", "ic": "IC id", "cmiit id": "CMIIT id", "hw": "hardware version",
    "fw": "firmware version", "rev": "revision", "mfg date": "manufacturing date",
    "date": "date", "input": "rating", "rating": "rating", "mfg": "manufacturing date",
}
MODEL_LABELS = ("model", "model no", "modell", "modele", "modello", "modelo", "m n", "pid", "type no")
# Meeting-room and AV vendors whose devices are traded in (brand as printed).
KNOWN_BRANDS = (
    "Logitech", "Poly", "Polycom", "Plantronics", "Cisco", "Yealink", "Jabra", "Neat", "Huddly",
    "Crestron", "Epson", "Lenovo", "Microsoft", "Dell", "HP", "Samsung", "LG", "Sony", "Barco",
    "Owl Labs", "AVer", "Bose", "Shure", "Sennheiser", "ClearOne", "Kandao", "Maxhub", "BenQ",
    "Panasonic", "Extron", "Vaddio", "Lifesize", "Avaya", "Sharp", "NEC", "Philips", "Optoma",
    "ViewSonic", "Dahua", "Hikvision", "Zoom", "Google", "Asus", "Acer", "Intel", "Mersive",
)
# Characters OCR confuses on serials, as classes folded to one representative.
CONFUSIONS = {"O": "0", "I": "1", "S": "5", "B": "8", "Z": "2"}
_CONFUSION_PAIRS = "O/0, I/1, S/5, B/8, Z/2"
_FOLD = str.maketrans(CONFUSIONS)
_WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"
_EDGE = ":;,.#*()[]{}\"'“”„‘’|·•-–—_=/\\"
_CLOSING = {")": "(", "]": "[", "}": "{"}
_INNER_CLOSING = re.compile(r"(?<=[A-Za-z0-9])[)\]}](?=[A-Za-z0-9])")
RULE_SIDE_INK = 0.3  # a run with more ink than this on both sides is print run together,
RULE_MAX_THICKNESS = 0.35  # as is one thicker than this share of the glyph height
RULE_MAX_UNEVENNESS = 0.25  # whose thickness varies more than this share along it
# Around one word: a blob this many glyph heights long whose ink, spread along it, is at
# most this share of a glyph height thick (however slanted) is a rule, not print.
LINE_RULE_MIN_GLYPHS = 3.0
LINE_RULE_MAX_THICKNESS = 0.2
_STRAY = "\\|/!()[]{}"  # marks tesseract puts inside a code for a glyph it cannot place
_MAC = re.compile(r"^(?:[0-9A-F]{2}[:\-]?){5}[0-9A-F]{2}$")


def fold(text: str) -> str:
    """Fold label text for matching: lower case, no accents, 'N°/Nº' -> 'no', punctuation to
    spaces, single spaces."""
    t = unicodedata.normalize("NFKD", text.replace("°", "o ").replace("º", "o "))
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    t = re.sub(r"[^\w\s]|_", " ", t)
    return " ".join(t.split())


def canonical(serial: str) -> str:
    """A serial as compared: upper case, without spaces and separators."""
    return re.sub(r"[\s\-./:]", "", serial).upper()


def _is_serial(token: str, settings: LabelSettings) -> str | None:
    """The token as a serial (upper case), or None when it is not shaped like one.

    A closing bracket glued to its end, or standing between its characters, with no
    opening one is the letter J, which tesseract reads so ('XV40728488)' for XV40728488J,
    'NB9S63TWCD)X' for NB9S63TWCDJX)."""
    t = token.strip(_EDGE)
    rest = token[token.find(t) + len(t):] if t else ""
    if t and rest[:1] in _CLOSING and _CLOSING[rest[0]] not in token:
        t += "J"
    if not any(c in token for c in _CLOSING.values()):
        t = _INNER_CLOSING.sub("J", t)
    if not settings.serial_min_len <= len(t) <= settings.serial_max_len:
        return None
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9\-]*[A-Za-z0-9]", t):
        return None
    t = t.replace("l", "I")  # sans-serif I and l are one glyph; tesseract picks either
    letters = [c for c in t if c.isalpha()]
    digits = sum(c.isdigit() for c in t)
    if digits < 3 and sum(c.islower() for c in letters) > len(letters) // 4:
        return None  # a word, not a serial (one lower-case OCR slip is tolerated; among
        # three digits or more, lower case is OCR's slip: 'xj5O463270Y')
    if digits == 0 and len(t) < 8:
        return None
    return t.upper()


# --------------------------------------------------------------------------- opening


def _open(source: Path | str | bytes, settings: LabelSettings) -> np.ndarray:
    """The photo as 8-bit grey, EXIF orientation applied; UnreadableFile when it is not one."""
    if isinstance(source, bytes | bytearray):
        if not source:
            raise UnreadableFile("the file is empty (0 bytes)")
        if len(source) > settings.max_file_bytes:
            raise UnreadableFile(f"the file has {len(source):,} bytes, above the limit")
        handle: object = io.BytesIO(source)
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
        except OSError as e:
            raise UnreadableFile(f"the file cannot be read ({e.strerror or e})") from e
        if size == 0:
            raise UnreadableFile("the file is empty (0 bytes)")
        if size > settings.max_file_bytes:
            raise UnreadableFile(f"the file has {size:,} bytes, above the limit")
        handle = path
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(handle) as im:  # type: ignore[arg-type]
                if im.width * im.height > settings.ocr.max_image_pixels:
                    raise UnreadableFile(f"the image is {im.width}x{im.height} px, above the limit")
                im.load()
                upright = ImageOps.exif_transpose(im)  # the camera's orientation tag
                gray = np.asarray(upright.convert("L"))
    except UnreadableFile:
        raise
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, SyntaxError, ValueError, EOFError) as e:
        why = "not an image format that can be opened" if isinstance(e, UnidentifiedImageError) else str(e)
        raise UnreadableFile(f"not a readable image ({why})") from e
    if min(gray.shape) < 32:
        raise UnreadableFile(f"the image is only {gray.shape[1]}x{gray.shape[0]} px")
    return gray


def _limit(gray: np.ndarray, side: int) -> np.ndarray:
    f = side / max(gray.shape)
    if f >= 1:
        return gray
    return cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)


# --------------------------------------------------------------------------- finding the label


def _order(quad: np.ndarray) -> np.ndarray:
    """Corners as tl, tr, br, bl."""
    s, d = quad.sum(axis=1), np.diff(quad, axis=1).ravel()
    return np.float32([quad[np.argmin(s)], quad[np.argmin(d)], quad[np.argmax(s)], quad[np.argmax(d)]])


def _quad_of(contour: np.ndarray) -> np.ndarray:
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for eps in (0.02, 0.03, 0.04, 0.06):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4 and cv2.isContourConvex(approx):
            quad = _order(approx.reshape(4, 2).astype(np.float32))
            if _plausible(quad, cv2.contourArea(hull)):
                return quad
    return _order(cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32))


def _plausible(quad: np.ndarray, area: float) -> bool:
    """A photographed rectangle: corners of 55-125 degrees, opposite sides within a factor
    of two, and about the area of the outline it was fitted to."""
    sides = [np.linalg.norm(quad[(i + 1) % 4] - quad[i]) for i in range(4)]
    if min(sides) < 4 or min(sides[0], sides[2]) / max(sides[0], sides[2]) < 0.5 \
            or min(sides[1], sides[3]) / max(sides[1], sides[3]) < 0.5:
        return False
    for i in range(4):
        a, b = quad[i - 1] - quad[i], quad[(i + 1) % 4] - quad[i]
        cos = float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))
        if abs(cos) > np.cos(np.deg2rad(55)):
            return False
    return abs(cv2.contourArea(quad) / max(area, 1.0) - 1) <= 0.2


def _print_mask(small: np.ndarray) -> np.ndarray:
    """Where there is print: thin strokes darker (or, on black labels, lighter) than what
    surrounds them at glyph scale. A label's outline against the device is no print."""
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    dark = cv2.morphologyEx(small, cv2.MORPH_BLACKHAT, k)
    light = cv2.morphologyEx(small, cv2.MORPH_TOPHAT, k)
    strokes = cv2.max(dark, light)
    _, mask = cv2.threshold(strokes, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    if _ < 25:  # no print worth the name: Otsu split the noise
        _, mask = cv2.threshold(strokes, 25, 255, cv2.THRESH_BINARY)
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))


def _candidates(small: np.ndarray, settings: LabelSettings) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Label-shaped regions: rectangles of paper (brighter than the device, or, for black
    labels, darker), and, where no paper stands out, blocks of dense print."""
    area = small.shape[0] * small.shape[1]
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    otsu, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    masks = [bright, 255 - bright]
    for level in (otsu + 25, otsu + 55):  # the label is brighter than a bright device or desk
        if level < 235:
            masks.append(cv2.threshold(blurred, level, 255, cv2.THRESH_BINARY)[1])
    block_size = (max(small.shape) // 2) | 1  # brighter / darker than its surroundings
    masks.append(cv2.adaptiveThreshold(blurred, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY,
                                       block_size, -12))
    masks.append(cv2.adaptiveThreshold(blurred, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                       block_size, 12))
    paper: list[np.ndarray] = []
    for mask in masks:
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for c in contours:
            a = cv2.contourArea(c)
            if not settings.label_min_area <= a / area <= settings.label_max_area:
                continue
            (_, _), (w, h), _ = cv2.minAreaRect(c)
            if a / max(w * h, 1.0) >= settings.label_min_rectangularity:
                paper.append(_quad_of(c))
    ink = _print_mask(small)
    blocks: list[np.ndarray] = []
    for divisor in (35, 14):  # lines of print joined into blocks, then blocks into the label
        k = max(9, round(max(small.shape) / divisor)) | 1
        block = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
        block = cv2.morphologyEx(block, cv2.MORPH_OPEN, np.ones((9, 9), np.uint8))
        contours, _ = cv2.findContours(block, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for c in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
            if settings.label_min_area <= cv2.contourArea(c) / area <= settings.label_max_area:
                quad = _quad_of(c)
                centre = quad.mean(axis=0)
                blocks.append(centre + (quad - centre) * 1.08)  # the print's margin
    return paper, blocks


def _inside(quad: np.ndarray, point: tuple[float, float]) -> bool:
    return cv2.pointPolygonTest(quad.reshape(-1, 1, 2), point, False) >= 0


def _measure(quad: np.ndarray, ink: np.ndarray, anchors: Sequence[tuple[float, float]]) -> tuple[float, float, int]:
    """A region's print (pixels), area (pixels) and decoded codes inside."""
    mask = np.zeros(ink.shape, np.uint8)
    cv2.fillConvexPoly(mask, quad.astype(np.int32), 255)
    inside = mask > 0
    area = float(inside.sum())
    printed = float(ink[inside].sum() / 255.0) if area else 0.0
    return printed, area, sum(_inside(quad, a) for a in anchors)


def find_label(work: np.ndarray, symbols: Sequence[Symbol], settings: LabelSettings) -> np.ndarray | None:
    """The label's corners (tl, tr, br, bl) in pixels of ``work``; None when no region looks
    like a label (the whole photo is then read).

    Of the rectangles of paper that hold some print and are clear of the photo's edges (the
    device and the desk behind it reach them, a label seldom does), those holding the most
    decoded codes, and of those the one holding the most print (codes not counted: their
    bars would outweigh the text), the smallest when several hold about as much (the label,
    not label and margin). A block of dense print stands in when no paper stands out or the
    paper found holds much less print than the block (a lit part of a label).
    """
    f = min(1.0, 800 / max(work.shape))
    small = cv2.resize(work, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else work
    anchors = [(s.centre[0] * f, s.centre[1] * f) for s in symbols]
    ink = _print_mask(small)
    for s in symbols:
        cv2.fillPoly(ink, [cv2.convexHull(np.int32([(x * f, y * f) for x, y in s.corners]))], 0)
    h, w = small.shape
    paper, blocks = _candidates(small, settings)
    chosen = []
    for group in (paper, blocks):
        measured = []
        for quad in group:
            printed, area, codes = _measure(quad, ink, anchors)
            margin = min(quad[:, 0].min(), quad[:, 1].min(), w - 1 - quad[:, 0].max(), h - 1 - quad[:, 1].max())
            if area and printed / area >= settings.label_min_print and margin > 3:
                measured.append((quad, printed, area, codes))
        if measured:
            most_codes = max(m[3] for m in measured)
            measured = [m for m in measured if m[3] == most_codes]
            most_print = max(m[1] for m in measured)
            chosen.append(min((m for m in measured if m[1] >= settings.label_print_share * most_print),
                              key=lambda m: m[2]))
    if not chosen:
        return None
    # paper, unless a block of print holds much more print (or more codes) than it
    best = chosen[0][0]
    if len(chosen) == 2 and ((chosen[1][3], chosen[1][1] * settings.label_paper_share) > (chosen[0][3], chosen[0][1])
                             or _outline_inside(chosen[0], chosen[1], settings)):
        best = chosen[1][0]
    best[:, 0] = np.clip(best[:, 0], 0, w - 1)
    best[:, 1] = np.clip(best[:, 1], 0, h - 1)
    return best / f


def _outline_inside(paper: tuple, block: tuple, settings: LabelSettings) -> bool:
    """Whether the paper's outline was fitted inside the label's edge (a light label on a
    light device): a block of print about its size encloses it and holds more print and
    as many codes. Both are (quad, print, area, codes)."""
    quad, printed, area, codes = paper
    return (block[3] >= codes and block[1] > printed and block[2] <= settings.label_block_growth * area
            and all(cv2.pointPolygonTest(block[0].reshape(-1, 1, 2), (float(x), float(y)), True) >= -2
                    for x, y in quad))


def _grown(quad: np.ndarray, factor: float, shape: tuple[int, ...]) -> np.ndarray:
    """The quad grown about its centre by ``factor``, kept inside the image."""
    centre = quad.mean(axis=0)
    out = centre + (quad - centre) * factor
    out[:, 0] = np.clip(out[:, 0], 0, shape[1] - 1)
    out[:, 1] = np.clip(out[:, 1], 0, shape[0] - 1)
    return out.astype(np.float32)


def warp(work: np.ndarray, quad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The label warped to an upright rectangle, and the homography from work to it."""
    tl, tr, br, bl = quad
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    out = cv2.warpPerspective(work, matrix, (width, height), flags=cv2.INTER_CUBIC,
                              borderMode=cv2.BORDER_REPLICATE)
    return out, matrix


def _deskew(crop: np.ndarray, matrix: np.ndarray, settings: LabelSettings) -> tuple[np.ndarray, np.ndarray]:
    """Straighten what tilt the label's outline left (text lines, projection profiles). The
    tilt is measured both as the label lies and a quarter turned (the same tilt there), and
    taken where the lines' profile is sharper: a label photographed on its side has its lines
    running up and down."""
    angle, sharpness = preprocess.skew_and_sharpness(crop, settings.deskew_max_deg)
    turned, turned_sharpness = preprocess.skew_and_sharpness(np.rot90(crop), settings.deskew_max_deg)
    if turned_sharpness > sharpness:
        angle = turned
    if abs(angle) < 0.3:
        return crop, matrix
    h, w = crop.shape
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    out = cv2.warpAffine(crop, turn, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    return out, np.vstack([turn, [0, 0, 1]]).astype(np.float64) @ matrix


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


def _decode_label(work: np.ndarray, crop: np.ndarray, matrix: np.ndarray, on_label: bool,
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
    """Median height of the glyph-like dark blobs (0 when there are too few)."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h, w = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    glyphs = h[(h >= 4) & (h <= 150) & (w <= 1.5 * h) & (w >= 2)]
    return float(np.median(glyphs)) if len(glyphs) >= 10 else 0.0


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


def _engine(settings: LabelSettings) -> OcrSettings:
    return replace(settings.ocr, page_timeout_s=settings.ocr_timeout_s)


@dataclass(frozen=True)
class _Page:
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
        if glyph_px and (bh if axis == 0 else bw) > RULE_MAX_THICKNESS * glyph_px and _ragged(
                labels[y:y + bh, x:x + bw] == i, axis):
            continue  # as thick as print, and as uneven: letters run together
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
    good = [w for w in words if len(w.text.strip(_EDGE)) >= 2 and w.confidence >= 60]
    labelled = any(_serial_after_labels(words, settings))
    return sum(w.confidence for w in good) / 100 + (10 if labelled else 0)


def _read_turned(crop: np.ndarray, symbols: tuple[Symbol, ...], k: int, on_label: bool, lang: str,
                 settings: LabelSettings, psm: int | None = None) -> _Page:
    h, w = crop.shape
    turned = np.ascontiguousarray(np.rot90(crop, k)) if k % 4 else crop
    moved = _turned(symbols, k, w, h) if k % 4 else symbols
    image, factor = _prepare(turned, moved, on_label, settings)
    if psm is None:
        psm = settings.label_psm if on_label else settings.photo_psm
    try:
        words = tesseract.recognise(Image.fromarray(image), lang, _engine(settings), psm=psm)
    except tesseract.OcrTimeout:
        words = ()
    scaled = tuple(replace(s, corners=tuple((x * factor, y * factor) for x, y in s.corners)) for s in moved)
    return _Page(image, words, scaled, k % 4, factor)


def read_upright(crop: np.ndarray, symbols: tuple[Symbol, ...], on_label: bool, lang: str,
                 settings: LabelSettings) -> _Page:
    """OCR the label the right way up: the codes' orientation says which way, else the
    first reading that finds a serial label and some words, the likelier turns first
    (portrait labels turned a quarter), the best of them when none does (a label whose
    print fills only part of it may stand the other way than its outline)."""
    if symbols:
        k = round(symbols[0].orientation / 90) % 4  # zxing: degrees clockwise
        return _read_turned(crop, symbols, k, on_label, lang, settings)
    h, w = crop.shape
    order = (1, 3, 0, 2) if h > 1.15 * w else (0, 2, 1, 3)
    pages: list[_Page] = []
    for k in order[:4 if on_label else 1]:
        page = _read_turned(crop, symbols, k, on_label, lang, settings)
        if _ocr_score(page.words, settings) >= 10 + settings.upright_words:  # a serial label and words
            return page
        pages.append(page)
    return max(pages, key=lambda p: _ocr_score(p.words, settings))


# --------------------------------------------------------------------------- text


def _line_text(words: Sequence[Word]) -> str:
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
    """The longest label of vocabulary at the start of words: (label, words used)."""
    best: tuple[str, int] | None = None
    texts = [fold(w.text) for w in words[:5]]
    for used in range(1, len(texts) + 1):
        joined = " ".join(t for t in texts[:used] if t)
        if not joined:
            continue
        for label in vocabulary:
            n = len(label)
            ok = joined == label if n <= 4 else fuzz.ratio(joined, label) >= (88 if n <= 11 else 84)
            if ok and (best is None or used >= best[1]):
                best = (label, used)
    return best


def _glued(word: Word) -> tuple[str, str] | None:
    """'S/N:PF3ABCDE' read as one word: (label, value)."""
    m = re.match(r"^(S/?N|SN|S\.N\.)[:#.]+(.+)$", word.text, re.IGNORECASE)
    return (m.group(1), m.group(2)) if m else None


@dataclass(frozen=True)
class _TextSerial:
    value: str
    confidence: float
    label: str  # the label as printed before it
    word: Word
    doubtful: bool = True
    notes: tuple[str, ...] = ()  # what the glyph check settled or could not settle
    garbled: str = ""  # the word as first read, when stray marks inside it had to go
    fits: bool = True  # as many glyphs on the line as characters read (or not checked)
    seconded: bool = False  # of two readings that differ, the one a third reading repeats
    spanned: bool = False  # the label's whole line to its right, kept only if read again as a serial


def _pieced(words: Sequence[Word], settings: LabelSettings) -> Word:
    """The first word joined with the pieces that follow it closely on its line: a serial
    tesseract split ('FOC2040F' 'NTD', 'DF' '7BSSGCPZMZ'). A piece counts when the gap before
    it is under ``join_gap`` of the glyph height, or under ``join_gap_loose`` when the word
    is no serial without it, or a short one (blurred bold print splits at an F's open side:
    'AFS31F' '761285'), and is one with it."""
    joined = words[0]
    for piece in words[1:]:
        text = piece.text.strip(_EDGE)
        if not text or not text.isalnum():
            break
        gap = piece.left - (joined.left + joined.width)
        h = min(joined.height, piece.height)
        merged = _union(joined, piece)
        if gap <= settings.join_gap * h or (
                gap <= settings.join_gap_loose * h
                and len(_is_serial(joined.text, settings) or "") < settings.full_serial_len
                and _is_serial(merged.text, settings) is not None):
            joined = merged
        else:
            break
    return joined


def _union(a: Word, b: Word) -> Word:
    """Two words as one: texts joined, boxes united, the lower confidence."""
    left, top = min(a.left, b.left), min(a.top, b.top)
    right, bottom = max(a.left + a.width, b.left + b.width), max(a.top + a.height, b.top + b.height)
    return Word(a.text.rstrip(_EDGE) + b.text.strip(_EDGE), min(a.confidence, b.confidence),
                left, top, right - left, bottom - top, a.line)


def _beside(label: Sequence[Word], words: Sequence[Word]) -> list[Word]:
    """The words on a label's line to its right, further labels and separators skipped."""
    last = label[-1]
    h = max(w.height for w in label)
    right, cy = last.left + last.width, last.top + last.height / 2
    beside = sorted((w for w in words if w not in label and right - 0.3 * h <= w.left
                     and abs(w.top + w.height / 2 - cy) <= 0.8 * max(h, w.height)), key=lambda w: w.left)
    reach = right  # the words looked at end 14 glyphs past the last label skipped
    while beside and (not beside[0].text.strip(_EDGE) or _match(beside, SERIAL_LABELS)):
        more = _match(beside, SERIAL_LABELS) if beside[0].text.strip(_EDGE) else None
        skipped, beside = beside[:more[1] if more else 1], beside[more[1] if more else 1:]
        reach = max(reach, *(w.left + w.width for w in skipped))
    return [w for w in beside if w.left <= reach + 14 * h]


def _span_after(label: Sequence[Word], words: Sequence[Word]) -> Word | None:
    """All the words on a label's line to its right as one, when there are several: a serial
    whose middle glare faded away reads as pieces too far apart to join ('803' '8BCC842B3')."""
    beside = _beside(label, words)
    return reduce(_union, beside) if len(beside) >= 2 else None


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
             and first.left - 2 * h <= w.left <= limit and w.text.strip(_EDGE)]
    return min(below, key=lambda w: (w.top, w.left)) if below else None


def _serial_or_garbled(text: str, settings: LabelSettings) -> tuple[str, str] | None:
    """The word as a serial and, when only stray marks inside it ('2432LZ\\VLT8I': a
    smeared L read as a backslash) kept it from being one, the word as read."""
    if value := _is_serial(text, settings):
        return value, ""
    inner = text.strip(_EDGE)
    stray = sum(c in _STRAY for c in inner)
    if 0 < stray <= settings.max_stray_marks and (value := _is_serial(
            "".join(c for c in inner if c not in _STRAY), settings)):
        return value, text
    return None


def _serial_after_labels(words: Sequence[Word], settings: LabelSettings) -> list[_TextSerial]:
    """Serials printed after a serial label, on its line or right under it."""
    out: list[_TextSerial] = []
    for row in _rows(words):
        i = 0
        while i < len(row):
            glued = _glued(row[i])
            if glued and (value := _is_serial(glued[1], settings)):
                out.append(_TextSerial(value, row[i].confidence, glued[0] + ":", row[i]))
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
                out.append(_TextSerial(value, word.confidence, " ".join(w.text for w in label), word,
                                       garbled=garbled))
            elif (span := _span_after(label, words)) is not None:
                out.append(_TextSerial(canonical(span.text), span.confidence, " ".join(w.text for w in label),
                                       span, garbled=span.text, spanned=True))
            i += hit[1]
    return out


def _serial_shaped(words: Sequence[Word], settings: LabelSettings) -> list[_TextSerial]:
    """The one serial-shaped word of a label whose serial label was not read (a table cell
    OCR dropped, a label blurred away): letters and digits, long enough, not a MAC address
    nor a value the label names otherwise (part number, model ...). Always in doubt."""
    found = []
    for w in words:
        value = _is_serial(w.text, settings)
        if (value is None or len(value) < settings.shaped_serial_min_len or "-" in value
                or not any(c.isalpha() for c in value) or sum(c.isdigit() for c in value) < 2
                or _MAC.match(value) or _role(value, words) is not None):
            continue
        found.append(_TextSerial(value, w.confidence, "", w))
    return found if len(found) == 1 else []


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
        words = tesseract.recognise_line(Image.fromarray(crop), lang, _engine(settings), _WHITELIST)
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
        read = tesseract.recognise_char(Image.fromarray(image), lang, _engine(settings), allowed)
        return (read.text, read.confidence) if read else None

    return read


def _brand(words: Sequence[Word]) -> str | None:
    best: tuple[float, str] | None = None
    for i in range(len(words)):
        for n in (1, 2):
            text = " ".join(x.text for x in words[i:i + n]).strip(_EDGE)
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


def _model(words: Sequence[Word]) -> str | None:
    for row in _rows(words):
        for i in range(len(row)):
            hit = _match(row[i:], MODEL_LABELS)
            if hit is None:
                continue
            rest = row[i + hit[1]:]
            while rest and (not rest[0].text.strip(_EDGE) or _match(rest, MODEL_LABELS)):
                more = _match(rest, MODEL_LABELS)
                rest = rest[more[1] if more and rest[0].text.strip(_EDGE) else 1:]
            value: list[Word] = []
            for w in rest:
                gap_ref = value[-1] if value else row[i + hit[1] - 1]
                if w.left - (gap_ref.left + gap_ref.width) > 3 * gap_ref.height:
                    break
                if _match([w], OTHER_LABELS.keys()) and value:
                    break
                value.append(w)
            text = " ".join(w.text for w in value).strip(_EDGE + " ")
            if text:
                return text
    return None


# --------------------------------------------------------------------------- fusion


def _near_text(value: str, words: Sequence[Word]) -> Word | None:
    """The word printing value (a code's human-readable line), tolerating OCR confusions."""
    target = canonical(value).translate(_FOLD)
    for w in words:
        if canonical(w.text.strip(_EDGE)).translate(_FOLD) == target:
            return w
    return None


def _role(value: str, words: Sequence[Word]) -> str | None:
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
    if _MAC.match(canonical(value)) and any(fold(w.text) == "mac" for w in words):
        return "MAC address"
    return None


def confusable_equal(a: str, b: str, max_confusions: int) -> bool:
    """Equal up to at most max_confusions OCR-confusable characters (O/0, I/1, S/5, B/8, Z/2)."""
    a, b = canonical(a), canonical(b)
    if len(a) != len(b) or a.translate(_FOLD) != b.translate(_FOLD):
        return False
    return sum(x != y for x, y in zip(a, b, strict=True)) <= max_confusions


@dataclass
class _Candidate:
    value: str
    source: str
    confidence: float
    detail: str
    agrees: bool = False  # a code and the label text read the same value
    explicit: bool = False  # the code's payload names it the serial
    carriers: int = 1  # symbols carrying the value
    doubtful: bool = False
    fits: bool = True  # text: as many glyphs as characters
    seconded: bool = False  # text: of two readings that differ, the one a third repeats
    recovered: bool = False  # code: decoded only from its bars averaged (blurs undone)
    shaped: bool = False  # code: its value has the label brand's serial shape

    def rank(self) -> tuple:
        return (self.agrees, self.explicit, not self.doubtful, self.carriers, self.shaped, self.source != "text",
                self.fits, self.seconded, self.confidence)

    @property
    def name(self) -> str:
        return self.detail.split(",")[0]


def _codes(symbols: Sequence[Symbol], words: Sequence[Word], findings: list[str]) -> list[_Candidate]:
    """One candidate per value the codes carry; codes that are something else are findings."""
    codes: list[_Candidate] = []
    for s in symbols:
        if s.is_product_number:
            findings.append(f"{s.name} {s.text} is a product number (GTIN), not a serial")
            continue
        payload = barcodes.serial_in_payload(s.text)
        if payload.serial is None:
            findings.append(f"{s.name} carries no serial ({s.text[:60]!r})")
            continue
        value = canonical(payload.serial)
        role = None if payload.explicit else _role(value, words)
        if role:
            findings.append(f"{s.name} {value} is the {role}, not the serial")
            continue
        for c in codes:
            if c.value == value:
                c.detail = f"{c.name} and {s.name}{c.detail[len(c.name):]}"
                c.explicit |= payload.explicit
                c.carriers += 1
                c.recovered &= s.attempt.startswith(BARS_AVERAGED)
                break
        else:
            how = "" if payload.how == "value" else f", {payload.how}"
            if s.attempt.startswith(BARS_AVERAGED):
                how += f", {s.attempt}"
            codes.append(_Candidate(value, "qr" if s.kind == "qr" else "barcode", 100.0,
                                    f"{s.name}{how}", explicit=payload.explicit,
                                    recovered=s.attempt.startswith(BARS_AVERAGED)))
    return codes


def _texts(texts: Sequence[_TextSerial], settings: LabelSettings) -> list[_Candidate]:
    """One candidate per value read from the text, its best reading."""
    best: dict[str, _TextSerial] = {}
    for t in texts:
        key = canonical(t.value)
        if key not in best or (not t.doubtful, t.confidence) > (not best[key].doubtful, best[key].confidence):
            best[key] = t
    out = []
    for key, t in best.items():
        if t.confidence < settings.text_min_confidence:
            continue
        detail = (f"text after '{t.label.strip()}' (conf {t.confidence:.0f})" if t.label
                  else f"text shaped like a serial, its label not read (conf {t.confidence:.0f})")
        if t.notes:
            detail += "; " + "; ".join(t.notes)
        out.append(_Candidate(key, "text", round(t.confidence, 1), detail, doubtful=t.doubtful, fits=t.fits,
                              seconded=t.seconded))
    return out


def _agree(code: _Candidate, text: _Candidate, settings: LabelSettings) -> str | None:
    """How a code's value and a text reading agree: None when they do not."""
    if code.value == text.value:
        return "agrees with the label text"
    if confusable_equal(code.value, text.value, len(code.value)):
        # a decoded code is exact: any O/0, I/1, S/5, B/8, Z/2 between them is the OCR's
        return f"agrees with the label text (read {text.value})"
    if len(text.value) >= 6 and text.doubtful and (code.value.startswith(text.value)
                                                   or code.value.endswith(text.value)):
        return f"agrees with the part of the label text read ({text.value})"
    return None


def fuse(symbols: Sequence[Symbol], texts: Sequence[_TextSerial], words: Sequence[Word],
         settings: LabelSettings, brand: str | None = None) -> tuple[tuple[SerialEvidence, ...], list[str]]:
    """Serial evidence from the codes and the label text, best first, and the findings.

    A code agreeing with the text is certain; a code whose payload names the serial, or the
    only value the codes carry, is certain unless a text read without doubt contradicts it;
    codes carrying different values are in doubt (the value more of them carry first, then
    the one shaped like the brand's serials: the other is a part number). MAC addresses among
    several codes are dropped. Text alone keeps its own doubt.
    """
    findings: list[str] = []
    codes = _codes(symbols, words, findings)
    for c in codes:
        c.shaped = has_shape(c.value, brand, settings.serial_shapes)
    text_cands = _texts(texts, settings)
    for c in codes:
        for t in text_cands:
            if how := _agree(c, t, settings):
                c.agrees = t.agrees = True
                c.detail += f", {how}"
                break
    for c in [c for c in codes if not c.explicit and not c.agrees and _MAC.match(c.value)]:
        if len(codes) + len(text_cands) > 1:
            findings.append(f"{c.name} {c.value} looks like a MAC address, not the serial")
            codes.remove(c)
    for c in codes:
        if c.recovered and not c.agrees:
            # many blurs undone, each decoded: a checksum now and then passes on a misread
            c.doubtful = True
            findings.append(f"{c.name} {c.value} was read only from its bars averaged, and no label text"
                            f" confirms it")
    sure_texts = [t for t in text_cands if not t.agrees and not t.doubtful]
    lead = [c for c in codes if c.agrees] or [c for c in codes if c.explicit]
    if lead:
        for c in codes:
            if c not in lead:
                c.doubtful = True
                findings.append(f"{c.name} also carries {c.value}")
    elif len({c.value for c in codes}) > 1:
        codes.sort(key=lambda c: c.carriers, reverse=True)
        if codes[0].carriers == codes[1].carriers:
            codes[0].doubtful = True
        for c in codes[1:]:
            c.doubtful = True
        findings.append("codes carry different values: " + ", ".join(c.value for c in codes))
    for c in codes:
        if not c.agrees:
            for t in sure_texts:
                findings.append(f"{c.name} {c.value} disagrees with label text {t.value}")
                c.doubtful = True
    if len({c.value for c in codes if c.agrees}) > 1:
        findings.append("the label text names several serials")
    cands = codes + [t for t in text_cands if not t.agrees]
    cands.sort(key=lambda c: c.rank(), reverse=True)
    return tuple(SerialEvidence(c.value, c.source, c.confidence, c.detail, c.doubtful) for c in cands), findings


# --------------------------------------------------------------------------- the stages


def _dotted_zeros(page: _Page, skip: set[int]) -> bool:
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


def _proportional_label(page: _Page, t: _TextSerial) -> bool:
    """Whether the words before a serial on its line (its label) are in proportional print."""
    if not t.label:
        return False
    mid = t.word.top + t.word.height / 2
    before = [w for w in page.words if w.left + w.width <= t.word.left and w.top <= mid <= w.top + w.height
              and t.word.left - w.left <= 15 * t.word.height]
    if not before:
        return False
    span = reduce(_union, before)
    crop = page.image[max(0, span.top - 2):span.top + span.height + 2, max(0, span.left - 2):span.left + span.width + 2]
    return crop.size > 0 and proportional_print(crop)


def _texts_checked(page: _Page, lang: str, settings: LabelSettings,
                   shaped: bool = False) -> tuple[list[_TextSerial], list[str]]:
    """Text serials, each read a second time on its own line and checked glyph by glyph.

    Readings that agree (or differ only in OCR-confusable characters) give one serial whose
    confusable characters the glyphs settle; it is read without doubt only when both
    readings are confident and every glyph fits. Readings that differ otherwise give two
    doubtful candidates. ``shaped``: the serial is looked for by its shape, not its label.
    """
    out: list[_TextSerial] = []
    findings: list[str] = []
    found = _serial_shaped(page.words, settings) if shaped else _serial_after_labels(page.words, settings)[:3]
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
        second = _is_serial(again[0], settings) if again else None
        if again is None or second is None or (t.spanned and again[1] < settings.text_min_confidence):
            if not t.spanned:
                out.append(replace(t, doubtful=True))
            continue
        text, confidence, line = again
        if t.garbled:
            check = check_serial(second, line, t.word.height / page.scale, dotted, **checks)
            out.append(replace(t, value=check.value, confidence=round(confidence, 1), doubtful=True, fits=check.fits,
                               notes=(f"first read as '{t.garbled}'", *check.notes)))
            continue
        if second != t.value and not confusable_equal(second, t.value, len(second)):
            # the glyphs arbitrate: a reading with as many characters as glyphs goes first,
            # one whose every glyph fits before the others (all still doubtful)
            # a third reading, larger and in black and white, seconds the one it repeats
            third = _second_reading(page.image, t.word, lang, settings, settings.third_reading_px, True)
            tie_break = _is_serial(third[0], settings) if third else None
            readings = [(check_serial(v, line, t.word.height / page.scale, dotted, **checks), c, v)
                        for v, c in ((t.value, t.confidence), (second, confidence))]
            readings.sort(key=lambda r: (r[0].fits, r[2] == tie_break, not r[0].doubtful, r[1]), reverse=True)
            refit = None if readings[0][0].fits else _refit(page, t, lang, settings, dotted, checks, third)
            if refit is not None:
                out.append(refit)
            for check, conf, value in readings:
                seconded = value == tie_break
                notes = (*check.notes, "a third reading agrees") if seconded else check.notes
                out.append(replace(t, value=check.value, confidence=round(conf, 1), doubtful=True, fits=check.fits,
                                   seconded=seconded, notes=notes))
            findings.append(f"the serial reads {t.value} or {second} (two readings differ)")
            continue
        check = check_serial(second, line, t.word.height / page.scale, dotted, **checks)
        if not check.fits:
            refit = _bar_glued(page, t, line, dotted, checks) or _refit(page, t, lang, settings, dotted, checks)
            if refit is not None:
                out.append(refit)
                continue
        agreed = second == t.value
        conf = max(t.confidence, confidence) if agreed else min(t.confidence, confidence)
        doubtful = (check.doubtful or min(t.confidence, confidence) < settings.text_sure_confidence
                    or not t.label)  # found by its shape alone
        notes = check.notes if check.value != t.value or check.doubtful else ()
        out.append(replace(t, value=check.value, confidence=round(conf, 1), doubtful=doubtful, notes=notes,
                           fits=check.fits))
    return out, findings


def _carried_on(page: _Page, t: _TextSerial) -> Word | None:
    """The serial's word stretched over print that carries on past its end, unread (glare
    faded the serial's last glyphs: 'A7877ZU' for A7877ZUV0S2); None when it ends there."""
    w = t.word
    others = [(o.left, o.top, o.width, o.height) for o in page.words
              if o.text.strip(_EDGE) and (o.left >= w.left + w.width - 0.2 * w.height
                                          or o.left + o.width <= w.left + 0.2 * w.height)]
    more = print_continues(page.image, (w.left, w.top, w.width, w.height), others)
    if more is None:
        return None
    top = w.top + (w.height - more.glyph_px) // 2  # the box as tall as the print, not as tesseract's
    return Word(w.text, w.confidence, more.left, top, more.right - more.left, more.glyph_px, w.line)


def _faded_reading(page: _Page, t: _TextSerial, lang: str, settings: LabelSettings, dotted: bool,
                   checks: dict) -> _TextSerial | None:
    """A serial whose print carries on past its reading, read again whole with faded print
    brought to full contrast: in doubt. None when the print ends with the reading, or the
    whole line is no confident serial longer than it."""
    whole = _carried_on(page, t)
    if whole is None:
        return None
    again = _second_reading(page.image, whole, lang, settings, even=True)
    value = _is_serial(again[0], settings) if again else None
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


def _bar_glued(page: _Page, t: _TextSerial, line: np.ndarray, dotted: bool, checks: dict) -> _TextSerial | None:
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


def _refit(page: _Page, t: _TextSerial, lang: str, settings: LabelSettings, dotted: bool,
           alone: dict, third: tuple[str, float, np.ndarray] | None = None) -> _TextSerial | None:
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
        value = _is_serial(again[0], settings) if again else None
        if value is None or value == t.value or again[1] < settings.text_min_confidence:
            continue
        check = check_serial(value, again[2], t.word.height / page.scale, dotted, **alone)
        if check.fits:
            note = f"read as '{t.value}', a glyph too many or too few; read again as '{value}'"
            return replace(t, value=check.value, confidence=round(again[1], 1),
                           doubtful=True, fits=True, notes=(note, *check.notes))
    return None


def _shaped(evidence: SerialEvidence, brand: str | None, settings: LabelSettings) -> SerialEvidence:
    """A text serial with the look-alikes its brand's serial shape rules out turned into
    their twins ('2243PVJ3O660' on a Crestron label: 2243PVJ30660), or one symbol too long
    with one glyph read twice ('1924ZJJY08347': 1924ZJY08347), in doubt."""
    if evidence.source != "text":
        return evidence
    shortened = one_read_twice(evidence.value, brand, settings.serial_shapes)
    if shortened is not None:
        value, at = shortened
        return replace(evidence, value=value, doubtful=True,
                       detail=f"{evidence.detail}; {evidence.value[at]!r} at position {at + 1} is one glyph "
                              f"read twice ({brand}'s serials are one symbol shorter)")
    value, changed = conform(evidence.value, brand, settings.serial_shapes)
    if not changed:
        return evidence
    where = ", ".join(f"position {i + 1}: {evidence.value[i]!r} is {value[i]!r}" for i in changed)
    return replace(evidence, value=value, doubtful=True,
                   detail=f"{evidence.detail}; {where} by {brand}'s serial shape")


def _grade(serials: Sequence[SerialEvidence], words: Sequence[Word], findings: Sequence[str]) -> str:
    if not serials:
        return "illegible" if sum(len(w.text) > 2 and w.confidence > 60 for w in words) < 5 else "poor"
    best = serials[0]
    if best.doubtful or any("disagree" in f or "differ" in f for f in findings):
        return "poor"
    return "ok"


def _serial_elsewhere(work: np.ndarray, page: _Page, on_label: bool, lang: str, settings: LabelSettings,
                      notes: list[str]) -> tuple[_Page, list[_TextSerial], list[str]]:
    """No serial label read on the label (or on the photo, read as a page): the whole photo
    read as a page, then the label's one serial-shaped word, then the whole photo read as
    sparse text (a dim label's print is lost in a page layout)."""
    texts: list[_TextSerial] = []
    findings: list[str] = []
    if on_label:
        whole = _read_turned(work, (), page.turns, False, lang, settings, settings.photo_psm)
        texts, findings = _texts_checked(whole, lang, settings)
        if texts:
            notes.append("the serial was found outside the region taken for the label")
            return whole, texts, findings
    texts, findings = _texts_checked(page, lang, settings, shaped=True)
    if texts:
        return page, texts, findings
    sparse = _read_turned(work, (), page.turns, False, lang, settings, settings.label_psm)
    found, more = _texts_checked(sparse, lang, settings)
    if found:
        if on_label:
            notes.append("the serial was found outside the region taken for the label")
        return sparse, found, more
    return page, texts, findings


@dataclass(frozen=True)
class _RegionReading:
    """The label region read once: the page, the codes (on it and elsewhere in the photo),
    the text serials and what their readings found."""

    page: _Page
    symbols: tuple[Symbol, ...]
    texts: list[_TextSerial]
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
    on_page, outside = _decode_label(work, crop, matrix, on_label, found, settings, whole_photo)
    page = read_upright(crop, on_page, on_label, lang, settings)
    texts, findings = _texts_checked(page, lang, settings)
    return _RegionReading(page, (*page.symbols, *outside), texts, findings)


def _read_grown(work: np.ndarray, quad: np.ndarray, factor: float, symbols: tuple[Symbol, ...], lang: str,
                settings: LabelSettings) -> tuple[_RegionReading, np.ndarray]:
    """The label's region grown about its centre, read; and its image."""
    crop, matrix = _deskew(*warp(work, _grown(quad, factor, work.shape)), settings)
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
        gray = _open(path, settings)
    except UnreadableFile as e:
        return LabelReading((), None, None, "", "unreadable", (str(e), *notes), media_type=media_type)
    work = _limit(gray, settings.work_side_px)
    symbols = barcodes.decode(work)
    quad = find_label(work, symbols, settings)
    if quad is None:
        notes.append("no label found: the whole photo was read")
        crop, matrix = work, np.eye(3, dtype=np.float32)
    else:
        crop, matrix = warp(work, quad)
        crop, matrix = _deskew(crop, matrix, settings)
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
    brand = _brand(page.words)
    serials, findings = fuse(all_symbols, texts, page.words, settings, brand)
    serials = tuple(_shaped(e, brand, settings) for e in serials)
    findings = [*text_findings, *findings, *notes]
    if not serials:
        findings.insert(0, "no serial found on the label")
    text = _line_text(page.words)
    label = np.ascontiguousarray(np.rot90(crop, page.turns)) if quad is not None else None
    return LabelReading(
        serials=serials,
        brand=brand,
        model=_model(page.words),
        text=text,
        quality=_grade(serials, page.words, findings),
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
                      f"up to {n} OCR confusion{'s' if n > 1 else ''} ({_CONFUSION_PAIRS})")
    exact = "exact comparison" if evidence.source != "text" or not evidence.doubtful else "even with OCR confusions"
    return False, f"the photo reads {read} ({how}), the declared serial is {wanted} ({exact})"
