"""Page images made ready for OCR: square pixels, despeckle, paper crop, flat light, deskew.

Each step is a small function from image to image; :func:`prepare` runs them in order and
records what it measured and did (as numbers), for the quality grade and for the reviewer.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from ocr.images import RawPage
from ocr.types import OcrSettings

# Pages are read in parallel, one per core (tesseract is single-threaded too): OpenCV's own
# thread pool would only compete with the other pages for the same cores.
cv2.setNumThreads(1)


@dataclass(frozen=True)
class Prepared:
    """A page image ready for tesseract, with the signals measured on the way."""

    image: Image.Image  # mode 'L', square pixels
    metrics: dict[str, float]  # measured signals, plus what was done (cropped=1, skew_deg ...)


def despeckle(gray: np.ndarray, max_area: int = 2) -> np.ndarray:
    """Remove isolated dark specks (fax and scanner noise) of at most max_area pixels."""
    ink = (gray < 128).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count <= 1:
        return gray
    small = stats[:, cv2.CC_STAT_AREA] <= max_area
    small[0] = False
    out = gray.copy()
    out[small[labels]] = 255
    return out


def fill_pinholes(gray: np.ndarray, max_area: int = 2) -> np.ndarray:
    """Fill tiny white holes inside the print (fax 'salt' noise) of at most max_area pixels."""
    white = (gray >= 128).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(white, connectivity=4)
    if count <= 1:
        return gray
    small = stats[:, cv2.CC_STAT_AREA] <= max_area
    small[0] = False
    out = gray.copy()
    out[small[labels]] = 0
    return out


def bilevel_to_gray(image: Image.Image, dpi_x: float, dpi_y: float, target_dpi: int) -> Image.Image:
    """Turn a 1-bit page into smooth 8-bit gray with square pixels at no less than target_dpi."""
    clean = fill_pinholes(despeckle(np.asarray(image.convert("L"))))
    scale_x = max(1.0, target_dpi / dpi_x)
    width = round(image.width * scale_x)
    height = round(image.height * scale_x * dpi_x / dpi_y)
    if (width, height) != (clean.shape[1], clean.shape[0]):
        clean = cv2.resize(clean, (width, height), interpolation=cv2.INTER_CUBIC)
    return Image.fromarray(cv2.GaussianBlur(clean, (0, 0), 1.2))


def square_pixels(image: Image.Image, dpi_x: float, dpi_y: float) -> Image.Image:
    """Stretch the lower-resolution axis so that both axes have dpi_x pixels per inch."""
    if abs(dpi_x / dpi_y - 1) < 0.05:
        return image
    return image.resize((image.width, round(image.height * dpi_x / dpi_y)),
                        Image.Resampling.BICUBIC)


def limit_size(image: Image.Image, max_side: int) -> Image.Image:
    """Scale a page down so that its longer side is at most max_side pixels."""
    side = max(image.size)
    if side <= max_side:
        return image
    f = max_side / side
    return image.resize((round(image.width * f), round(image.height * f)),
                        Image.Resampling.LANCZOS)


def _small(gray: np.ndarray, side: int = 800) -> tuple[np.ndarray, float]:
    f = min(1.0, side / max(gray.shape))
    if f == 1.0:
        return gray, f
    return cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA), f


def _background_small(gray: np.ndarray, divisor: float) -> np.ndarray:
    small, _ = _small(gray, 600)
    k = max(5, round(max(small.shape) / divisor)) | 1
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    return cv2.GaussianBlur(bg, (0, 0), k / 2)


def background(gray: np.ndarray, divisor: float = 25.0) -> np.ndarray:
    """Estimate the paper brightness under the print (a grey closing of 1/divisor of the page,
    larger than table header bands, so that those stay dark), smoothed."""
    bg = _background_small(gray, divisor)
    return cv2.resize(bg, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)


def measure(gray: np.ndarray, min_separation: float) -> dict[str, float]:
    """Measure contrast, ink coverage, sharpness and light unevenness of a grayscale page.

    ``ink_separation`` is the gap between the mean dark and mean light pixel (Otsu classes);
    under min_separation the page has no print worth the name and ``ink`` is 0. ``blur`` is
    the variance of the Laplacian (high = sharp); ``sharpness`` is that variance per squared
    ink separation (x 1000), so that faint print is not taken for blurred print.
    """
    small, _ = _small(gray, 1200)
    p5, p50, p95 = np.percentile(small, (5, 50, 95))
    threshold, _ = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    dark, light = small[small <= threshold], small[small > threshold]
    separation = float(light.mean() - dark.mean()) if dark.size and light.size else 0.0
    ink = dark.size / small.size if separation >= min_separation else 0.0
    bg, _ = _small(_background_small(small, 25.0), 200)  # from the small copy: same scale
    b5, b95 = np.percentile(bg, (5, 95))
    blur = float(cv2.Laplacian(small, cv2.CV_64F).var())
    return {
        "contrast": float(p95 - p5),
        "brightness": float(p50),
        "ink": float(ink),
        "ink_separation": separation,
        "blur": blur,
        "sharpness": 1000.0 * blur / max(separation, 1.0) ** 2,
        "uneven_light": float((b95 - b5) / max(b95, 1.0)),
    }


def _order(quad: np.ndarray) -> np.ndarray:
    s, d = quad.sum(axis=1), np.diff(quad, axis=1).ravel()
    return np.float32([quad[np.argmin(s)], quad[np.argmin(d)], quad[np.argmax(s)],
                       quad[np.argmax(d)]])


def paper_quad(gray: np.ndarray, min_step: float) -> np.ndarray | None:
    """Find the sheet of paper in a photo: the largest bright quadrilateral at least min_step
    grey levels brighter than its surroundings; None if there is no such sheet."""
    small, f = _small(gray, 800)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    _, th = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    th = cv2.morphologyEx(th, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    contours, _ = cv2.findContours(th, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    hull = cv2.convexHull(max(contours, key=cv2.contourArea))
    area = cv2.contourArea(hull) / (small.shape[0] * small.shape[1])
    if not 0.25 <= area <= 0.93:  # no distinct sheet, or the sheet fills the frame
        return None
    inside = np.zeros(small.shape, np.uint8)
    cv2.drawContours(inside, [hull], -1, 255, -1)
    paper, desk = np.median(small[inside > 0]), np.median(small[inside == 0])
    if paper - desk < min_step:  # the 'sheet' is a light blob, not paper on a desk
        return None
    perimeter = cv2.arcLength(hull, True)
    quad = None
    for eps in (0.01, 0.02, 0.03, 0.05, 0.08):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4:
            quad = approx.reshape(4, 2).astype(np.float32)
            break
    if quad is None:
        quad = cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)
    return _order(quad / f)


def crop_to_paper(gray: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Warp the sheet inside quad to an upright rectangle (perspective correction)."""
    tl, tr, br, bl = quad
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(quad, target)
    return cv2.warpPerspective(gray, matrix, (width, height), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)


