"""Perceptual prints of device photos, to recognise one photo submitted twice.

A print is the 64-bit DCT perceptual hash (ImageHash's ``phash``) as 16 hex digits, taken
of the image and of it turned by one to three quarters (64 digits joined). They are kept of
the whole photo (survives re-encoding, resizing, turning and a lost EXIF orientation) and of
the label, cut out, straightened and turned upright by the label reader (also survives
cropping, as long as the label stays in the photo and is found alike in both). A third set,
of the photo's centre (85 % and 70 % of each side), lets a cropped copy's whole print be
recognised without the label.

The 64-bit prints find candidates; the same prints at 256 bits (``fine``) confirm them. Two
shots of one device model on one kind of back can come within a few bits of each other at 64
bits; at 256 bits a re-encoded or resized copy stays within a few bits and another shot
differs by scores (see ``bench.reuse``). The only importer of imagehash.
"""

from __future__ import annotations

from dataclasses import dataclass

import imagehash
import numpy as np
from PIL import Image

HASH_BITS = 64
FINE_HASH_BITS = 256
CENTRE_SHARES = (0.85, 0.7)  # of each side, kept around the centre: what a partner's crop leaves


@dataclass(frozen=True)
class PhotoPrints:
    """The perceptual prints of one device photo (hex strings, None when not taken)."""

    whole: str | None  # four prints: upright (EXIF applied) and turned 1-3 quarters
    label: str | None  # the same of the label, cut out and turned upright
    centre: str | None = None  # the same of the photo's centre, at each of CENTRE_SHARES
    fine: str | None = None  # the whole photo's prints at FINE_HASH_BITS
    fine_centre: str | None = None  # its centre's prints at FINE_HASH_BITS


NO_PRINTS = PhotoPrints(None, None)


def photo_prints(gray: np.ndarray, label: np.ndarray | None) -> PhotoPrints:
    """The prints of a device photo (EXIF applied, grey) and of its label (cut out and
    upright; None when no label was found)."""
    return PhotoPrints(turned_prints(gray), None if label is None else turned_prints(label), centre_prints(gray),
                       turned_prints(gray, FINE_HASH_BITS), centre_prints(gray, FINE_HASH_BITS))


def perceptual_print(gray: np.ndarray, bits: int = HASH_BITS) -> str:
    """The perceptual hash of an 8-bit grey image (64 or 256 bits), as hex digits."""
    return str(imagehash.phash(Image.fromarray(gray), hash_size=round(bits ** 0.5)))


def turned_prints(gray: np.ndarray, bits: int = HASH_BITS) -> str:
    """The prints of an image and of it turned by one to three quarters, joined: a copy of
    the photo turned another way than the label reader settled on still compares equal."""
    return "".join(perceptual_print(np.ascontiguousarray(np.rot90(gray, k)), bits) for k in range(4))


def centre_prints(gray: np.ndarray, bits: int = HASH_BITS) -> str:
    """The turned prints of the image's centre at each of CENTRE_SHARES, joined: the whole
    print of a copy cropped to about that share lies close to one of them."""
    h, w = gray.shape[:2]
    out = []
    for share in CENTRE_SHARES:
        dy, dx = round(h * (1 - share) / 2), round(w * (1 - share) / 2)
        out.append(turned_prints(np.ascontiguousarray(gray[dy:h - dy, dx:w - dx]), bits))
    return "".join(out)


def print_distance(a: str, b: str, bits: int = HASH_BITS) -> int:
    """Bits in which two prints of ``bits`` bits differ; for joined prints, the closest pair."""
    size = bits // 4
    return min(
        (int(a[i : i + size], 16) ^ int(b[j : j + size], 16)).bit_count()
        for i in range(0, len(a), size)
        for j in range(0, len(b), size)
    )
