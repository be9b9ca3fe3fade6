"""Perceptual prints of device photos, to recognise one photo submitted twice.

A print is the 64-bit DCT perceptual hash (ImageHash's ``phash``) as 16 hex digits. Two
prints are taken: of the whole photo (survives re-encoding and resizing) and of the label,
cut out, straightened and turned upright by the label reader (also survives cropping and
turning the photo, as long as the label stays in it). The only importer of imagehash.
"""

from __future__ import annotations

from dataclasses import dataclass

import imagehash
import numpy as np
from PIL import Image

HASH_BITS = 64


@dataclass(frozen=True)
class PhotoPrints:
    """The perceptual prints of one device photo (hex strings, None when not taken)."""

    whole: str | None
    label: str | None


def perceptual_print(gray: np.ndarray) -> str:
    """The 64-bit perceptual hash of an 8-bit grey image, as 16 hex digits."""
    return str(imagehash.phash(Image.fromarray(gray), hash_size=8))


def print_distance(a: str, b: str) -> int:
    """Bits in which two prints differ (0 to 64)."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