def glyph_height(gray: np.ndarray, least_px: int = 5, most_px: int = 120, widest: float = 2.0,
                 fewest: int = 30) -> float:
    """Median height in pixels of the glyph-like ink blobs (``least_px`` to ``most_px`` tall, at
    most ``widest`` times as wide as tall); 0 when there are fewer than ``fewest``."""
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h, w = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    glyphs = h[(h >= least_px) & (h <= most_px) & (w <= widest * h) & (w >= 2)]
    return float(np.median(glyphs)) if len(glyphs) >= fewest else 0.0


def print_size(gray: np.ndarray) -> float:
    """Median glyph size in pixels along the text lines' height, whichever way the page is
    turned: the larger of the glyph-like blobs' median height and median width (0 when there
    are too few). Large pages are measured at half size (their print is never small)."""
    scale = 2.0 if max(gray.shape) > 2400 else 1.0
    if scale > 1:
        gray = cv2.resize(gray, None, fx=1 / scale, fy=1 / scale, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h, w = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    big, small = np.maximum(h, w), np.minimum(h, w)
    keep = (big >= 5) & (big <= 120) & (big <= 2 * small)
    if keep.sum() < 30:
        return 0.0
    return scale * float(max(np.median(h[keep]), np.median(w[keep])))


def enlargement(glyph_px: float, longest_side: int, settings: OcrSettings) -> float:
    """How much to enlarge a page whose print is small for tesseract (1 = leave it)."""
    if not 0 < glyph_px < settings.min_glyph_px:
        return 1.0
    factor = min(settings.max_enlarge, settings.target_glyph_px / glyph_px,
                 settings.max_side_px / longest_side)
    return factor if factor >= 1.15 else 1.0


def enlarge(gray: np.ndarray, factor: float) -> np.ndarray:
    """Scale a page up by factor (bicubic)."""
    size = (round(gray.shape[1] * factor), round(gray.shape[0] * factor))
    return cv2.resize(gray, size, interpolation=cv2.INTER_CUBIC)


def remove_rules(gray: np.ndarray, min_len_px: int) -> np.ndarray:
    """Paint long thin horizontal and vertical lines (table grids) that glue onto words over
    with the paper's shade.

    Ink is what is darker than its neighbourhood, not what a page-wide threshold calls dark:
    a table's rules are often printed light grey, which tesseract still glues to the words
    beside them. White lines on a grey scan would draw new boxes, so the paper's own shade
    (its typical light pixel) is used."""
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 20)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, min_len_px), np.uint8))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((min_len_px, 1), np.uint8))
    rules = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((3, 3), np.uint8))
    out = gray.copy()
    out[rules > 0] = int(np.percentile(gray[::4, ::4], 75))
    return out


