"""Print that glare faded, found past a reading's end and read again; a bar glued to a
serial's end; round glyphs of a serial without digits told apart by the face its letters fit."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from fixtures.device_photos import PhotoSpec, device_photo_jpeg
from ocr.device_label import read_device_label
from ocr.faded_print import even_ink, print_continues
from ocr.serial_glyphs import check_serial
from tests.ocr.helpers import printed_line


def _faded_tail(text: str, keep: int) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A line whose characters after ``keep`` are grey on white, as glare leaves them; the
    box of the dark part, as a reading that stopped there would give it."""
    line = printed_line(text, "FxSans-Bold", 40)
    dark = printed_line(text[:keep], "FxSans-Bold", 40)
    ink = np.where(line < 128)
    right = int(np.max(np.where(dark < 128)[1]))
    # glare's light rises over about a glyph's width: ink from black to 200, paper to 255
    rise = np.clip((np.arange(line.shape[1], dtype=np.float32) - right + 10) / 40, 0, 1)[None, :]
    faded = line.astype(np.float32) * (1 - rise * 200 / 255) + 200 * rise
    top, bottom = int(ink[0].min()), int(ink[0].max())
    left = int(ink[1].min())
    return faded.astype(np.uint8), (left, top, right - left + 1, bottom - top + 1)


def test_faded_print_is_evened_to_full_contrast_and_paper_stays_white():
    image, (left, top, width, height) = _faded_tail("A7877ZUV0S2", 7)
    evened = even_ink(image, height)
    tail = evened[top:top + height, left + width + 4:]
    assert tail.min() < 60  # the faded glyphs are dark again
    assert evened[:max(1, top - 12), :].min() > 200  # no print above the line: paper


def test_a_reading_that_stopped_where_glare_faded_the_print_is_carried_on_to_its_end():
    image, box = _faded_tail("A7877ZUV0S2", 7)
    more = print_continues(image, box)
    assert more is not None
    full = np.where(printed_line("A7877ZUV0S2", "FxSans-Bold", 40) < 128)[1].max()
    assert abs(more.right - (full + 1)) <= 3 and abs(more.glyph_px - box[3]) <= 2


def test_a_word_that_ends_where_its_print_does_is_not_carried_on():
    line = printed_line("A7877ZU", "FxSans-Bold", 40)
    ink = np.where(line < 128)
    box = (int(ink[1].min()), int(ink[0].min()), int(ink[1].max() - ink[1].min() + 1),
           int(ink[0].max() - ink[0].min() + 1))
    assert print_continues(line, box) is None


def test_the_next_word_after_a_space_is_not_taken_for_more_of_the_serial():
    line = printed_line("A7877ZU Made", "FxSans", 40)
    first = np.where(printed_line("A7877ZU", "FxSans", 40) < 128)
    box = (int(first[1].min()), int(first[0].min()), int(first[1].max() - first[1].min() + 1),
           int(first[0].max() - first[0].min() + 1))
    assert print_continues(line, box) is None
    # read or not, a word after a space stays apart
    made_left = box[0] + box[2] + 10
    assert print_continues(line, box, [(made_left, box[1], 80, box[3])]) is None


def test_a_serial_whose_end_glare_faded_is_read_to_its_end_in_doubt():
    spec = PhotoSpec("Huddly", "Huddly IQ", "A7877ZUV0S2", "cisco", "none", "es", ("glare", "perspective"))
    reading = read_device_label(device_photo_jpeg(spec, 5044))
    assert reading.best is not None and reading.best.value == "A7877ZUV0S2"
    assert reading.best.doubtful and "carries on" in reading.best.detail


@pytest.mark.parametrize("font", ["FxSans", "FxSans-Bold", "FxSerif", "FxSerif-Bold"])
@pytest.mark.parametrize("blur", [0.0, 0.8])
def test_round_glyphs_of_a_serial_without_digits_are_told_by_the_face_its_letters_fit(font, blur):
    for printed, read in (("KEFAWE0WHM", "KEFAWEOWHM"), ("KEFAWEOWHM", "KEFAWE0WHM")):
        line = printed_line(printed, font, 40)
        if blur:
            line = cv2.GaussianBlur(line, (0, 0), blur)
        assert check_serial(read, line).value == printed, (font, blur, printed)


def test_round_glyphs_stay_open_where_the_faces_fitting_the_letters_disagree():
    # heavily blurred bold print: sans and serif widths alike, and they call the glyph differently
    line = cv2.GaussianBlur(printed_line("KU4Z0XABPX", "FxSans-Bold", 24), (0, 0), 1.4)
    line = cv2.resize(line, None, fx=40 / 24, fy=40 / 24, interpolation=cv2.INTER_CUBIC)
    settled = check_serial("KU4ZOXABPX", line, source_px=24)
    assert settled.value[4] == "O" and settled.doubtful


def test_a_bar_glued_to_a_serial_s_end_is_its_last_glyph_the_thin_one_its_shape_says():
    spec = PhotoSpec("Logitech", "Rally Bar Mini", "1913LZ7F3KCJ", "table", "none", "it", ("motion",))
    reading = read_device_label(device_photo_jpeg(spec, 5067))  # first read '1913LZ7F3KC|'
    assert reading.best is not None and reading.best.value == "1913LZ7F3KCJ"
    assert reading.best.doubtful and "bar glued to its end" in reading.best.detail
