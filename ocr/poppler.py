"""Poppler's command-line tools (pdfinfo, pdftotext, pdfimages): the PDF facts and text layer."""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ocr.types import OcrSettings, UnreadableFile, Word
from tradein.errors import EngineMissingError


@dataclass(frozen=True)
class PdfInfo:
    """What pdfinfo says about a PDF."""

    pages: int
    encrypted: bool


@dataclass(frozen=True)
class LayerPage:
    """The text layer of one PDF page; sizes in pixels at settings.dpi."""

    words: tuple[Word, ...]
    width_px: float
    height_px: float


@dataclass(frozen=True)
class PageImage:
    """The largest image drawn on a PDF page, as pdfimages -list reports it."""

    page: int  # 1-based, as poppler counts
    width: int
    height: int
    bits: int
    encoding: str  # 'ccitt', 'jpeg', 'jbig2', 'image', ...
    ppi_x: float
    ppi_y: float


def _tool(name: str, settings: OcrSettings) -> str:
    return str(Path(settings.poppler_path) / name) if settings.poppler_path else name


def _run(args: list[str], settings: OcrSettings, timeout: float) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(args, capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError as e:
        raise EngineMissingError(
            f"poppler's {Path(args[0]).name} was not found"
            f"{' in ' + settings.poppler_path if settings.poppler_path else ' on PATH'}"
            " (install poppler-utils)"
        ) from e
    except subprocess.TimeoutExpired as e:
        raise UnreadableFile(f"{Path(args[0]).name} gave up after {timeout:.0f} s") from e


def _first_error(stderr: bytes) -> str:
    lines = [ln.strip() for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    return lines[-1] if lines else "no message"


def pdf_info(path: Path, settings: OcrSettings) -> PdfInfo:
    """Return page count and encryption of a PDF; UnreadableFile when poppler cannot open it."""
    proc = _run([_tool("pdfinfo", settings), str(path)], settings, settings.page_timeout_s)
    out = proc.stdout.decode("utf-8", "replace")
    if proc.returncode != 0:
        message = _first_error(proc.stderr)
        if "password" in message.lower():
            raise UnreadableFile("the PDF is encrypted with a password")
        raise UnreadableFile(f"the PDF cannot be opened ({message})")
    pages = re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE)
    encrypted = re.search(r"^Encrypted:\s+yes", out, re.MULTILINE) is not None
    if not pages or int(pages.group(1)) < 1:
        raise UnreadableFile("the PDF has no pages")
    return PdfInfo(pages=int(pages.group(1)), encrypted=encrypted)


_PAGE = re.compile(
    r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.DOTALL
)
_LINE = re.compile(r"<line\b[^>]*>(.*?)</line>", re.DOTALL)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
    re.DOTALL,
)


def text_layer(path: Path, last_page: int, settings: OcrSettings) -> list[LayerPage]:
    """Return the words of each page's text layer (boxes scaled to settings.dpi pixels)."""
    proc = _run(
        [_tool("pdftotext", settings), "-bbox-layout", "-l", str(last_page), str(path), "-"],
        settings,
        settings.page_timeout_s * last_page,
    )
    if proc.returncode != 0:
        raise UnreadableFile(f"the PDF text cannot be read ({_first_error(proc.stderr)})")
    scale = settings.dpi / 72.0
    pages: list[LayerPage] = []
    for page in _PAGE.finditer(proc.stdout.decode("utf-8", "replace")):
        words: list[Word] = []
        for line_id, line in enumerate(_LINE.finditer(page.group(3))):
            for m in _WORD.finditer(line.group(1)):
                x0, y0, x1, y1 = (float(v) * scale for v in m.groups()[:4])
                text = html.unescape(m.group(5)).strip()
                if text:
                    words.append(
                        Word(text, 100.0, round(x0), round(y0), round(x1 - x0), round(y1 - y0),
                             line_id)
                    )
        width, height = float(page.group(1)) * scale, float(page.group(2)) * scale
        pages.append(LayerPage(tuple(words), round(width), round(height)))
    return pages


_IMAGE_ROW = re.compile(
    r"^\s*(\d+)\s+\d+\s+(\w+)\s+(\d+)\s+(\d+)\s+\S+\s+\d+\s+(\d+)\s+(\S+)\s+\S+\s+\d+\s+\d+"
    r"\s+([\d.]+)\s+([\d.]+)",
    re.MULTILINE,
)


def page_images(path: Path, last_page: int, settings: OcrSettings) -> dict[int, PageImage]:
    """Return the largest image of each page (by pixel count), keyed by 1-based page number."""
    proc = _run(
        [_tool("pdfimages", settings), "-list", "-l", str(last_page), str(path)],
        settings,
        settings.page_timeout_s,
    )
    if proc.returncode != 0:
        return {}  # an optional signal: the page is still read without it
    best: dict[int, PageImage] = {}
    for m in _IMAGE_ROW.finditer(proc.stdout.decode("utf-8", "replace")):
        page, kind, w, h, bits, enc, ppi_x, ppi_y = m.groups()
        if kind not in ("image", "stencil"):
            continue
        image = PageImage(int(page), int(w), int(h), int(bits), enc, float(ppi_x), float(ppi_y))
        current = best.get(image.page)
        if current is None or image.width * image.height > current.width * current.height:
            best[image.page] = image
    return best
