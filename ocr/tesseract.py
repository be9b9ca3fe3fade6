"""The tesseract engine, in process through its C API (tesserocr): the only importer of it.

One engine (a loaded language set) serves one page at a time; idle engines are pooled per
language set, so a page pays neither a process start nor a model load (about 0.15 s each for
deu+eng, measured against the CLI). Recognition runs with the GIL released, so the task
runner's threads read pages on every core. OpenMP is limited to one thread before the library
loads: tesseract's own threads slow down pages read in parallel.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image

from ocr.types import OcrSettings, Word
from tradein.errors import EngineError, EngineMissingError

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # read once, when the library loads

try:
    import tesserocr
except ImportError as e:  # pragma: no cover - the dependency is declared
    raise EngineMissingError(
        "the Python package tesserocr is not installed (it builds against Debian's "
        "libtesseract-dev; run make setup)") from e


def _quiet_leptonica() -> None:
    """Silence leptonica's messages on stderr (tesseract's CLI printed them to its own
    stderr, which was discarded; in process they would fill the nightly log)."""
    name = ctypes.util.find_library("lept") or ctypes.util.find_library("leptonica")
    if name:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(name).setMsgSeverity(6)  # L_SEVERITY_NONE


_quiet_leptonica()

# ISO 639-1 (and a few country-ish spellings) to tesseract's ISO 639-2 data names.
_LANGUAGE_CODES = {
    "de": "deu", "ger": "deu", "fr": "fra", "fre": "fra", "en": "eng", "it": "ita",
    "es": "spa", "nl": "nld", "dut": "nld", "pt": "por", "pl": "pol", "cs": "ces",
    "da": "dan", "sv": "swe", "fi": "fin", "no": "nor", "nb": "nor", "hu": "hun",
}
_OSD = "osd"


class OcrTimeout(Exception):  # noqa: N818 - internal signal, never escapes the package
    """Internal: tesseract did not finish a page within the page timeout."""


@dataclass(frozen=True)
class Orientation:
    """Tesseract's orientation and script detection for a page."""

    rotate: int  # degrees counter-clockwise to turn the image upright (0, 90, 180, 270)
    confidence: float


@lru_cache(maxsize=1)
def _default_data_dir() -> str:
    return tesserocr.get_languages()[0]


def _data_dir(settings: OcrSettings) -> str:
    """The tessdata directory: the configured one, else the library's own default."""
    if settings.tessdata_dir:
        return os.path.join(settings.tessdata_dir, "")
    return _default_data_dir()


@lru_cache(maxsize=8)
def _installed_in(path: str) -> frozenset[str]:
    if not os.path.isdir(path):
        raise EngineMissingError(
            f"tesseract language data was not found in {path!r}; install tesseract-ocr "
            "and its language packs")
    return frozenset(tesserocr.get_languages(path)[1])


def installed_languages(settings: OcrSettings) -> frozenset[str]:
    """Return the language data installed for the configured tesseract."""
    return _installed_in(_data_dir(settings))


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


class _EnginePool:
    """Idle engines per (tessdata, languages); at most ``keep`` idle engines in all."""

    def __init__(self, keep: int) -> None:
        self._idle: dict[tuple[str, str], list[tesserocr.PyTessBaseAPI]] = {}
        self._order: list[tuple[str, str]] = []  # keys of idle engines, oldest first
        self._lock = threading.Lock()
        self.keep = keep

    def take(self, path: str, lang: str) -> tesserocr.PyTessBaseAPI:
        """An idle engine for the languages, or a newly loaded one."""
        key = (path, lang)
        with self._lock:
            if self._idle.get(key):
                self._order.remove(key)
                return self._idle[key].pop()
        _installed_in(path)
        try:
            return tesserocr.PyTessBaseAPI(path=path, lang=lang, init=True)
        except RuntimeError as e:
            raise EngineMissingError(
                f"tesseract could not load language data {lang!r} from {path!r}: {e}") from e

    def give_back(self, path: str, lang: str, api: tesserocr.PyTessBaseAPI) -> None:
        """Keep an engine for the next page; the oldest idle one is closed beyond ``keep``."""
        api.Clear()
        with self._lock:
            self._idle.setdefault((path, lang), []).append(api)
            self._order.append((path, lang))
            while len(self._order) > self.keep:
                old = self._order.pop(0)
                self._idle[old].pop(0).End()