def flatten_light(gray: np.ndarray) -> np.ndarray:
    """Divide the page by its estimated background so the paper is evenly white."""
    bg = background(gray).astype(np.float32)
    out = gray.astype(np.float32) / np.maximum(bg, 1.0) * 255.0
    return np.clip(out, 0, 255).astype(np.uint8)


def skew_angle(gray: np.ndarray, max_deg: float) -> float:
    """Estimate the text skew in degrees (counter-clockwise positive) by projection profiles."""
    return skew_and_sharpness(gray, max_deg)[0]


def skew_and_sharpness(gray: np.ndarray, max_deg: float) -> tuple[float, float]:
    """The text skew in degrees (counter-clockwise positive) and how sharply the rows' ink
    profile peaks at it (the sum of its squared steps over the ink: lines of print running
    across give far sharper profiles than the same page turned a quarter)."""
    small, _ = _small(gray, 1000)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if ink.mean() < 0.5:  # next to no ink
        return 0.0, 0.0
    h, w = ink.shape
    ys, xs = np.nonzero(ink)
    xs = xs.astype(np.float32) - w / 2
    ys = ys.astype(np.float32) - h / 2
    rows = int(np.hypot(h, w)) + 2

    def score(angle: float) -> float:
        # the row each ink pixel lands on when the page is turned by angle (as cv2 turns it)
        t = np.deg2rad(angle)
        y = ys * np.float32(np.cos(t)) - xs * np.float32(np.sin(t))
        profile = np.bincount((y + rows / 2).astype(np.int32), minlength=rows).astype(np.float64)
        return float(np.sum(np.diff(profile) ** 2))

    coarse = np.arange(-max_deg, max_deg + 1e-9, 0.25)  # the peak is narrow: step finely
    best = max(coarse, key=score)
    fine = max(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05), key=score)
    return round(float(fine), 2), score(fine) / len(xs)


def line_structure(gray: np.ndarray) -> tuple[float, float]:
    """How strongly the print forms lines across the rows, and across the columns: the mean
    squared step of the ink profile along each axis over the squared mean ink per line. Text
    lines make the profile across them jump; a page turned a quarter shows them in columns."""
    small, _ = _small(gray, 1000)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink = ink > 0
    share = float(ink.mean())
    if share == 0:
        return 0.0, 0.0
    rows, cols = ink.sum(axis=1).astype(np.float64), ink.sum(axis=0).astype(np.float64)
    across_rows = float(np.mean(np.diff(rows) ** 2)) / (share * ink.shape[1]) ** 2
    across_cols = float(np.mean(np.diff(cols) ** 2)) / (share * ink.shape[0]) ** 2
    return across_rows, across_cols


def looks_quarter_turned(gray: np.ndarray, settings: OcrSettings) -> bool:
    """Whether the page's text lines run up and down (the page is turned 90 or 270 degrees).

    On the bench corpus, upright pages measure 0.09-0.17 across the columns and 3-8 x as much
    across the rows; quarter-turned photos 0.3-1.3 across the columns and 2-8 x less across
    the rows; illegible pictures show no lines either way (below 0.003).
    """
    across_rows, across_cols = line_structure(gray)
    return across_cols >= settings.turned_min_structure and across_cols > settings.turned_min_ratio * across_rows


