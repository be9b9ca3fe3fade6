"""Print that no word covers is found and read as lines."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr import OcrSettings, Word
from ocr.missed_lines import read_missed_lines, uncovered_bands

S = OcrSettings()
_FONT = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf", 28)


def _page() -> Image.Image:
    image = Image.new("L", (1000, 300), 250)
    draw = ImageDraw.Draw(image)
    draw.text((40, 40), "Customer reference 90357", fill=10, font=_FONT)
    draw.text((40, 140), "Invoice number SI070202", fill=10, font=_FONT)
    draw.ellipse((900, 230, 960, 290), outline=0, width=6)  # a stamp: no print
    return image


_READ = (Word("Customer", 96.0, 40, 46, 150, 26, 0), Word("reference", 95.0, 200, 46, 160, 26, 0),
         Word("90357", 97.0, 372, 46, 95, 26, 0))


def test_ink_no_word_covers_is_found_in_bands_of_glyphs():
    bands = uncovered_bands(np.asarray(_page()), _READ, 20.0, S)
    assert len(bands) == 1
    left, top, right, bottom = bands[0]
    assert left <= 45 and 135 <= top <= 150 and right >= 380 and bottom <= 185


def test_a_left_out_line_is_read_and_placed_after_the_lines_above_it():
    words, added = read_missed_lines(_page(), _READ, 20.0, "eng", S)
    assert added == 1
    assert [w.text for w in words][:3] == ["Customer", "reference", "90357"]
    new = words[3:]
    assert "SI070202" in [w.text for w in new]
    assert {w.line for w in new} == {1} and min(w.top for w in new) >= 130


def test_a_fully_read_page_gains_nothing():
    page = _page()
    second = (Word("Invoice", 96.0, 40, 146, 120, 26, 1), Word("number", 96.0, 170, 146, 120, 26, 1),
              Word("SI070202", 96.0, 300, 146, 160, 26, 1))
    assert read_missed_lines(page, _READ + second, 20.0, "eng", S) == (_READ + second, 0)


def test_a_band_runs_on_through_bold_glyphs_that_touch():
    image = Image.new("L", (1000, 120), 250)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf", 44)
    ImageDraw.Draw(image).text((40, 30), "Gemeente Utrecht", fill=10, font=font)
    gray = cv2.GaussianBlur(np.asarray(image), (0, 0), 2.5)  # a soft scan glues neighbours
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    blobs = cv2.connectedComponentsWithStats(ink)[2][1:]
    assert max(b[cv2.CC_STAT_WIDTH] for b in blobs) > 2.5 * 27  # touching glyphs: one wide blob
    bands = uncovered_bands(gray, (), 27.0, S)
    text_right = 40 + ImageDraw.Draw(image).textlength("Gemeente Utrecht", font=font)
    assert len(bands) == 1 and bands[0][2] >= text_right - 10