# A loaded engine holds about 25 MB and takes about 0.13 s to load: keep enough for every
# language set of a nightly run (six countries and OSD) on each of a few threads.
_POOL = _EnginePool(keep=16)


@contextlib.contextmanager
def _engine(lang: str, settings: OcrSettings, psm: int, whitelist: str = "") -> Iterator:
    path = _data_dir(settings)
    api = _POOL.take(path, lang)
    api.SetPageSegMode(psm)
    api.SetVariable("tessedit_char_whitelist", whitelist)
    try:
        yield api
    except BaseException:
        api.End()  # an engine that failed mid-page is not reused
        raise
    _POOL.give_back(path, lang, api)


def _set_image(api: tesserocr.PyTessBaseAPI, image: Image.Image) -> None:
    if image.mode != "L":
        image = image.convert("L")
    api.SetImageBytes(image.tobytes(), image.width, image.height, 1, image.width)


def _recognised(api: tesserocr.PyTessBaseAPI, image: Image.Image, settings: OcrSettings) -> str:
    """Recognise the image and return tesseract's TSV."""
    try:
        _set_image(api, image)
        done = api.Recognize(timeout=max(1, round(settings.page_timeout_s * 1000)))
    except RuntimeError as e:
        raise EngineError(f"tesseract failed: {e}") from e
    if not done:
        raise OcrTimeout(f"tesseract gave up after {settings.page_timeout_s:.0f} s")
    return api.GetTSVText(0) or ""


def recognise(
    image: Image.Image, lang: str, settings: OcrSettings, psm: int = 3, whitelist: str = ""
) -> tuple[Word, ...]:
    """OCR one page image and return its words (confidence 0-100, boxes in image pixels),
    optionally restricted to the characters of whitelist."""
    with _engine(lang, settings, psm, whitelist) as api:
        return parse_tsv(_recognised(api, image, settings))


def recognise_char(image: Image.Image, lang: str, settings: OcrSettings, allowed: str) -> Word | None:
    """Read an image of one glyph alone, as one character of allowed (psm 10): the word
    read, or None when nothing was (or the engine gave up)."""
    try:
        words = recognise(image, lang, settings, psm=10, whitelist=allowed)
    except OcrTimeout:
        return None
    return words[0] if words else None


def parse_tsv(tsv: str) -> tuple[Word, ...]:
    """Parse tesseract's TSV (with or without its header row) into words, numbering lines in
    reading order."""
    words: list[Word] = []
    line_ids: dict[tuple[str, str, str, str], int] = {}
    for row in tsv.splitlines():
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


def orientation(image: Image.Image, settings: OcrSettings) -> Orientation | None:
    """Detect the page's orientation (tesseract OSD); None when there is too little text."""
    with _engine(_OSD, settings, tesserocr.PSM.OSD_ONLY) as api:
        try:
            _set_image(api, image)
            found = api.DetectOrientationScript()
        except RuntimeError as e:
            raise EngineError(f"tesseract orientation detection failed: {e}") from e
    if not found:
        return None
    # orient_deg is how far the page is turned clockwise; undo it counter-clockwise
    return Orientation((360 - int(found["orient_deg"])) % 360, float(found["orient_conf"]))


def recognise_line(
    image: Image.Image, lang: str, settings: OcrSettings, whitelist: str = "", psm: int = 7
) -> tuple[Word, ...]:
    """OCR one line of print (psm 7), optionally restricted to the characters of whitelist
    (a second reading of a code, e.g. a serial number: no lower case, no punctuation)."""
    return recognise(image, lang, settings, psm, whitelist)
