"""Perceptual prints of device photos, to recognise one photo submitted twice.

A print is the 64-bit DCT perceptual hash (ImageHash's ``phash``) as 16 hex digits, taken
of the image and of it turned by one to three quarters (64 digits joined). Two are kept: of
the whole photo (survives re-encoding, resizing, turning and a lost EXIF orientation) and of
the label, cut out, straightened and turned upright by the label reader (also survives
cropping, as long as the label stays in the photo and is found alike in both). A third set,
of the photo's centre (85 % and 70 % of each side), lets a cropped copy's whole print be
recognised without the label. The only importer of imagehash.
"""

from __future__ import annotations

from dataclasses import dataclass

import imagehash
import numpy as np
from PIL import Image

HASH_BITS = 64
CENTRE_SHARES = (0.85, 0.7)  # of each side, kept around the centre: what a partner's crop leaves


@dataclass(frozen=True)
class PhotoPrints:
    """The perceptual prints of one device photo (hex strings, None when not taken)."""

    whole: str | None  # four prints: upright (EXIF applied) and turned 1-3 quarters
    label: str | None  # the same of the label, cut out and turned upright
    centre: str | None = None  # the same of the photo's centre, at each of CENTRE_SHARES


def perceptual_print(gray: np.ndarray) -> str:
    """The 64-bit perceptual hash of an 8-bit grey image, as 16 hex digits."""
    return str(imagehash.phash(Image.fromarray(gray), hash_size=8))


def turned_prints(gray: np.ndarray) -> str:
    """The prints of an image and of it turned by one to three quarters, joined: a copy of
    the photo turned another way than the label reader settled on still compares equal."""
    return "".join(perceptual_print(np.ascontiguousarray(np.rot90(gray, k))) for k in range(4))


def centre_prints(gray: np.ndarray) -> str:
    """The turned prints of the image's centre at each of CENTRE_SHARES, joined: the whole
    print of a copy cropped to about that share lies close to one of them."""
    h, w = gray.shape[:2]
    out = []
    for share in CENTRE_SHARES:
        dy, dx = round(h * (1 - share) / 2), round(w * (1 - share) / 2)
        out.append(turned_prints(np.ascontiguousarray(gray[dy:h - dy, dx:w - dx])))
    return "".join(out)


def print_distance(a: str, b: str) -> int:
    """Bits in which two prints differ (0 to 64); for joined prints, the closest pair."""
    return min(
        (int(a[i : i + 16], 16) ^ int(b[j : j + 16], 16)).bit_count()
        for i in range(0, len(a), 16)
        for j in range(0, len(b), 16)
    )
