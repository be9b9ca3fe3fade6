"""Settings and serial evidence of label reading: shared by the ``ocr.label_*`` modules, exported
by :mod:`ocr.device_label`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ocr.motion import MotionSettings
from ocr.serial_shapes import VENDOR_SHAPES
from ocr.types import OcrSettings


@dataclass(frozen=True)
class LabelSettings:
    """Every knob of label reading, with the defaults measured by ``make bench-labels``."""

    ocr: OcrSettings = field(default_factory=OcrSettings)  # tesseract command, timeout, threads
    max_file_bytes: int = 40_000_000
    work_side_px: int = 2048  # photos are scaled down to this longer side before reading
    # finding the label (fractions of the photo's area)
    label_min_area: float = 0.01
    label_max_area: float = 0.9
    label_min_rectangularity: float = 0.75  # contour area / area of its rotated bounding box
    label_min_print: float = 0.02  # share of a region's pixels on print edges (else it is blank)
    label_paper_share: float = 0.85  # paper holding less than this share of a print block's print loses
    label_block_growth: float = 1.2  # a print block enclosing paper up to this much larger
    # and holding more print is the label (the paper's outline was fitted inside its edge)
    label_print_share: float = 0.95  # regions within this share of the most print: the smallest wins
    deskew_max_deg: float = 8.0  # residual tilt of the warped label straightened by text lines
    # a text serial within this many glyph heights of the region's side may have been cut:
    # the region grown this much is read too, and taken when it reads a longer serial
    edge_glyphs: float = 0.3
    label_regrow: float = 1.4
    label_regrow_blind: float = 4.0  # the region grown when it holds no serial at all
    codes_expected: int = 2  # fewer codes decoded on a label: its image variants are decoded too
    # OCR of the label
    target_glyph_px: float = 24.0  # median glyph height the label is scaled to
    max_enlarge: float = 3.5
    max_ocr_side_px: int = 3000
    max_photo_ocr_side_px: int = 2048  # a photo where no label was found is read at most this large
    max_shear: float = 0.45  # print leaning up to this (x per y) is stood upright before a serial is read again
    shear_steps: int = 9  # shears tried each way
    min_shear: float = 0.1  # leaning less is left alone
    photo_max_noise: float = 12.0  # grain (grey levels from the 3x3 median) past which a photo is smoothed first
    sharpen: float = 0.8  # unsharp mask on the scaled label (0: off)
    sharpen_sigma_px: float = 2.0
    label_psm: int = 11  # tesseract page segmentation of a label: sparse text
    # a turn of the label is taken without trying the others when its reading finds a serial
    # label and this many confident words (confidence-weighted): a label read upside down
    # yields a few confident scraps and now and then an 'N/S' that passes for 'S/N'
    upright_words: float = 12.0
    photo_psm: int = 3  # of a photo where no label was found: automatic (fast on bare plastic)
    ocr_timeout_s: float = 10.0  # per tesseract call; a label that takes longer reads as no text
    # text serials
    serial_min_len: int = 5
    serial_max_len: int = 24
    text_min_confidence: float = 10.0  # text serials read below this are not reported (all
    # text serials below text_sure_confidence are reported doubtful)
    text_sure_confidence: float = 85.0  # at or above, in both readings: read without doubt
    max_confusions: int = 3  # OCR-confusable characters a doubtful read may differ by
    # a label whose serial label was not read: its one word this long, of letters and digits
    # (no MAC, no value another label names), is its serial, in doubt
    shaped_serial_min_len: int = 8
    # a serial after its label read with up to this many stray marks inside (a backslash, a
    # bar) is read again on its own line, and that reading, in doubt, is taken
    max_stray_marks: int = 2
    # a serial split in pieces: pieces this close (share of the glyph height) are joined, or
    # this far apart when only the joined word is shaped like a serial (a word space: ~0.5)
    join_gap: float = 0.25
    join_gap_loose: float = 0.6
    full_serial_len: int = 8  # a serial shorter than this may be a piece: joined at the loose gap too
    # look-alikes of a text serial read alone (ocr.serial_glyphs.check_serial): the glyph
    # scaled to this height, one character of its class; a reading this confident settles it
    glyph_read_px: float = 30.0
    third_reading_px: float = 56.0  # two readings of a serial differ: a third, this large, in black and white
    glyph_alone_confidence: float = 70.0
    # a label read without a code or a serial free of doubt is read again with the shake
    # of the hand undone, when its cepstrum shows one (ocr.motion)
    motion: MotionSettings = field(default_factory=MotionSettings)
    # the serial shapes of vendors (ocr.serial_shapes): a text serial's look-alikes its
    # brand's shape rules out are turned into their twins, in doubt
    serial_shapes: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(VENDOR_SHAPES))


@dataclass(frozen=True)
class SerialEvidence:
    """One serial read from the photo, and how."""

    value: str
    source: str  # 'barcode' | 'qr' | 'text'
    confidence: float  # 100 for a decoded barcode/QR; the OCR word confidence for text
    detail: str  # e.g. 'Code128 barcode', 'QR code', "text after 'S/N:' (conf 87)"
    doubtful: bool = False  # read with doubt: the comparison tolerates OCR confusions, and
    # such a read never confirms a serial on its own