def ascender_ratio(gray: np.ndarray, min_lines: int = 5) -> float | None:
    """Ink above the core of the text lines over ink below it (ascenders and capitals over
    descenders: well above 1 for upright Latin print, below 1 upside down); None when fewer
    than ``min_lines`` lines of print are found."""
    small, _ = _small(gray, 1600)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    profile = (ink > 0).sum(axis=1).astype(np.float64)
    if profile.max() == 0:
        return None
    inked = np.concatenate(([False], profile > 0.08 * profile.max(), [False]))
    edges = np.flatnonzero(np.diff(inked.astype(np.int8)))
    above = below = 0.0
    lines = 0
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        band = profile[start:end]
        if not 6 <= end - start <= 80:
            continue
        core = np.flatnonzero(band >= 0.5 * band.max())
        above += float(band[: core[0]].sum())
        below += float(band[core[-1] + 1:].sum())
        lines += 1
    if lines < min_lines:
        return None
    return above / max(below, 1.0)


def looks_upside_down(gray: np.ndarray, settings: OcrSettings) -> bool:
    """Whether the page's print stands on its head (a wrong guess costs time, not the reading:
    a page read badly is asked OSD and read again)."""
    ratio = ascender_ratio(gray)
    return ratio is not None and ratio < settings.upside_down_max_ratio


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    """Rotate a page by angle degrees (counter-clockwise), filling with white."""
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def _to_gray(raw: RawPage, metrics: dict[str, float], settings: OcrSettings) -> np.ndarray:
    """Stage 1: 8-bit gray with square pixels, no larger than settings.max_side_px."""
    image = raw.image
    if raw.bit_depth == 1:
        dpi_x = raw.dpi_x or 200.0
        image = bilevel_to_gray(image, dpi_x, raw.dpi_y or dpi_x, settings.fax_dpi)
        metrics["despeckled"] = 1.0
    elif raw.dpi_x and raw.dpi_y:
        image = square_pixels(image, raw.dpi_x, raw.dpi_y)
    return np.asarray(limit_size(image, settings.max_side_px))


def _photo_steps(gray: np.ndarray, metrics: dict[str, float], settings: OcrSettings) -> np.ndarray:
    """Stage 2 (grey pages): crop a photographed sheet, flatten uneven light."""
    quad = paper_quad(gray, settings.paper_min_step)
    if quad is not None:
        gray = crop_to_paper(gray, quad)
        metrics["cropped"] = 1.0
    if quad is not None or metrics["uneven_light"] > settings.flatten_min_unevenness:
        gray = flatten_light(gray)
        metrics["light_flattened"] = 1.0
    return gray


def _deskew(gray: np.ndarray, metrics: dict[str, float], settings: OcrSettings) -> np.ndarray:
    """Stage 3: straighten the text lines."""
    angle = skew_angle(gray, settings.deskew_max_deg)
    metrics["skew_deg"] = angle
    if abs(angle) >= settings.deskew_min_deg:
        gray = rotate(gray, angle)
        metrics["deskewed_deg"] = angle
    return gray


def _print_steps(gray: np.ndarray, metrics: dict[str, float], settings: OcrSettings) -> np.ndarray:
    """Stage 4 (grey pages; on 1-bit faxes both measurably hurt): enlarge small print, erase
    table rules."""
    if settings.max_enlarge > 1:
        metrics["glyph_px"] = glyph_height(gray)
        factor = enlargement(metrics["glyph_px"], max(gray.shape), settings)
        if factor > 1:
            gray = enlarge(gray, factor)
            metrics["enlarged"] = round(factor, 2)
    return remove_rules(gray, max(40, gray.shape[1] // settings.rule_min_fraction))


def prepare(raw: RawPage, settings: OcrSettings) -> Prepared:
    """Run the preprocessing stages on one page and report what was measured and done."""
    metrics: dict[str, float] = {
        "bit_depth": float(raw.bit_depth),
        "raw_width_px": float(raw.image.width),
        "raw_height_px": float(raw.image.height),
    }
    if raw.dpi_x and raw.dpi_y:
        metrics.update(dpi_x=raw.dpi_x, dpi_y=raw.dpi_y)
    gray = _to_gray(raw, metrics, settings)
    metrics.update(measure(gray, settings.min_ink_separation))
    has_print = metrics["ink"] > 0  # a flat page (blank or washed out) is left alone
    grey_page = raw.bit_depth == 8
    if has_print and grey_page:
        gray = _photo_steps(gray, metrics, settings)
    if has_print:
        gray = _deskew(gray, metrics, settings)
    if has_print and grey_page:
        gray = _print_steps(gray, metrics, settings)
    return Prepared(Image.fromarray(gray), metrics)
