"""Barcodes and QR codes (zxing-cpp): the only importer of zxingcpp.

:func:`decode` reads every symbol in one grayscale image; :func:`decode_hard` also tries the
image enlarged, sharpened, contrast-equalised, binarised and with a focus blur undone, for
codes that do not decode as photographed. :func:`serial_in_payload` reads a serial out of
what a symbol carries (plain value, ``SN:..;PN:..`` fields, a support URL ``?sn=..``, GS1
AI 21, JSON).

Decoded symbols are exact (Code 128 has a check character, QR codes error correction); what
a symbol is *for* (serial, MAC address, part number) is for the caller to decide.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import cv2
import numpy as np

from ocr.bar_blocks import bar_blocks, bar_profiles
from ocr.motion import refocused
from tradein.errors import EngineMissingError

try:
    import zxingcpp
except ImportError as e:  # pragma: no cover - the dependency is declared
    raise EngineMissingError("the Python package zxing-cpp is not installed") from e

# Symbols that are QR codes; every other symbology counts as a barcode.
_QR_FORMATS = frozenset({"QRCode", "MicroQRCode", "RMQRCode", "QRCodeModel1", "QRCodeModel2"})
# Product numbers (GTIN): never a device's serial.
_PRODUCT_FORMATS = frozenset({"EAN8", "EAN13", "UPCA", "UPCE", "ISBN", "EAN2", "EAN5"})
# Widths (Gaussian sigma, pixels) of a focus blur undone for codes no other variant decodes.
FOCUS_BLUR_PX = (2.0, 1.6)
_NAMES = {"Code128": "Code128 barcode", "QRCode": "QR code", "DataMatrix": "DataMatrix code",
          "Code39": "Code39 barcode", "MicroQRCode": "Micro QR code", "PDF417": "PDF417 code"}


@dataclass(frozen=True)
class Symbol:
    """One decoded barcode or QR code."""

    text: str
    format: str  # zxing's name: 'Code128', 'QRCode', 'DataMatrix', 'EAN13' ...
    corners: tuple[tuple[float, float], ...]  # tl, tr, br, bl in pixels of the image decoded
    orientation: int  # degrees the symbol is turned (zxing; 0 = upright, reading left to right)
    attempt: str = "as photographed"  # which image variant decoded it

    @property
    def kind(self) -> str:
        """'qr' for QR codes, 'barcode' for every other symbology."""
        return "qr" if self.format in _QR_FORMATS else "barcode"

    @property
    def name(self) -> str:
        """How a reviewer calls it: 'Code128 barcode', 'QR code' ..."""
        return _NAMES.get(self.format, f"{self.format} {'code' if self.kind == 'qr' else 'barcode'}")

    @property
    def is_product_number(self) -> bool:
        """EAN/UPC symbols carry the product's GTIN, never a serial."""
        return self.format in _PRODUCT_FORMATS

    @property
    def centre(self) -> tuple[float, float]:
        """Centre of the symbol in pixels of the image decoded."""
        xs, ys = zip(*self.corners, strict=True)
        return sum(xs) / len(xs), sum(ys) / len(ys)


def _format_name(barcode: object) -> str:
    fmt = barcode.format  # type: ignore[attr-defined]
    name = getattr(fmt, "name", None) or str(fmt).split(".")[-1]
    return name.replace(" ", "")


def _corners(barcode: object) -> tuple[tuple[float, float], ...]:
    pos = barcode.position  # type: ignore[attr-defined]
    return tuple((float(p.x), float(p.y)) for p in
                 (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left))


def decode(gray: np.ndarray, attempt: str = "as photographed", fixed_threshold: bool = False) -> tuple[Symbol, ...]:
    """Decode every symbol in a grayscale image (any direction, also inverted print);
    ``fixed_threshold``: binarise at mid-grey instead of by local average."""
    image = np.ascontiguousarray(gray, dtype=np.uint8)
    binarizer = zxingcpp.Binarizer.FixedThreshold if fixed_threshold else zxingcpp.Binarizer.LocalAverage
    try:
        found = zxingcpp.read_barcodes(image, binarizer=binarizer)
    except (RuntimeError, ValueError):  # pragma: no cover - zxing refuses odd buffers
        return ()
    out = []
    for b in found:
        if not getattr(b, "valid", True) or not b.text:
            continue
        out.append(Symbol(b.text, _format_name(b), _corners(b), int(b.orientation), attempt))
    return tuple(out)


