"""Blur undone: motion blur found in a photo by its cepstrum, and focus blur of a given width,
undone by Wiener deconvolution.

A photo taken with a shaking hand smears every point along one short line. The spectrum
of such a blur has evenly spaced zeros across the direction of the shake; the cepstrum
(the inverse transform of the log spectrum) turns them into one sharp negative peak at
the blur's length and angle. A printed code's modules make such peaks too, so the smear
must also have flattened the spectrum along its direction far more than across it.
:func:`motion_blur` finds both; :func:`deblurred` undoes the line blur it describes;
:func:`refocused` undoes a Gaussian blur (a photo out of focus) of a width the caller tries.
A guess that does not fit harms nothing when the caller only keeps what reads better (a
code that decodes, a serial read with less doubt).

Pure: grey images in, grey images out.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class MotionSettings:
    """What counts as motion blur, and how it is undone."""

    min_length_px: float = 5.0  # shorter smears are left to sharpening
    max_length_px: float = 24.0
    # the cepstrum's deepest point this many standard deviations below its ring (printed
    # codes and text lines make shallower ones), and the power along the smear at most
    # this share of the power across it (bench labels: shaken 0.003-0.15, others from 0.35)
    min_score: float = 4.0
    max_flattening: float = 0.2
    max_decay_flattening: float = 0.18  # or each direction's decay: at most this share
    wedge_deg: float = 15.0
    patch_px: int = 512  # the centre square of the image measured
    noise_ratio: float = 0.01  # Wiener regularisation


DEFAULT_MOTION = MotionSettings()


@dataclass(frozen=True)
class MotionBlur:
    """A straight smear: its vector in pixels and how clearly the cepstrum shows it."""

    dx: float
    dy: float
    score: float

    @property
    def length(self) -> float:
        """Length of the smear in pixels."""
        return float(np.hypot(self.dx, self.dy))

    @property
    def angle(self) -> float:
        """Direction of the smear in degrees (image axes, y down)."""
        return float(np.degrees(np.arctan2(self.dy, self.dx)))


def _spectrum(gray: np.ndarray, patch: int) -> np.ndarray:
    """The amplitude spectrum of the image's centre square (windowed), origin at the centre."""
    h, w = gray.shape
    side = min(h, w, patch)
    y0, x0 = (h - side) // 2, (w - side) // 2
    square = gray[y0:y0 + side, x0:x0 + side].astype(np.float32)
    square -= square.mean()
    window = np.outer(np.hanning(side), np.hanning(side)).astype(np.float32)
    return np.fft.fftshift(np.abs(np.fft.fft2(square * window)))


def _cepstrum(spectrum: np.ndarray) -> np.ndarray:
    """The real cepstrum of a centred amplitude spectrum, origin at the centre."""
    return np.fft.fftshift(np.real(np.fft.ifft2(np.fft.ifftshift(np.log(spectrum + 1e-3)))))


