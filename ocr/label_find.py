"""Finding the label on the photo (stages 1 and 3 of :mod:`ocr.device_label`): the photo opened
(EXIF orientation applied) and scaled (:func:`open_photo`, :func:`limit`), the label's corners
found (:func:`find_label`), the label warped upright (:func:`warp`) and what tilt remains
straightened by its text lines (:func:`deskew`)."""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ocr import preprocess
from ocr.barcodes import Symbol
from ocr.label_types import LabelSettings
from ocr.types import UnreadableFile


def open_photo(source: Path | str | bytes, settings: LabelSettings) -> np.ndarray:
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


def limit(gray: np.ndarray, side: int) -> np.ndarray:
    """The photo scaled down so that its longer side is at most ``side`` (as it is when not larger)."""
    f = side / max(gray.shape)
    if f >= 1:
        return gray
    return cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)


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


def grown(quad: np.ndarray, factor: float, shape: tuple[int, ...]) -> np.ndarray:
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


def deskew(crop: np.ndarray, matrix: np.ndarray, settings: LabelSettings) -> tuple[np.ndarray, np.ndarray]:
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
