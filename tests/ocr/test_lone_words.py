"""Short weak words standing alone (a table cell's quantity) read again cut to their print."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from fixtures.invoice_truth import _case
from ocr import OcrSettings, Word, extract_invoice_fields, read_document
from ocr.lone_words import reread_lone_words, short_weak_words, typical_height

S = OcrSettings()
_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
_PAGE = [Word("Quantity", 95.0, 20, 500, 160, 30, 0), Word("Amount", 96.0, 400, 500, 130, 30, 0)]


def test_a_short_weak_word_alone_is_picked_not_a_speck_a_sure_word_or_the_end_of_a_code():
    lone = Word("a:", 45.0, 100, 100, 20, 45, 1)
    speck = Word("-", 40.0, 300, 100, 10, 4, 2)
    sure = Word("1", 96.0, 100, 200, 15, 27, 3)
    code, tail = Word("KAB-HDMI", 90.0, 20, 300, 150, 28, 4), Word("-05", 50.0, 180, 300, 45, 28, 4)
    words = [*_PAGE, lone, speck, sure, code, tail]
    typical = typical_height(words, S)
    assert typical == 30.0  # the confident words of two characters or more
    assert short_weak_words(words, typical, S) == [2]


def _cell_with_rule_fringe() -> tuple[Image.Image, Word]:
    """A table cell: a bold '1' under the grey fringe of the rule above it, boxed together."""
    image = Image.new("L", (300, 160), 255)
    draw = ImageDraw.Draw(image)
    draw.line((0, 40, 299, 40), fill=190, width=2)  # what rule removal left of the rule
    draw.text((140, 56), "1", fill=20, font=ImageFont.truetype(_FONT, 36))
    return image, Word("a:", 45.0, 136, 38, 30, 54, 1)


def test_a_lone_glyph_boxed_with_a_rule_fringe_is_read_again_cut_to_its_print():
    image, misread = _cell_with_rule_fringe()
    words, changed = reread_lone_words(image, [*_PAGE, misread], "eng", S)
    assert changed == 1
    again = words[2]
    assert (again.text, again.line) == ("1", 1) and again.confidence > 80
    assert 136 <= again.left <= 150 and again.top >= 50  # page pixels, the fringe left out


@pytest.mark.parametrize(("language", "variant"), [
    ("en", 20),  # its two first quantities were read 'a:' and 'at': a rule's fringe above them
    ("nl", 22),  # its first quantity read 'il' (11), then 'i' alone among the scan's specks
])
def test_a_scanned_invoice_s_quantities_read_alone_in_their_cells(language, variant):
    case = _case(language, 0, "scan", variant)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "scan.pdf")
        path.write_bytes(case.document())
        reading = read_document(path, [language])
    items = extract_invoice_fields(reading, [language]).line_items
    assert [(i.quantity, len(i.serials)) for i in items] == [(q, len(s)) for _, q, s in case.truth.lines]