def _scaled(symbols: Iterable[Symbol], factor: float) -> tuple[Symbol, ...]:
    return tuple(Symbol(s.text, s.format, tuple((x / factor, y / factor) for x, y in s.corners),
                        s.orientation, s.attempt) for s in symbols)


def _variants(gray: np.ndarray) -> Iterable[tuple[str, np.ndarray, float]]:
    """Image variants for codes that do not decode as photographed: (name, image, scale).
    Names ending in 'fixed threshold' are binarised at mid-grey by the decoder."""
    clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8)).apply(gray)
    yield "contrast-equalised", clahe, 1.0
    blurred = cv2.GaussianBlur(gray, (0, 0), 2.0)
    sharp = cv2.addWeighted(gray, 2.2, blurred, -1.2, 0)
    yield "sharpened", sharp, 1.0
    if max(gray.shape) <= 1400:
        big = cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
        yield "enlarged", big, 2.0
    block = max(15, (min(gray.shape) // 20) | 1)
    binary = cv2.adaptiveThreshold(clahe, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C,
                                   cv2.THRESH_BINARY, block, 8)
    yield "binarised", binary, 1.0
    half = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    yield "reduced", half, 0.5
    # a blurred code: its bars' edges steepened hard and cut at mid-grey (local averaging
    # smears them again); recovered 1 of 10 blurred or small codes the others missed
    wide = cv2.GaussianBlur(gray, (0, 0), 3.0)
    yield "sharpened hard, fixed threshold", cv2.addWeighted(gray, 3.0, wide, -2.0, 0), 1.0
    # a photo out of focus: the blur undone for widths the fixtures' focus blur spans
    # (recovered 7 of 21 blurred codes the variants above missed on bench seeds 8 and 9)
    for sigma in FOCUS_BLUR_PX:
        yield f"focus blur undone ({sigma:g} px)", refocused(gray, sigma), 1.0


def decode_hard(gray: np.ndarray, known: Iterable[Symbol] = (), want: int = 1) -> tuple[Symbol, ...]:
    """Decode symbols in image variants until ``want`` distinct symbols (with ``known``) are
    found or the variants are exhausted; returns only the symbols not already known."""
    seen = {(s.format, s.text) for s in known}
    new: list[Symbol] = []
    for name, image, factor in _variants(gray):
        for s in _scaled(decode(image, name, name.endswith("fixed threshold")), factor):
            if (s.format, s.text) not in seen:
                seen.add((s.format, s.text))
                new.append(s)
        if len(seen) >= want:
            break
    return tuple(new)


def turn_point(x: float, y: float, k: int, width: int, height: int) -> tuple[float, float]:
    """Where (x, y) of a width x height image lands after np.rot90(image, k)."""
    for _ in range(k % 4):
        x, y = y, width - 1 - x
        width, height = height, width
    return x, y


def _block_corners(box: tuple[int, int, int, int], turned: np.ndarray, k: int,
                   scale: float) -> tuple[tuple[float, float], ...]:
    """A block's corners (tl, tr, br, bl) in the image before it was turned by k quarters
    (np.rot90) into ``turned``, divided by ``scale``."""
    x, y, w, h = box
    height, width = turned.shape[:2]
    corners = ((x, y), (x + w, y), (x + w, y + h), (x, y + h))
    back = [turn_point(cx, cy, -k, width, height) for cx, cy in corners]
    return tuple((px / scale, py / scale) for px, py in back)


def decode_bar_blocks(gray: np.ndarray, glyph_px: float, scale: float,
                      known: Iterable[Symbol] = ()) -> tuple[Symbol, ...]:
    """Barcodes too small or blurred to decode as photographed, read from their bars
    averaged into one line (:mod:`ocr.bar_blocks`): ``gray`` is dark print on light paper,
    enlarged ``scale`` times from the photo, its glyphs ``glyph_px`` tall. Bars standing
    upright or lying (a label turned a quarter) are looked for; symbols already ``known``
    are skipped. Corners are in pixels of ``gray`` divided by ``scale``."""
    seen = {(s.format, s.text) for s in known}
    new: list[Symbol] = []
    for k in (0, 1):
        image = np.ascontiguousarray(np.rot90(gray, k)) if k else gray
        for box in bar_blocks(image, glyph_px):
            found: list[Symbol] = []
            for how, line in bar_profiles(image, box, scale):
                found = [s for s in decode(line, how, fixed_threshold=True) if not s.is_product_number]
                if found:
                    break
            for s in found:
                if (s.format, s.text) not in seen:
                    seen.add((s.format, s.text))
                    turn = 90 * k + (180 if s.orientation in (180, -180) else 0)
                    corners = _block_corners(box, image, k, scale)
                    new.append(Symbol(s.text, s.format, corners, (turn + 180) % 360 - 180, s.attempt))
    return tuple(new)


# --------------------------------------------------------------------------- payloads

_SERIAL_KEYS = frozenset({"sn", "s/n", "serial", "serialno", "serialnumber", "serial_number",
                          "serial-number", "ser", "snr", "seriennummer", "serie", "s"})
_KEY_VALUE = re.compile(r"([A-Za-z][A-Za-z/_\- ]{0,20}?)\s*[:=]\s*([^;,|&\n\r\t]+)")
_GS1_SERIAL = re.compile(r"\(21\)([^(]+)")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/]{3,39}")
_PREFIXED = re.compile(r"^(?:S/N|SN|S\.N\.)[:#\s]\s*(\S+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Payload:
    """What a symbol says about the serial."""

    serial: str | None  # the serial, when the payload names it or is nothing but one value
    how: str  # 'value' | "field 'SN'" | "URL parameter 'sn'" | 'GS1 (21)' | 'no serial field'
    explicit: bool  # True when the payload itself says the value is the serial


def _key(k: str) -> str:
    return k.strip().lower().replace(" ", "")


def serial_in_payload(text: str) -> Payload:
    """Read the serial out of a symbol's text."""
    t = text.strip()
    if m := _GS1_SERIAL.search(t):
        return Payload(m.group(1).strip(), "GS1 (21)", True)
    if t.startswith("{"):
        try:
            data = json.loads(t)
        except ValueError:
            data = None
        if isinstance(data, dict):
            for k, v in data.items():
                if _key(str(k)) in _SERIAL_KEYS and isinstance(v, str | int) and str(v).strip():
                    return Payload(str(v).strip(), f"JSON field '{k}'", True)
            return Payload(None, "no serial field", False)
    if re.match(r"^[a-z][a-z0-9+.-]*://", t, re.IGNORECASE):
        parts = urlsplit(t)
        for k, v in parse_qsl(parts.query):
            if _key(k) in _SERIAL_KEYS and v.strip():
                return Payload(v.strip(), f"URL parameter '{k}'", True)
        last = parts.path.rstrip("/").rsplit("/", 1)[-1]
        if _TOKEN.fullmatch(last) and any(c.isdigit() for c in last):
            return Payload(last, "end of URL", False)
        return Payload(None, "no serial field", False)
    if (m := _PREFIXED.match(t)) and _TOKEN.fullmatch(m.group(1)):
        return Payload(m.group(1), "value after 'SN'", True)
    pairs = _KEY_VALUE.findall(t)
    if pairs and len(pairs) * 2 >= len(re.split(r"[;,|&\n]", t)):
        for k, v in pairs:
            if _key(k) in _SERIAL_KEYS and v.strip():
                return Payload(v.strip(), f"field '{k.strip()}'", True)
        return Payload(None, "no serial field", False)
    if _TOKEN.fullmatch(t):
        return Payload(t, "value", False)
    return Payload(None, "not a serial", False)
