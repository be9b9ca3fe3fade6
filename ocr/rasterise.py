"""PDF pages to grayscale images (pdf2image over pdftoppm); the only importer of pdf2image."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from ocr.types import OcrSettings, UnreadableFile
from tradein.errors import EngineMissingError

try:
    import pdf2image
    from pdf2image import exceptions as pdf2image_errors
except ImportError as e:  # pragma: no cover - the dependency is declared
    raise EngineMissingError("the Python package pdf2image is not installed") from e


def rasterise_page(path: Path, page: int, settings: OcrSettings, dpi: int | None = None) -> Image.Image:
    """Render one 1-based PDF page at dpi (default settings.dpi) as an 8-bit grayscale image."""
    try:
        images = pdf2image.convert_from_path(
            path,
            dpi=dpi or settings.dpi,
            first_page=page,
            last_page=page,
            fmt="ppm",  # uncompressed PGM with grayscale: the fastest hand-over
            grayscale=True,
            timeout=max(1, round(settings.page_timeout_s)),
            poppler_path=settings.poppler_path,
        )
    except pdf2image_errors.PopplerNotInstalledError as e:
        raise EngineMissingError(
            "poppler (pdfinfo/pdftoppm) was not found; install poppler-utils"
        ) from e
    except FileNotFoundError as e:
        raise EngineMissingError(f"poppler's pdftoppm was not found ({e.filename})") from e
    except pdf2image_errors.PDFPopplerTimeoutError as e:
        raise UnreadableFile(
            f"page {page} could not be rendered within {settings.page_timeout_s:.0f} s"
        ) from e
    except (pdf2image_errors.PDFPageCountError, pdf2image_errors.PDFSyntaxError) as e:
        raise UnreadableFile(f"page {page} cannot be rendered ({e})") from e
    if not images:
        raise UnreadableFile(f"page {page} rendered to nothing")
    return images[0].convert("L")
