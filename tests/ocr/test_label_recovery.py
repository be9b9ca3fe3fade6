"""Recovering hard device labels: barcodes read from their bars, shaken photos, look-alikes.

Images are drawn here (Code 128 from the fixtures' encoder, text in the fixtures' fonts) and
degraded as phones degrade them; every engine is real (zxing-cpp, tesseract).
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from fixtures._invoice_pdf import font_path
from fixtures._labels import code128_modules, qr_matrix
from fixtures.device_photos import PhotoSpec, device_photo_jpeg
from ocr import barcodes, preprocess
from ocr.bar_blocks import bar_blocks
from ocr.device_label import LabelSettings, _RegionReading, fuse, read_device_label
from ocr.glyphs import glyph_boxes
from ocr.label_find import _outline_inside, deskew, grown
from ocr.label_ocr import Page, _erase_rules, _quieted
from ocr.label_reread import _upright, _without_rules
from ocr.label_text import TextSerial, _serial_or_garbled, _span_after, _value_after, serial_after_labels
from ocr.label_vocabulary import is_serial
from ocr.motion import deblurred, motion_blur
from ocr.serial_glyphs import Glyph as SerialGlyph
from ocr.serial_glyphs import (
    _letters_say_monospaced,
    _round_split,
    _torn,
    _unevenly_wide,
    check_serial,
    has_dotted_zero,
    proportional_print,
)
from ocr.serial_glyphs import glyphs as line_glyphs
from ocr.types import Word
from tests.ocr.helpers import printed_line

SERIAL = "NB04280AU3MJ"


def _label(serial: str = SERIAL, module: int = 2, with_code: bool = True) -> np.ndarray:
    """A white label: a serial line and, under it, its Code 128 (``module`` px per module)."""
    image = Image.new("L", (900, 360), 250)
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(font_path("FxSans"), 34)
    draw.text((40, 30), f"Serial No.: {serial}", font=face, fill=20)
    draw.text((40, 290), "Made in China  Input 12V DC", font=face, fill=20)
    if with_code:
        x = 60
        for i, width in enumerate(code128_modules(serial)):
            if i % 2 == 0:
                draw.rectangle((x, 110, x + width * module - 1, 250), fill=20)
            x += width * module
    return np.asarray(image)


def _shaken(gray: np.ndarray, length: int, angle: float) -> np.ndarray:
    """The image smeared along a straight line, as a shaking hand smears it."""
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0
    turn = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
    kernel = cv2.warpAffine(kernel, turn, (length, length))
    smeared = cv2.filter2D(gray.astype(np.float32), -1, kernel / kernel.sum())
    noise = np.random.default_rng(3).standard_normal(gray.shape) * 2.0
    return np.clip(smeared + noise, 0, 255).astype(np.uint8)


# --------------------------------------------------------------------------- bars


def test_a_block_of_bars_is_found_and_the_print_beside_it_is_not():
    label = _label()
    blocks = bar_blocks(label, glyph_px=26)
    assert len(blocks) == 1
    x, y, w, h = blocks[0]
    assert 100 <= y <= 115 and 240 <= y + h <= 256 and x <= 64  # the bars, not the serial above
    assert bar_blocks(_label(with_code=False), glyph_px=26) == []


def _far_and_blurred() -> np.ndarray:
    """The label from afar (1.2 px per module) and out of focus, with sensor noise."""
    small = cv2.resize(_label(module=2), None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA)
    blurred = cv2.GaussianBlur(small, (0, 0), 1.2)
    noise = np.random.default_rng(1).standard_normal(blurred.shape) * 2.0
    return np.clip(blurred + noise, 0, 255).astype(np.uint8)


def test_a_blurred_small_barcode_is_read_from_its_bars_averaged():
    photo = _far_and_blurred()
    assert not [s for s in barcodes.decode(photo) if s.text == SERIAL]  # beyond the decoder
    assert not [s for s in barcodes.decode_hard(photo) if s.text == SERIAL]  # and its variants
    enlarged = cv2.resize(photo, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    found = barcodes.decode_bar_blocks(enlarged, glyph_px=2 * 0.6 * 26, scale=2.0)
    assert [s.text for s in found] == [SERIAL]
    assert found[0].attempt.startswith("read from its bars averaged")
    # the corners are in pixels of the image before it was enlarged
    xs = [x for x, _ in found[0].corners]
    assert min(xs) < 45 and max(xs) < photo.shape[1]


def test_bars_lying_on_their_side_are_found_too():
    enlarged = cv2.resize(_far_and_blurred(), None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    turned = np.ascontiguousarray(np.rot90(enlarged))
    found = barcodes.decode_bar_blocks(turned, glyph_px=2 * 0.6 * 26, scale=2.0)
    assert [s.text for s in found] == [SERIAL]
    assert abs(found[0].orientation) == 90


def test_a_barcode_out_of_focus_is_read_with_the_blur_undone():
    label = cv2.GaussianBlur(_label(module=2).astype(np.float32), (0, 0), 1.8)
    photo = np.clip(label + np.random.default_rng(1).standard_normal(label.shape) * 2.0, 0, 255).astype(np.uint8)
    assert barcodes.decode(photo) == ()
    found = barcodes.decode_hard(photo)
    assert [s.text for s in found] == [SERIAL]
    assert found[0].attempt.startswith("focus blur undone")  # sharpening, equalising ... did not do


# --------------------------------------------------------------------------- shaken photos


def _qr_label(module: int = 4) -> np.ndarray:
    """A white label: a serial line and a QR code carrying the serial."""
    image = Image.new("L", (900, 420), 250)
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(font_path("FxSans"), 34)
    draw.text((40, 30), f"Serial No.: {SERIAL}", font=face, fill=20)
    draw.text((40, 330), "Made in China  Input 12V DC", font=face, fill=20)
    for y, row in enumerate(qr_matrix(f"SN:{SERIAL}")):
        for x, dark in enumerate(row):
            if dark:
                draw.rectangle((500 + x * module, 100 + y * module,
                                499 + (x + 1) * module, 99 + (y + 1) * module), fill=20)
    return np.asarray(image)


@pytest.mark.parametrize(("length", "angle"), [(8, 0.0), (10, 30.0), (12, 75.0), (10, 160.0)])
def test_a_shake_is_measured_and_undone(length, angle):
    shaken = _shaken(_qr_label(), length, angle)
    blur = motion_blur(shaken)
    assert blur is not None
    assert abs(blur.length - length) <= 1.0
    # cv2 turns counter-clockwise as seen (y down); a smear has no sign
    assert abs((blur.angle + angle + 90) % 180 - 90) <= 5
    assert barcodes.decode(shaken) == ()
    assert [s.text for s in barcodes.decode(deblurred(shaken, blur))] == [f"SN:{SERIAL}"]


def test_a_sharp_or_evenly_blurred_label_shows_no_shake():
    for label in (_label(), _qr_label()):
        assert motion_blur(label) is None
        assert motion_blur(cv2.GaussianBlur(label, (0, 0), 2.0)) is None


def test_a_shaken_photo_is_read_with_the_shake_undone():
    spec = PhotoSpec("Poly", "Trio C60", "8LU6B1YADKCH", "table", "qr", "nl", ("motion",))
    reading = read_device_label(device_photo_jpeg(spec, 205))
    assert reading.best is not None and reading.best.value == "8LU6B1YADKCH"
    assert reading.best.source == "qr"
    assert any("shaken" in f for f in reading.findings)


def test_a_small_barcode_photographed_from_afar_is_read_from_its_bars():
    spec = PhotoSpec("Neat", "Neat Bar", SERIAL, "yealink", "code128", "en", ("small",))
    reading = read_device_label(device_photo_jpeg(spec, 177))
    assert reading.best is not None and reading.best.value == SERIAL
    assert reading.best.source == "barcode" and "bars averaged" in reading.best.detail


# --------------------------------------------------------------------------- look-alikes


def test_a_plain_bar_read_as_one_is_the_letter_i():
    settled = check_serial("X1J16174932", printed_line("X1JI6174932"))
    assert settled.value == "X1JI6174932" and settled.doubtful
    assert check_serial("X1JI6174932", printed_line("X1JI6174932")).value == "X1JI6174932"
    # a 1 with its flag and foot stays a 1
    assert check_serial("X1J16174932", printed_line("X1J16174932")).value == "X1J16174932"


def test_an_o_far_wider_than_the_digits_is_the_letter_even_in_small_print():
    image = printed_line("8LQYO72SRP2C")
    settled = check_serial("8LQY072SRP2C", image, source_px=11.0)  # too small for the fine measures
    assert settled.value[4] == "O" and settled.doubtful
    assert check_serial("8LQY072SRP2C", printed_line("8LQY072SRP2C"), source_px=11.0).value[4] == "0"


@pytest.mark.parametrize("font", ["FxSans", "FxSans-Bold", "FxMono"])
def test_a_round_glyph_with_a_tail_below_the_line_is_a_q(font):
    settled = check_serial("8LOX9I3NKVVK", printed_line("8LQX9I3NKVVK", font))
    assert settled.value[2] == "Q" and settled.doubtful
    for printed in ("8LOX9I3NKVVK", "8L0X9I3NKVVK"):  # an O or a zero has no tail
        assert check_serial(printed, printed_line(printed, font)).value[2] == printed[2]


def test_monospaced_o_and_zero_stay_as_read_in_doubt():
    settled = check_serial("ABOCD4", printed_line("ABOCD4", "FxMono"))
    assert settled.value == "ABOCD4" and settled.doubtful


def test_a_closing_bracket_ending_a_serial_is_a_j():
    settings = LabelSettings()
    assert is_serial("XV40728488)", settings) == "XV40728488J"
    assert is_serial("NB04280AU3M}", settings) == "NB04280AU3MJ"
    assert is_serial("(ABC12345)", settings) == "ABC12345"  # a bracketed serial keeps its letters
    assert is_serial("NB9S63TWCD)X", settings) == "NB9S63TWCDJX"  # inside it, too


def test_a_sign_read_for_a_letter_is_that_letter_in_doubt():
    settings = LabelSettings()
    assert is_serial("XPSH421259¢", settings) == "XPSH421259C"
    assert _serial_or_garbled("XPSH421259¢", settings) == ("XPSH421259C", "XPSH421259¢")  # read in doubt
    assert _serial_or_garbled("XPSH421259C", settings) == ("XPSH421259C", "")


def test_lower_case_among_digits_is_an_ocr_slip_but_a_word_is_no_serial():
    settings = LabelSettings()
    assert is_serial("xj5O463270Y", settings) == "XJ5O463270Y"
    assert is_serial("Designed", settings) is None


def test_a_print_block_enclosing_a_paper_outline_fitted_inside_the_label_wins():
    paper = np.float32([[10, 10], [90, 10], [90, 60], [10, 60]])
    block = np.float32([[5, 5], [95, 5], [95, 65], [5, 65]])
    settings = LabelSettings()
    assert _outline_inside((paper, 100.0, 4000.0, 0), (block, 104.0, 4600.0, 0), settings)
    assert not _outline_inside((paper, 100.0, 4000.0, 0), (block, 99.0, 4600.0, 0), settings)  # less print
    assert not _outline_inside((paper, 100.0, 4000.0, 0), (block, 104.0, 5400.0, 0), settings)  # far larger
    assert not _outline_inside((paper, 100.0, 4000.0, 1), (block, 104.0, 4600.0, 0), settings)  # a code lost


# --------------------------------------------------------------------------- rules, tilt, pieces


def _bold_line_under_a_rule(blur_sigma: float) -> np.ndarray:
    """A table rule and, below it, a bold serial line blurred until its letters run together."""
    image = Image.new("L", (1100, 900), 250)
    draw = ImageDraw.Draw(image)
    draw.line((20, 40, 1080, 40), fill=20, width=4)
    draw.text((40, 110), "S/N: DF7BSSGCPZMZ", font=ImageFont.truetype(font_path("FxSans-Bold"), 60), fill=20)
    gray = np.asarray(image)
    return cv2.GaussianBlur(gray, (0, 0), blur_sigma) if blur_sigma else gray


@pytest.mark.parametrize(("blur_sigma", "kept"), [(0, 0.97), (6, 0.85)])
def test_a_rule_is_erased_but_blurred_bold_print_run_together_is_not(blur_sigma, kept):
    gray = _bold_line_under_a_rule(blur_sigma)
    out = _erase_rules(gray, glyph_px=44)
    assert out[36:45, 100:1000].min() > 200  # the rule is gone
    print_box = (slice(110, 190), slice(40, 1060))
    assert (out[print_box] < 128).sum() >= kept * (gray[print_box] < 128).sum()  # the print stays


def test_a_thick_frame_is_erased_but_a_blurred_bold_word_run_together_as_evenly_is_not():
    image = Image.new("L", (1100, 300), 250)
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 30, 1080, 40), fill=20)  # as thick as a blurred word's run, and long
    draw.text((40, 120), "S/N · Seriennummer: PF5WO2YT", font=ImageFont.truetype(font_path("FxSans-Bold"), 28),
              fill=20)
    gray = cv2.GaussianBlur(np.asarray(image), (0, 0), 4)
    out = _erase_rules(gray, glyph_px=20)
    assert out[28:43, 100:1000].min() >= 240  # the frame is gone
    print_box = (slice(110, 170), slice(40, 1060))
    assert (out[print_box] < 128).sum() >= 0.9 * (gray[print_box] < 128).sum()  # 'ennummer' stays


def test_a_quarter_turned_label_is_straightened_by_its_lines_measured_turned():
    lines = Image.new("L", (900, 600), 250)
    draw = ImageDraw.Draw(lines)
    face = ImageFont.truetype(font_path("FxSans"), 30)
    for i, text in enumerate(("Model: Rally Bar", "S/N: FOC2040FNTD", "Made in China", "Input 12V DC 1.5A")):
        draw.text((40, 60 + 110 * i), text, font=face, fill=20)
    tilted = np.asarray(lines.rotate(5, resample=Image.BICUBIC, fillcolor=250))
    turned = np.ascontiguousarray(np.rot90(tilted))  # the lines run up and down
    straight, matrix = deskew(turned, np.eye(3), LabelSettings())
    assert abs(preprocess.skew_angle(np.rot90(straight, -1), 8)) < 0.6
    assert not np.allclose(matrix, np.eye(3))


def _word(text: str, left: int, width: int, top: int = 100, height: int = 40) -> Word:
    return Word(text, 90.0, left, top, width, height, 1)


def test_a_serial_tesseract_split_in_pieces_is_joined():
    settings = LabelSettings()
    label = [_word("S/N:", 10, 80)]
    split = [*label, _word("FOC2040F", 110, 220), _word("NTD", 335, 80)]  # 5 px apart
    assert _value_after(label, split, settings).text == "FOC2040FNTD"
    piece = [*label, _word("DF", 110, 50), _word("7BSSGCPZMZ", 178, 300)]  # a word space apart
    assert _value_after(label, piece, settings).text == "DF7BSSGCPZMZ"
    apart = [*label, _word("FOC2040FNTD", 110, 300), _word("REV", 430, 80)]  # a serial, a word
    assert _value_after(label, apart, settings).text == "FOC2040FNTD"


def test_a_serial_printed_in_groups_is_not_taken_for_part_of_its_label():
    settings = LabelSettings()
    words = [_word("Numero", 10, 120), _word("di", 140, 30), _word("serie:", 180, 100),
             _word("0144", 300, 80), _word("A3AHVWD8", 390, 170)]
    found = serial_after_labels(words, settings)
    assert [(t.label, t.value) for t in found] == [("Numero di serie:", "0144A3AHVWD8")]


def test_a_word_of_the_line_above_reaching_down_beside_the_label_is_no_piece_of_the_serial():
    settings = LabelSettings()
    label = [_word("SN;", 30, 55, top=141, height=44)]
    words = [*label, _word("80304538DA5226", 116, 296, top=139, height=46),
             _word("MEETINGS", 181, 138, top=85, height=63)]  # above it, read tall
    assert _value_after(label, words, settings).text == "80304538DA5226"


def test_a_serial_under_its_label_split_in_pieces_is_joined():
    settings = LabelSettings()
    label = [_word("Série", 10, 90)]
    under = [*label, _word("PF", 12, 40, top=150), _word("XIM66!", 58, 120, top=150)]  # an I read '!'
    found = _value_after(label, under, settings)
    assert found.text == "PFXIM66!" and is_serial(found.text, settings) == "PFXIM66I"


def test_a_serial_whose_middle_faded_is_read_again_across_its_whole_line():
    settings = LabelSettings()
    label = [_word("Serienr.:", 10, 150)]
    faded = [*label, _word("803", 190, 70), _word("8BCC842B3", 370, 230)]  # '098' lost between
    assert _value_after(label, faded, settings).text == "803"  # no serial: too short
    span = _span_after(label, faded)
    assert span is not None and span.text == "8038BCC842B3"
    assert (span.left, span.left + span.width) == (190, 600)
    assert _span_after(label, [*label, _word("FOC2040FNTD", 190, 300)]) is None  # one word


def test_a_serial_with_stray_marks_inside_is_kept_as_first_read():
    settings = LabelSettings()
    assert _serial_or_garbled("2432LZ\\VLT8I", settings) == ("2432LZVLT8I", "2432LZ\\VLT8I")
    assert _serial_or_garbled("PF3ABCDE", settings) == ("PF3ABCDE", "")
    assert _serial_or_garbled("Made/in", settings) is None
    assert _serial_or_garbled("A|B|C|D|EF", settings) is None  # more marks than letters to trust
    # a J read as ')/': the unmatched bracket is the J once the slash is gone
    assert _serial_or_garbled("2319)/GU22755", settings) == ("2319JGU22755", "2319)/GU22755")
    assert _serial_or_garbled("(2319)/GU22755", settings) == ("2319GU22755", "(2319)/GU22755")
    # an ampersand is a glyph the recogniser could not place, read again on its own line
    assert _serial_or_garbled("PFR4&CKVW", settings) == ("PFR4CKVW", "PFR4&CKVW")


def _region(*serials: tuple[str, float, int]) -> _RegionReading:
    """A label region 400 px wide whose text serials are (value, confidence, left)."""
    page = Page(np.full((100, 400), 255, np.uint8), (), (), 0)
    texts = [TextSerial(v, c, "S/N:", _word(v, left, 20 * len(v), 40, 20)) for v, c, left in serials]
    return _RegionReading(page, (), texts, [])


def test_of_two_doubtful_readings_the_more_confident_wins():
    shaken, undone = _region(("BYGAIDGIVSF", 0.0, 100)), _region(("A993H75AYUF", 80.0, 100))
    assert undone.reads_better_than(shaken) and not shaken.reads_better_than(undone)
    assert not _region().reads_better_than(shaken)


def test_a_serial_running_to_the_region_s_side_may_have_been_cut():
    assert _region(("FOC24099SR", 60.0, 200)).serial_at_edge(0.3)  # ends at 400 of 400
    assert _region(("FOC24099SR", 60.0, 2)).serial_at_edge(0.3)  # starts at the left side
    assert not _region(("FOC240", 60.0, 100)).serial_at_edge(0.3)
    quad = np.float32([[10, 10], [110, 10], [110, 60], [10, 60]])
    wider = grown(quad, 1.4, (100, 120))
    assert wider[0].tolist() == [0.0, 0.0] and wider[2].tolist() == [119.0, 70.0]


def test_of_two_readings_in_doubt_the_one_that_fits_its_glyphs_comes_first():
    word = _word("FOC21052XJJH", 100, 240)
    texts = [TextSerial("FOC21052XJJH", 18.0, "S/N", word, fits=False),  # a glyph read twice
             TextSerial("FOC21052XJH", 13.0, "S/N", word, fits=True)]
    serials, _ = fuse((), texts, (word,), LabelSettings())
    assert [s.value for s in serials] == ["FOC21052XJH", "FOC21052XJJH"]
    assert all(s.doubtful for s in serials)


def test_of_two_readings_in_doubt_that_fit_alike_the_one_a_third_reading_repeats_comes_first():
    word = _word("FOC2036M86U", 100, 220)
    texts = [TextSerial("FOC2Z036M86U", 43.0, "S/N", word),
             TextSerial("FOC2036M86U", 34.0, "S/N", word, seconded=True)]
    serials, _ = fuse((), texts, (word,), LabelSettings())
    assert [s.value for s in serials] == ["FOC2036M86U", "FOC2Z036M86U"]


def test_a_serial_read_with_a_glyph_too_many_is_read_again_until_it_fits():
    # the line model reads '1X' in this bold print as '1LX' at the usual sizes: the glyph
    # count rejects it, and a reading at another size or with another model fits
    spec = PhotoSpec("Logitech", "Rally Bar", "2235LZVU1XEN", "stacked", "none", "de", ("dim",))
    reading = read_device_label(device_photo_jpeg(spec, 2186))
    assert reading.best is not None and reading.best.value == "2235LZVU1XEN"
    assert reading.best.doubtful and "read again as" in reading.best.detail


@pytest.mark.parametrize(("spec", "seed", "note"), [
    # blurred small print: the label's line reads '2035LZH43jA8' (confidence 76), the serial
    # on its own line 'O' for 0, 'S' for 5 and 'B' for 8 at confidence 0; its glyphs, run
    # together, cannot arbitrate: the legible first reading stands
    (PhotoSpec("Logitech", "Rally Plus", "2035LZH43JA8", "rating", "none", "nl", ("blur",)), 27166,
     "the first reading stands"),
    # small monospaced print: a zero whose dot bridges its counter has two holes, read '6'
    (PhotoSpec("Yealink", "UVC86", "80309772750C0A", "cisco", "none", "de", ("small",)), 27092,
     "without a waist: a dotted zero"),
    # ... a G whose counter closed up has none, read '6'
    (PhotoSpec("Epson", "EB-1485Fi", "X3GC083482G", "cisco", "none", "en", ("small",)), 25092, "reads 'G' alone"),
    # ... and a J read 'I' has no serif at its top left
    (PhotoSpec("Logitech", "Rally Bar", "2120LZ1PNJXS", "cisco", "none", "es", ("small",)), 21092,
     "no ink at its top left: 'J'"),
    # ... or far less ink there than at its top right (a J's bar, not an I's two serifs)
    (PhotoSpec("Neat", "Neat Bar", "NB5304XQT6JT", "cisco", "none", "en", ("small",)), 9092,
     "no ink at its top left: 'J'"),
    # bold proportional print the fixed-pitch test mistakes: the first zero is no wider than
    # the digits, the second, 3 % wider, between the limits; twins are one character
    (PhotoSpec("Logitech", "Rally Plus", "2047LZ0AAXTE", "rating", "none", "nl", ("rot270",)), 20214,
     "a zero by the serial's other round glyph, as wide"),
    # 'K' for X in the first reading, which no glyph test contradicts; the second and third
    # read 'X' (their '1' and '0' the glyphs turn into I and O): the one a third repeats first
    (PhotoSpec("Poly", "Trio C60", "8L6IOJXOQUCH", "stacked", "none", "de", ()), 22066, "a third reading agrees"),
])
def test_a_hard_label_is_read_right_in_doubt_and_says_why(spec, seed, note):
    reading = read_device_label(device_photo_jpeg(spec, seed))
    assert reading.best is not None and reading.best.value == spec.serial
    assert reading.best.doubtful and note in reading.best.detail


def test_a_second_reading_its_glyphs_turn_into_the_first_bears_the_first_out():
    # 'A875JEXXINj' (confidence 57), then 'AB75JEXXINJ' (0) whose B reads 8 alone: one
    # value, as confident as the first reading (a wider region's worse reading does not win)
    spec = PhotoSpec("Huddly", "Huddly IQ", "A875JEXXINJ", "inverse", "none", "it", ("small", "perspective"))
    reading = read_device_label(device_photo_jpeg(spec, 26095))
    assert reading.best is not None and reading.best.value == "A875JEXXINJ"
    assert reading.best.doubtful and reading.best.confidence > 50


def test_a_third_reading_unlike_both_others_is_a_candidate_of_its_own():
    # '8L434JDX82S9' (confidence 30), '8L4J4IJDX82S9' (42, a glyph too many); the third
    # reading, larger and in black and white, '8L4J4JDX82S9' (58) fits its glyphs too
    spec = PhotoSpec("Poly", "Studio X50", "8L4J4JDX82S9", "cisco", "none", "fr", ("exif",))
    reading = read_device_label(device_photo_jpeg(spec, 8212))
    assert reading.best is not None and reading.best.value == "8L4J4JDX82S9"
    assert reading.best.doubtful and any("or 8L4J4JDX82S9 (readings differ)" in f for f in reading.findings)


def test_a_third_reading_its_glyphs_contradict_is_no_candidate():
    # a region of the photo where the serial reads 'SIABOWMBRIMT' twice at confidence 0 and a
    # third time 'S3BBOHBRINIT' at 70, its 3 and B's holes wrong: no reading to prefer to the
    # label's '5388OH8R3NIT'
    spec = PhotoSpec("Jabra", "PanaCast 20", "5388OH8R3NIT", "rating", "none", "es", ("motion",))
    reading = read_device_label(device_photo_jpeg(spec, 15118))
    assert reading.best is not None and reading.best.value == "5388OH8R3NIT"


@pytest.mark.parametrize(("font", "proportional"), [("FxSans", True), ("FxSans-Bold", True),
                                                    ("FxMono", False), ("FxMono-Bold", False)])
def test_a_serial_s_label_tells_proportional_print_from_monospaced(font, proportional):
    assert proportional_print(printed_line("S/N - Seriennummer:", font, 30)) is proportional
    assert proportional_print(printed_line("Serial No.:", font, 30)) is proportional


@pytest.mark.parametrize(("font", "dotted"), [("FxMono", True), ("FxMono-Bold", True), ("FxSans", False)])
def test_a_dotted_zero_read_as_the_letter_o_still_shows_the_font_marks_its_zeros(font, dotted):
    assert has_dotted_zero("VO1", printed_line("V01", font, 30)) is dotted


def test_small_blurred_bold_zeros_are_zeros_in_doubt_when_the_serial_s_label_is_proportional():
    small = cv2.GaussianBlur(printed_line("80304899E3AB0F", "FxSans-Bold", 16), (0, 0), 0.8)
    line = cv2.resize(small, None, fx=2.5, fy=2.5, interpolation=cv2.INTER_CUBIC)
    left_open = check_serial("8O3O4899E3ABOF", line, source_px=16)  # mostly digits: its widths vary little
    assert left_open.value == "8O3O4899E3ABOF" and left_open.doubtful
    settled = check_serial("8O3O4899E3ABOF", line, source_px=16, proportional_label=True)
    assert settled.value == "80304899E3AB0F" and settled.doubtful
    assert "no wider than the digits in proportional print" in "; ".join(settled.notes)


def test_a_round_glyph_without_a_dot_is_an_o_where_the_label_s_zeros_are_dotted():
    # the label's 'VID: V01' is read 'VO1'; its round glyph's dot still shows the font's zeros
    spec = PhotoSpec("Epson", "EB-L210SF", "XCW1581334O", "cisco", "none", "en", ("glare",))
    reading = read_device_label(device_photo_jpeg(spec, 3236))
    assert reading.best is not None and reading.best.value == "XCW1581334O"
    assert "is the letter O" in reading.best.detail


def test_a_code_read_only_from_its_bars_averaged_is_sure_only_when_the_label_text_confirms_it():
    corners = ((0.0, 0.0), (100.0, 0.0), (100.0, 40.0), (0.0, 40.0))
    how = "read from its bars averaged, a blur of 0.8 px undone"
    recovered = barcodes.Symbol("204385376", "Code128", corners, 0, how)
    alone, findings = fuse((recovered,), (), (), LabelSettings())
    assert alone[0].value == "204385376" and alone[0].doubtful
    assert any("no label text confirms it" in f for f in findings)
    word = _word("204385376", 100, 200)
    confirmed, _ = fuse((recovered,), [TextSerial("204385376", 80.0, "S/N", word)], (word,), LabelSettings())
    assert confirmed[0].source == "barcode" and not confirmed[0].doubtful
    direct = barcodes.Symbol("204385376", "Code128", corners, 0)
    assert not fuse((direct,), (), (), LabelSettings())[0][0].doubtful


@pytest.mark.parametrize(("font", "blur"), [("FxSans", 0.0), ("FxSans-Bold", 0.0), ("FxMono-Bold", 0.0),
                                          ("FxSerif", 0.0), ("FxSans", 1.0), ("FxSans-Bold", 1.0),
                                          ("FxMono-Bold", 1.0)])
def test_b_and_8_are_told_apart_by_their_left_side(font, blur):
    line = printed_line("8L8B2B48", font, 40)
    if blur:
        line = cv2.GaussianBlur(line, (0, 0), blur)
    settled = check_serial("BLB82848", line)
    assert settled.value == "8L8B2B48" and settled.doubtful
    assert "has a pinched waist on its left: '8'" in "; ".join(settled.notes)
    assert check_serial("8L8B2B48", line).notes == ()  # as read, each side confirms it


def test_a_slanted_b_still_stands_on_a_straight_stem():
    line = printed_line("8L8B2B48", "FxSans-Bold", 40)
    h, w = line.shape
    slant = cv2.warpAffine(line, np.float32([[1, 0.15, -0.075 * h], [0, 1, 0]]), (w, h), borderValue=255)
    assert check_serial("BLB82848", slant).value == "8L8B2B48"


@pytest.mark.parametrize("font", ["FxSans", "FxSans-Bold", "FxMono-Bold"])
def test_a_round_glyph_standing_on_a_straight_stem_is_a_d(font):
    settled = check_serial("FOC19480WMV", printed_line("FOC1948DWMV", font, 40))
    assert settled.value == "FOC1948DWMV" and settled.doubtful


def test_a_grainy_photo_is_smoothed_before_it_is_read_whole_and_a_clean_one_is_not():
    clean = _label(with_code=False)
    assert _quieted(clean, 12.0) is clean
    grain = np.random.default_rng(7).normal(0, 60, clean.shape)
    grainy = np.clip(clean + grain, 0, 255).astype(np.uint8)
    quiet = _quieted(grainy, 12.0)
    assert quiet is not grainy and np.mean(cv2.absdiff(quiet, cv2.medianBlur(quiet, 3))) < 12.0


def test_a_slanted_table_rule_over_a_serial_is_painted_out_before_it_is_read_again():
    line = printed_line("NB1067RHUP5W", "FxSans", 40)
    ruled = line.copy()
    h, w = ruled.shape
    cv2.line(ruled, (5, 4), (w - 5, 12), 0, 3)  # a table border, slanted by the photo
    clean = _without_rules(ruled, 30)
    assert np.array_equal(clean, line) or np.mean(cv2.absdiff(clean, line)) < 0.5
    assert len(glyph_boxes(clean)) == len(glyph_boxes(line))  # the print is untouched
    assert _without_rules(line, 30) is line


@pytest.mark.parametrize("lean", [-0.3, 0.25])
def test_print_leaning_like_italics_is_stood_upright_and_upright_print_is_left_alone(lean):
    line = printed_line("FOC1943HP68", "FxMono-Bold", 40)
    h, w = line.shape
    leaning = cv2.warpAffine(line, np.float32([[1, lean, -lean * h / 2], [0, 1, 0]]), (w, h), borderValue=255)
    upright = _upright(leaning, LabelSettings())
    assert upright is not leaning
    def mean_width(image):
        return np.mean([g.width for g in glyph_boxes(image)])

    assert len(glyph_boxes(upright)) == 11
    assert mean_width(upright) <= mean_width(line) + 2 < mean_width(leaning)  # glyphs as printed
    assert _upright(line, LabelSettings()) is line


def test_one_letter_s_width_does_not_settle_the_font_of_a_serial():
    # blurred bold monospaced print: its N alone measured as wide as a proportional N's
    def glyph(x, width):
        return SerialGlyph(x, 0, width, 40, 0, -1.0, 0.0, 0.0, 0.0, 0.5, 0.5)

    digits = [glyph(40 * i, 30) for i in range(4)]
    one_vote = [*digits, glyph(160, 38)]  # N: 1.27 x the digits' width, past 1.13 - slack
    assert _letters_say_monospaced("1922N", one_vote, 30 / 40) is None
    two_votes = [*digits, glyph(160, 38), glyph(200, 48)]  # N and M
    assert _letters_say_monospaced("1922NM", two_votes, 30 / 40) is False


def _stretched_line(text: str, stretch: dict[int, float], font: str = "FxSans-Bold", size: int = 40) -> np.ndarray:
    """A line of print whose glyphs at the given positions are widened by the given factors."""
    face = ImageFont.truetype(font_path(font), size)
    pieces = []
    for i, ch in enumerate(text):
        glyph = Image.new("L", (int(face.getlength(ch)) + 2, int(size * 1.8)), 255)
        ImageDraw.Draw(glyph).text((1, size // 3), ch, font=face, fill=0)
        cell = np.asarray(glyph)
        if i in stretch:
            cell = cv2.resize(cell, (round(cell.shape[1] * stretch[i]), cell.shape[0]), interpolation=cv2.INTER_CUBIC)
        pieces.append(cell)
    margin = np.full((int(size * 1.8), 20), 255, np.uint8)
    return np.hstack([margin, *pieces, margin])


def test_a_round_glyph_too_wide_to_call_is_a_zero_as_wide_as_the_serial_s_zero():
    # blur and perspective widen a zero past what the digits allow (1.14 of them), but the
    # serial's other zero, plainly one (1.10), is as wide
    image = _stretched_line("X0M9715407T", {1: 1.08, 8: 1.04})
    checked = check_serial("XOM9715407T", image)
    assert checked.value == "X0M9715407T" and checked.doubtful
    assert "by the serial's other round glyph" in checked.notes[0]


def test_a_six_read_as_e_is_a_six_by_its_counter():
    checked = check_serial("8LEXDW8BUHSS", printed_line("8L6XDW8BUHSS", "FxSans-Bold"))
    assert checked.value == "8L6XDW8BUHSS" and checked.doubtful


def test_a_sliver_of_a_frame_between_two_glyphs_is_no_glyph():
    image = printed_line("NB9390A0AHWX", "FxMono").copy()
    ink = 255 - image
    columns = np.nonzero(ink[:, :].max(axis=0) > 128)[0]
    widest = int(np.argmax(np.diff(columns)))
    x = (columns[widest] + columns[widest + 1]) // 2  # in the widest gap between two glyphs
    rows = np.nonzero(ink.max(axis=1) > 128)[0]
    image[rows[0] + 5:rows[-1] - 3, x:x + 2] = 0
    checked = check_serial("NB9390AOAHWX", image)
    assert checked.fits and checked.value == "NB9390A0AHWX"  # the dotted zero told


def test_of_two_readings_in_doubt_the_one_its_glyphs_bear_out_comes_first():
    word = _word("9D9CMQQSZZA3", 100, 240)
    texts = [TextSerial("ID9CMQQSZZA3", 87.0, "S/N", word),  # its I holds a counter
             TextSerial("9D9CMQQSZZA3", 81.0, "S/N", word, verified=True)]
    assert [s.value for s in fuse((), texts, (word,), LabelSettings())[0]] == ["9D9CMQQSZZA3", "ID9CMQQSZZA3"]


def test_of_two_readings_in_doubt_the_one_needing_fewer_glyphs_cut_comes_first():
    word = _word("8L6XDW8BUHSS", 100, 240)
    texts = [TextSerial("8L6XDWS8BUHSS", 50.0, "S/N", word, cuts=1),  # a W cut in two to fit
             TextSerial("8L6XDW8BUHSS", 26.0, "S/N", word)]
    assert fuse((), texts, (word,), LabelSettings())[0][0].value == "8L6XDW8BUHSS"


def test_proportional_print_varies_in_glyph_width_and_monospaced_print_does_not():
    for printed in ("8LGP2UFWOMIO", "48CA0A4ARU61", "FOC2340BC7Q"):
        assert _unevenly_wide(line_glyphs(printed_line(printed, "FxSans"), len(printed)))
        assert not _unevenly_wide(line_glyphs(printed_line(printed, "FxMono-Bold"), len(printed)))


def test_a_plain_bar_read_as_an_i_stays_an_i_whatever_it_reads_alone():
    # blurred bold print: alone, the bar reads '1' with confidence
    spec = PhotoSpec("Lenovo", "ThinkSmart Hub", "PFIYAEWM", "stacked", "none", "de", ("blur",))
    best = read_device_label(device_photo_jpeg(spec, 12234)).best
    assert best is not None and best.value == "PFIYAEWM"


def test_a_garbled_serial_read_again_alike_keeps_the_first_reading_s_confidence():
    # small print in perspective, first read 'x3/72730232': read again alike but faintly
    # (confidence 0), it is still a serial to compare, in doubt
    spec = PhotoSpec("Epson", "EB-L210SF", "X3JT1730232", "table", "none", "en", ("small", "perspective"))
    best = read_device_label(device_photo_jpeg(spec, 12163)).best
    assert best is not None and best.doubtful and best.confidence >= LabelSettings().text_min_confidence


def test_a_faint_reading_counts_only_after_its_label_with_its_glyphs_counted():
    word = _word("XH55224169K", 100, 220)
    counted = TextSerial("XH55224169K", 0.0, "N.° de serie", word, counted=True)  # a quote mark glued to it
    assert [s.value for s in fuse((), [counted], (word,), LabelSettings())[0]] == ["XH55224169K"]
    assert fuse((), [counted], (word,), LabelSettings())[0][0].doubtful
    assert not fuse((), [TextSerial("XH55224169K", 0.0, "N.° de serie", word)], (word,), LabelSettings())[0]
    assert not fuse((), [TextSerial("XH55224169K", 0.0, "", word, counted=True)], (word,), LabelSettings())[0]
    faint = TextSerial("8L5V011997D", 4.0, "S/N", word, counted=True)
    heard = TextSerial("8L5V0119J97D", 62.0, "S/N", word, fits=False)  # a J cut apart on the line
    assert fuse((), [faint, heard], (word,), LabelSettings())[0][0].value == "8L5V0119J97D"


@pytest.mark.parametrize("font", ["FxSans", "FxMono-Bold", "FxSerif"])
def test_a_nine_read_for_a_tailed_or_round_glyph_is_a_q_or_a_round_letter_in_doubt(font):
    tailed = check_serial("FOC18474W9R", printed_line("FOC18474WQR", font))
    assert tailed.value == "FOC18474WQR" and tailed.doubtful
    assert check_serial("FOC18474W9R", printed_line("FOC18474W9R", font)).value == "FOC18474W9R"


def test_a_nine_holding_one_large_counter_in_its_middle_is_told_as_a_round_glyph():
    checked = check_serial("FOC18474W9R", printed_line("FOC18474WOR", "FxSans"))
    assert checked.value == "FOC18474WOR" and checked.doubtful


def test_an_o_in_monospaced_print_with_one_wide_w_is_not_guessed_a_zero():
    assert check_serial("FOC18474W9R", printed_line("FOC18474W9R", "FxMono-Bold")).value == "FOC18474W9R"


def test_widths_of_glyphs_cut_from_a_line_blur_merged_into_blobs_do_not_call_an_o():
    # blur merges most of this line's glyphs: cut apart again, its zeros measure as wide as O's
    spec = PhotoSpec("Epson", "EB-1485Fi", "XUWW1736400", "yealink", "none", "de", ("blur",))
    best = read_device_label(device_photo_jpeg(spec, 13045)).best
    assert best is not None and best.value == "XUWW1736400"


def _round(x: int, width: int) -> SerialGlyph:
    return SerialGlyph(x, 0, width, 40, 1, 0.5, 0.64, 0.0, 0.0, 0.5, 0.5)


def test_round_glyphs_of_one_serial_far_apart_in_width_are_an_o_and_a_zero():
    line = [_round(0, 30), _round(40, 35)]  # 1.17 apart: PF0KHOML's zero and O, small and bold
    assert _round_split("00", line) == {0: "0", 1: "O"}
    assert _round_split("00", [_round(0, 30), _round(40, 34)]) == {}  # 1.13: one character's spread


def test_round_glyphs_as_wide_as_each_other_that_their_widths_call_otherwise_are_both_in_doubt():
    line = [_round(0, 33), _round(40, 35), _round(80, 42)]
    assert _torn(line, {0: "0", 1: "O"}) == {0, 1}  # 1.06 apart: one character, calls differ
    assert _torn(line, {0: "0", 2: "O"}) == set()  # 1.27 apart: an O and a zero
    assert _torn(line, {0: "0", 1: "0"}) == set()
    # a zero nearest another zero in width is not torn by an O 1.15 wider
    zeros_and_o = [_round(0, 34), _round(40, 35), _round(80, 40)]
    assert _torn(zeros_and_o, {0: "0", 1: "0", 2: "O"}) == {2}


@pytest.mark.parametrize("font", ["FxMono-Bold", "FxSans"])
def test_a_t_as_wide_at_its_foot_as_at_its_top_is_an_i(font):
    line = printed_line("8LA2XII1FG93", font)
    settled = check_serial("8LA2XIT1FG93", line)  # the serifed I read as T
    assert settled.value == "8LA2XII1FG93" and settled.doubtful
    assert check_serial("NB5304XQT6JT", printed_line("NB5304XQT6JT", font)).value == "NB5304XQT6JT"  # real T's