def _flattening(spectrum: np.ndarray, dx: float, dy: float, half_width_deg: float) -> tuple[float, float]:
    """How much more a smear along (dx, dy) flattened the spectrum along it than across it:
    the power above the smear's first zero along it over that across it, and the same of
    each direction's decay (power above the first zero over power below it), which does
    not mind print that is itself stronger in one direction (a barcode's bars). A shake
    makes both small, a round blur neither."""
    side = spectrum.shape[0]
    fy, fx = (np.mgrid[0:side, 0:side] - side // 2) / side
    radius, angle = np.hypot(fx, fy), np.arctan2(fy, fx)
    length = max(float(np.hypot(dx, dy)), 1.0)
    high = (radius >= 0.8 / length) & (radius <= 0.45)
    low = (radius >= 0.2 / length) & (radius <= 0.5 / length)
    along = float(np.arctan2(dy, dx))
    power = spectrum.astype(np.float64) ** 2

    def band_power(theta: float, band: np.ndarray) -> float:
        off = np.abs((angle - theta + np.pi / 2) % np.pi - np.pi / 2)
        inside = band & (off <= np.deg2rad(half_width_deg))
        return float(power[inside].mean()) if inside.any() else 0.0

    def ratio(a: float, b: float) -> float:
        return a / b if b > 0 else 1.0

    across = along + np.pi / 2
    high_along, high_across = band_power(along, high), band_power(across, high)
    decay_along = ratio(high_along, band_power(along, low))
    decay_across = ratio(high_across, band_power(across, low))
    return ratio(high_along, high_across), ratio(decay_along, decay_across)


def motion_blur(gray: np.ndarray, settings: MotionSettings = DEFAULT_MOTION) -> MotionBlur | None:
    """The straight smear the image shows, or None when its cepstrum shows none."""
    if min(gray.shape) < 4 * settings.max_length_px:
        return None
    spectrum = _spectrum(gray, settings.patch_px)
    cep = _cepstrum(spectrum)
    h, w = cep.shape
    yy, xx = np.mgrid[0:h, 0:w]
    radius = np.hypot(yy - h // 2, xx - w // 2)
    ring = (radius >= settings.min_length_px) & (radius <= settings.max_length_px)
    values = cep[ring]
    if values.size < 10 or values.std() == 0:
        return None
    iy, ix = np.unravel_index(np.argmin(np.where(ring, cep, np.inf)), cep.shape)
    score = float((values.mean() - cep[iy, ix]) / values.std())
    dx, dy = float(ix - w // 2), float(iy - h // 2)
    if score < settings.min_score:
        return None
    flat, flat_decay = _flattening(spectrum, dx, dy, settings.wedge_deg)
    if flat > settings.max_flattening and flat_decay > settings.max_decay_flattening:
        return None
    return MotionBlur(dx, dy, score)


def _line_kernel(blur: MotionBlur) -> np.ndarray:
    """The smear as a convolution kernel (a line of the blur's length and angle)."""
    size = int(np.ceil(blur.length)) * 2 + 3
    kernel = np.zeros((size, size), np.float32)
    centre = size // 2
    angle = np.deg2rad(blur.angle)
    for t in np.linspace(-blur.length / 2, blur.length / 2, int(blur.length * 4) + 1):
        kernel[round(centre + t * np.sin(angle)), round(centre + t * np.cos(angle))] += 1
    return kernel / kernel.sum()


def deblurred(gray: np.ndarray, blur: MotionBlur, settings: MotionSettings = DEFAULT_MOTION) -> np.ndarray:
    """The image with the smear undone (Wiener deconvolution, edges mirrored)."""
    return wiener(gray, _line_kernel(blur), settings.noise_ratio)


def refocused(gray: np.ndarray, sigma_px: float, noise_ratio: float = DEFAULT_MOTION.noise_ratio) -> np.ndarray:
    """The image with an out-of-focus blur of about ``sigma_px`` (a Gaussian's width) undone."""
    size = 2 * int(np.ceil(3 * sigma_px)) + 1
    line = cv2.getGaussianKernel(size, sigma_px)
    return wiener(gray, (line @ line.T).astype(np.float32), noise_ratio)


def wiener(gray: np.ndarray, kernel: np.ndarray, noise_ratio: float) -> np.ndarray:
    """The image with a known blur (a centred, odd-sized kernel) undone by Wiener
    deconvolution, edges mirrored."""
    pad = kernel.shape[0]
    h, w = gray.shape
    # mirrored at least a kernel wide, to a size the transform is fast for
    bottom, right = cv2.getOptimalDFTSize(h + 2 * pad) - h - pad, cv2.getOptimalDFTSize(w + 2 * pad) - w - pad
    image = cv2.copyMakeBorder(gray.astype(np.float32) / 255.0, pad, bottom, pad, right, cv2.BORDER_REFLECT)
    placed = np.zeros_like(image)
    placed[:pad, :pad] = kernel
    placed = np.roll(placed, (-(pad // 2), -(pad // 2)), axis=(0, 1))
    transfer = np.fft.rfft2(placed)
    restored = np.fft.irfft2(np.fft.rfft2(image) * np.conj(transfer) / (np.abs(transfer) ** 2 + noise_ratio),
                             s=image.shape)
    return np.clip(restored[pad:pad + h, pad:pad + w] * 255.0, 0, 255).astype(np.uint8)
