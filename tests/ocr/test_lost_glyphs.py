"""Words that lost a glyph at an edge, read again with it."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from ocr import OcrSettings, Word
from ocr.lost_glyphs import read_lost_glyphs

S = OcrSettings()
_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _line(text: str, size: int = 34) -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    """A line of print and the box of each of its characters."""
    face = ImageFont.truetype(_FONT, size)
    image = Image.new("L", (40 + int(face.getlength(text)) + 40, 120), 255)
    draw = ImageDraw.Draw(image)
    draw.text((40, 40), text, fill=0, font=face)
    boxes, x = [], 40.0
    for ch in text:
        left, top, right, bottom = draw.textbbox((x, 40), ch, font=face)
        boxes.append((int(left), int(top), int(right) + 1, int(bottom) + 1))
        x += face.getlength(ch)
    return image, boxes


def _word(text: str, boxes, first: int, last: int, confidence: float = 92.0, line: int = 0) -> Word:
    left, right = boxes[first][0], boxes[last][2]
    top = min(b[1] for b in boxes[first:last + 1])
    bottom = max(b[3] for b in boxes[first:last + 1])
    return Word(text, confidence, left, top, right - left, bottom - top, line)


def test_a_first_letter_outside_the_words_box_is_read_with_it():
    image, boxes = _line("Hogeschool Rotterdam")
    words = (_word("ogeschool", boxes, 1, 9), _word("Rotterdam", boxes, 11, 19))
    fixed, changed = read_lost_glyphs(image, words, "nld+eng", S)
    assert changed == 1
    assert [w.text for w in fixed] == ["Hogeschool", "Rotterdam"]
    assert fixed[0].left < words[0].left - 10  # the box now holds the H, in page pixels


def test_a_lost_glyph_read_as_a_word_of_another_line_goes_with_it():
    image, boxes = _line("Zorggroep Eemland")
    stray = _word("7", boxes, 0, 0, 40.0, line=1)
    words = (stray, _word("orggroep", boxes, 1, 8), _word("Eemland", boxes, 10, 16))
    fixed, _ = read_lost_glyphs(image, words, "nld+eng", S)
    assert [w.text for w in fixed] == ["Zorggroep", "Eemland"]


def test_words_that_lost_nothing_or_gain_only_a_mark_stay():
    image, boxes = _line("Kunde (EUR)|")
    words = (_word("Kunde", boxes, 0, 4), _word("(EUR)", boxes, 6, 10))
    fixed, changed = read_lost_glyphs(image, words, "deu+eng", S)
    assert changed == 0 and fixed == words
