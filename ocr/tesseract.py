"""The tesseract engine (via pytesseract): the only importer of pytesseract.

Builds the command, parses its TSV, and maps its failures to tradein errors. pytesseract
keeps the command path in a module global; one process uses one tesseract binary, so the
global is set from ``OcrSettings.tesseract_cmd`` before each call (one process is
expected to use one tesseract binary). OMP_THREAD_LIMIT is set in this process's environment,
which pytesseract hands to the subprocess: tesseract's OpenMP threads slow down parallel pages.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image

from ocr.types import OcrSettings, Word
from tradein.errors import EngineError, EngineMissingError

try:
    import pytesseract
except ImportError as e:  # pragma: no cover - the dependency is declared
    raise EngineMissingError("the Python package pytesseract is not installed") from e

# ISO 639-1 (and a few country-ish spellings) to tesseract's ISO 639-2 data names.
_LANGUAGE_CODES = {
    "de": "deu", "ger": "deu", "fr": "fra", "fre": "fra", "en": "eng", "it": "ita",
    "es": "spa", "nl": "nld", "dut": "nld", "pt": "por", "pl": "pol", "cs": "ces",
    "da": "dan", "sv": "swe", "fi": "fin", "no": "nor", "nb": "nor", "hu": "hun",
}


class OcrTimeout(Exception):  # noqa: N818 - internal signal, never escapes the package
    """Internal: tesseract did not finish a page within the page timeout."""


@dataclass(frozen=True)
class Orientation:
    """Tesseract's orientation and script detection for a page."""

    rotate: int  # degrees counter-clockwise to turn the image upright (0, 90, 180, 270)
    confidence: float


def _use(settings: OcrSettings) -> None:
    os.environ["OMP_THREAD_LIMIT"] = str(settings.tesseract_threads)
    pytesseract.pytesseract.tesseract_cmd = settings.tesseract_cmd


def _missing(settings: OcrSettings) -> EngineMissingError:
    return EngineMissingError(
        f"tesseract was not found (command {settings.tesseract_cmd!r}); install tesseract-ocr"
    )


@lru_cache(maxsize=8)
def _installed_languages(cmd: str) -> frozenset[str]:
    pytesseract.pytesseract.tesseract_cmd = cmd
    return frozenset(pytesseract.get_languages(config=""))


def installed_languages(settings: OcrSettings) -> frozenset[str]:
    """Return the language data installed for the configured tesseract."""
    _use(settings)
    try:
        return _installed_languages(settings.tesseract_cmd)
    except pytesseract.TesseractNotFoundError as e:
        raise _missing(settings) from e
    except (pytesseract.TesseractError, OSError) as e:
        raise EngineError(f"tesseract --list-langs failed: {e}") from e


def resolve_languages(
    languages: Iterable[str], settings: OcrSettings
) -> tuple[str, tuple[str, ...]]:
    """Map language codes to installed tesseract data: ('deu+eng', codes not installed)."""
    installed = installed_languages(settings)
    chosen: list[str] = []
    missing: list[str] = []
    for code in [*languages, *settings.languages_always]:
        name = _LANGUAGE_CODES.get(code.strip().lower(), code.strip().lower())
        if not name or name in chosen:
            continue
        (chosen if name in installed else missing).append(name)
    if not chosen:
        raise EngineMissingError("tesseract has none of the needed language data installed")
    return "+".join(chosen), tuple(missing)


def _as_file(image: Image.Image, directory: str) -> str:
    # Uncompressed PNM is far cheaper to hand over than pytesseract's default PNG.
    if image.mode not in ("1", "L"):
        image = image.convert("L")
    path = os.path.join(directory, "page.pbm" if image.mode == "1" else "page.pgm")
    image.save(path)
    return path


def _fail(e: Exception, settings: OcrSettings) -> Exception:
    if isinstance(e, pytesseract.TesseractNotFoundError):
        return _missing(settings)
    message = str(e)
    if isinstance(e, RuntimeError) and "timeout" in message.lower():
        return OcrTimeout(f"tesseract gave up after {settings.page_timeout_s:.0f} s")
    if "Failed loading language" in message or "Error opening data file" in message:
        return EngineMissingError(f"tesseract language data is missing: {message.strip()}")
    return EngineError(f"tesseract failed: {message.strip()}")


def recognise(
    image: Image.Image, lang: str, settings: OcrSettings, psm: int = 3
) -> tuple[Word, ...]:
    """OCR one page image and return its words (confidence 0-100, boxes in image pixels)."""
    _use(settings)
    with tempfile.TemporaryDirectory(prefix="tradein-ocr-") as tmp:
        try:
            tsv = pytesseract.image_to_data(
                _as_file(image, tmp),
                lang=lang,
                config=f"--psm {psm}",
                timeout=settings.page_timeout_s,
            )
        except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError,
                RuntimeError) as e:
            raise _fail(e, settings) from e
    return parse_tsv(tsv)


def parse_tsv(tsv: str) -> tuple[Word, ...]:
    """Parse tesseract's TSV output into words, numbering lines in reading order."""
    words: list[Word] = []
    line_ids: dict[tuple[str, str, str, str], int] = {}
    rows = tsv.splitlines()
    for row in rows[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        try:
            conf = float(cols[10])
        except ValueError:
            continue
        if not text or conf < 0:
            continue
        key = (cols[1], cols[2], cols[3], cols[4])
        line = line_ids.setdefault(key, len(line_ids))
        left, top, width, height = (int(c) for c in cols[6:10])
        words.append(Word(text, conf, left, top, width, height, line))
    return tuple(words)


_ROTATE = re.compile(r"Rotate:\s+(\d+)")
_ORIENT_CONF = re.compile(r"Orientation confidence:\s+([\d.]+)")


def orientation(image: Image.Image, settings: OcrSettings) -> Orientation | None:
    """Detect the page's orientation (tesseract OSD); None when there is too little text."""
    _use(settings)
    with tempfile.TemporaryDirectory(prefix="tradein-osd-") as tmp:
        try:
            out = pytesseract.image_to_osd(
                _as_file(image, tmp),
                config="--psm 0",
                timeout=settings.page_timeout_s,
            )
        except pytesseract.TesseractError as e:
            if "Too few characters" in str(e) or "0 dpi" in str(e):
                return None
            if "Failed loading language" in str(e) or "osd.traineddata" in str(e):
                raise _fail(e, settings) from e
            return None
        except (pytesseract.TesseractNotFoundError, RuntimeError) as e:
            raise _fail(e, settings) from e
    rotate, conf = _ROTATE.search(out), _ORIENT_CONF.search(out)
    if not rotate or not conf:
        return None
    return Orientation(int(rotate.group(1)), float(conf.group(1)))


def recognise_line(
    image: Image.Image, lang: str, settings: OcrSettings, whitelist: str = "", psm: int = 7
) -> tuple[Word, ...]:
    """OCR one line of print (psm 7), optionally restricted to the characters of whitelist
    (a second reading of a code, e.g. a serial number: no lower case, no punctuation)."""
    _use(settings)
    config = f"--psm {psm}"
    if whitelist:
        config += f" -c tessedit_char_whitelist={whitelist}"
    with tempfile.TemporaryDirectory(prefix="tradein-ocr-") as tmp:
        try:
            tsv = pytesseract.image_to_data(
                _as_file(image, tmp), lang=lang, config=config, timeout=settings.page_timeout_s
            )
        except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError,
                RuntimeError) as e:
            raise _fail(e, settings) from e
    return parse_tsv(tsv)
