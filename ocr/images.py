"""Opening image files (JPEG, PNG, TIFF incl. CCITT fax) as pages with their scan facts."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from ocr.types import OcrSettings, UnreadableFile


@dataclass(frozen=True)
class RawPage:
    """One page as stored in the file, with what the file says about how it was scanned."""

    image: Image.Image  # mode '1' (bilevel) or 'L' (8-bit gray); EXIF orientation applied
    dpi_x: float | None
    dpi_y: float | None
    bit_depth: int
    compression: str  # TIFF compression ('group3', 'group4', 'raw', ...) or the format name


def _dpi(image: Image.Image) -> tuple[float | None, float | None]:
    dpi = image.info.get("dpi")
    if not dpi or len(dpi) != 2:
        return None, None
    try:
        x, y = float(dpi[0]), float(dpi[1])
    except (TypeError, ValueError):
        return None, None
    if x <= 1 or y <= 1:  # 0/1 = unknown; JFIF 'aspect ratio only' files say 1x1
        return None, None
    return x, y


def _page(frame: Image.Image, fmt: str, settings: OcrSettings) -> RawPage:
    if frame.width * frame.height > settings.max_image_pixels:
        raise UnreadableFile(
            f"the image is {frame.width}x{frame.height} px, above the "
            f"{settings.max_image_pixels:,} px limit"
        )
    dpi_x, dpi_y = _dpi(frame)
    compression = str(frame.info.get("compression", fmt.lower()))
    exif = frame.getexif()
    frame.load()
    upright = ImageOps.exif_transpose(frame)  # camera orientation tag (JPEG, TIFF)
    if upright.mode == "1":
        image, bits = upright.copy(), 1
    else:
        if upright.mode in ("RGBA", "LA", "P", "PA"):
            upright = _flatten(upright)
        image, bits = upright.convert("L"), 8
    if upright is not frame and exif.get(0x0112, 1) in (5, 6, 7, 8):
        dpi_x, dpi_y = dpi_y, dpi_x
    return RawPage(image, dpi_x, dpi_y, bits, compression)


def _flatten(image: Image.Image) -> Image.Image:
    rgba = image.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")


def count_pages(path: Path) -> int:
    """Return the number of pages (frames) of an image file."""
    try:
        with Image.open(path) as im:
            return getattr(im, "n_frames", 1)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, SyntaxError,
            ValueError) as e:
        raise UnreadableFile(f"the image cannot be opened ({e})") from e


def open_page(path: Path, index: int, settings: OcrSettings) -> RawPage:
    """Return one page (0-based frame) of an image file; UnreadableFile when it is broken."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                fmt = im.format or "unknown"
                im.seek(index)
                return _page(im, fmt, settings)
    except UnreadableFile:
        raise
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, SyntaxError, ValueError, EOFError) as e:
        raise UnreadableFile(f"page {index + 1} of the image cannot be decoded ({e})") from e
