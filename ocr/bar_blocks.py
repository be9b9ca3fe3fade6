"""Barcodes that did not decode, found by their bars, so that OCR does not read them.

A Code 128 or similar symbol too small or too blurred to decode still prints a block of
tall, evenly spaced vertical bars. Left on the page, tesseract reads the block as a few
giant glyphs and merges the print beside it into the same line ('S/N: E687...' lost to
the bars under it). :func:`bar_blocks` finds such blocks: ink that survives an opening by
a vertical stroke of ``min_height`` glyph heights, joined sideways, whose middle row
crosses many bars at a pitch far below its height (a title in large capitals has strokes
as tall, but few of them and far apart).

Pure: a grey page in, boxes out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class BarSettings:
    """What counts as a block of bars (sizes in glyph heights of the page's print)."""

    min_height: float = 1.8  # bars at least this tall
    min_bars: int = 10  # dark runs crossed by the block's middle rows
    max_pitch: float = 0.25  # block width per bar, as a share of the block's height
    join: float = 1.5  # bars this close sideways belong to one block (wide spaces too)
    rule_ratio: float = 2.5  # a stroke this many times taller than the median is a rule
    smear: float = 0.5  # vertical smoothing before the print is thresholded


DEFAULT_BARS = BarSettings()


def _bars_crossed(ink_row: np.ndarray) -> int:
    """Dark runs along one row of a 0/1 ink mask."""
    padded = np.concatenate(([0], ink_row.astype(np.int8), [0]))
    return int(np.count_nonzero(np.diff(padded) == 1))


def _without_rules(bars: np.ndarray, ratio: float) -> np.ndarray:
    """The bars without the rules among them: strokes far taller than most (a table's
    column rule would join the codes of every cell it passes)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(bars, connectivity=8)
    if count < 3:
        return bars
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    rules = np.flatnonzero(heights > ratio * np.median(heights)) + 1
    if len(rules):
        bars = bars.copy()
        bars[np.isin(labels, rules)] = 0
    return bars


def bar_blocks(gray: np.ndarray, glyph_px: float,
               settings: BarSettings = DEFAULT_BARS) -> list[tuple[int, int, int, int]]:
    """Boxes (left, top, width, height) of blocks of barcode bars on a page of dark print
    on light paper whose glyphs are ``glyph_px`` tall."""
    if glyph_px <= 0:
        return []
    # smeared down the bars first: bars of less than a pixel each, enlarged, break into
    # dotted or slanted stripes that an opening alone would not keep
    smeared = cv2.blur(gray, (1, max(3, round(settings.smear * glyph_px))))
    _, ink = cv2.threshold(smeared, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    tall = max(3, round(settings.min_height * glyph_px))
    bars = _without_rules(cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((tall, 1), np.uint8)),
                          settings.rule_ratio)
    gap = max(3, round(settings.join * glyph_px))
    joined = cv2.morphologyEx(bars, cv2.MORPH_CLOSE, np.ones((1, gap), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    out = []
    for i in range(1, count):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if h < tall:
            continue
        rows = bars[y + h // 3: y + 2 * h // 3 + 1, x:x + w] > 0
        crossed = int(np.median([_bars_crossed(r) for r in rows[:: max(1, len(rows) // 7)]]))
        if crossed >= settings.min_bars and w / crossed <= settings.max_pitch * h:
            out.append((x, y, w, h))
    return out


# --------------------------------------------------------------------------- bar profiles


@dataclass(frozen=True)
class ProfileSettings:
    """How a block of bars is read again as one line of grey levels."""

    # Gaussian blurs undone (sigma in pixels of the image the block was found in, per
    # enlargement), each at these noise-to-signal ratios; 0: the profile as measured
    blur_sigmas: tuple[float, ...] = (0.0, 0.8, 1.2, 1.6, 2.0, 2.6)
    noise_ratios: tuple[float, ...] = (0.01, 0.003, 0.03)
    contrast_window: float = 1 / 12  # local contrast measured over this share of the profile
    rows: int = 60  # height of the image a profile is drawn as


DEFAULT_PROFILE = ProfileSettings()
BARS_AVERAGED = "read from its bars averaged"  # how a profile's attempt is named


def _straightened(region: np.ndarray) -> np.ndarray:
    """The block sheared so that its bars stand upright (the shift between its top and
    bottom thirds that best lines them up, a few pixels at most)."""
    rh = len(region)
    top = region[: rh // 3].mean(axis=0)
    bottom = region[2 * rh // 3:].mean(axis=0)
    top, bottom = top - top.mean(), bottom - bottom.mean()
    n = len(top)

    def fit(lag: int) -> float:
        return float(np.dot(top[max(0, lag):n + min(0, lag)], bottom[max(0, -lag):n - max(0, lag)]))

    lag = max(range(-8, 9), key=fit)
    if lag == 0:
        return region
    slope = lag / (2 * rh / 3)
    shear = np.float32([[1, slope, -slope * rh / 2], [0, 1, 0]])
    return cv2.warpAffine(region, shear, (region.shape[1], rh), flags=cv2.INTER_CUBIC,
                          borderMode=cv2.BORDER_REPLICATE)


def _unblurred(profile: np.ndarray, sigma: float, noise_ratio: float) -> np.ndarray:
    """Wiener deconvolution of a Gaussian blur (ends padded with their own values)."""
    n = len(profile)
    padded = np.concatenate([np.full(n, profile[0]), profile, np.full(n, profile[-1])])
    freq = np.fft.rfftfreq(len(padded))
    otf = np.exp(-2 * (np.pi * freq * sigma) ** 2)
    out = np.fft.irfft(np.fft.rfft(padded) * otf / (otf * otf + noise_ratio), len(padded))
    return out[n:2 * n]


def _stretched(profile: np.ndarray) -> np.ndarray:
    lo, hi = np.percentile(profile, (2, 98))
    return np.clip((profile - lo) / max(hi - lo, 1.0) * 255, 0, 255)


def _local_contrast(profile: np.ndarray, window: int) -> np.ndarray:
    """Grey levels spread between the darkest and lightest nearby (glare fades a part)."""
    row = profile.astype(np.float32).reshape(1, -1)
    kernel = np.ones((1, window), np.uint8)
    hi = cv2.blur(cv2.dilate(row, kernel), (window, 1))[0]
    lo = cv2.blur(cv2.erode(row, kernel), (window, 1))[0]
    return np.clip((profile - lo) / np.maximum(hi - lo, 8.0) * 255, 0, 255)


def bar_profiles(gray: np.ndarray, box: tuple[int, int, int, int], scale: float = 1.0,
                 settings: ProfileSettings = DEFAULT_PROFILE) -> Iterator[tuple[str, np.ndarray]]:
    """A block of bars averaged down its bars into one line of grey levels (noise and print
    defects average out), with blurs of several widths undone: (how, image) pairs, each
    line drawn ``rows`` high on a white margin, made one at a time (the caller stops at the
    first that decodes). ``scale``: the image's pixels per pixel of the photo (blurs are
    photo pixels wide)."""
    x, y, w, h = box
    pad = max(4, w // 8)
    region = gray[y + h // 10: y + 9 * h // 10, max(0, x - pad): x + w + pad].astype(np.float32)
    if region.shape[0] < 6 or region.shape[1] < 20:
        return
    region = _straightened(region)
    rh = len(region)
    profile = region[rh // 8: 7 * rh // 8].mean(axis=0)
    window = max(5, round(len(profile) * settings.contrast_window))
    for sigma in settings.blur_sigmas:
        for ratio in settings.noise_ratios if sigma else (0.0,):
            line = _unblurred(profile, sigma * scale, ratio) if sigma else profile
            how = f"{BARS_AVERAGED}, a blur of {sigma:g} px undone" if sigma else BARS_AVERAGED
            for name, values in ((how, _stretched(line)),
                                 (f"{how}, local contrast", _local_contrast(line, window))):
                image = np.tile(values.astype(np.uint8), (settings.rows, 1))
                yield name, cv2.copyMakeBorder(image, 20, 20, 40, 40, cv2.BORDER_CONSTANT, value=255)
