"""Weak runs of words read again alone, as one line."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr import OcrSettings, Word, preprocess
from ocr.weak_runs import grown_runs, reread_weak_runs, weak_runs

S = OcrSettings()
_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"


def _w(text: str, conf: float, left: int, line: int) -> Word:
    return Word(text, conf, left, 10, 40, 20, line)


def test_runs_are_consecutive_weak_words_of_one_line():
    words = [_w("Facture", 96, 0, 0), _w("eserent", 0, 50, 0), _w("Ion", 3, 100, 0),
             _w("ESA", 0, 150, 1), _w("Date", 95, 0, 2), _w("x", 10, 50, 2)]
    assert weak_runs(words, S) == [(1, 3), (3, 4), (5, 6)]


def _line_image() -> Image.Image:
    image = Image.new("L", (900, 120), 255)
    ImageDraw.Draw(image).text((20, 40), "Facture n° F0020157", fill=0,
                               font=ImageFont.truetype(_FONT, 30))
    return image


def test_a_garbled_run_is_replaced_by_its_reading_as_one_line():
    image = _line_image()
    garbled = (Word("eserent", 0.0, 20, 40, 200, 34, 0), Word("ESA", 0.0, 300, 40, 120, 34, 0))
    words, replaced = reread_weak_runs(image, garbled, "fra+eng", S)
    assert replaced == 1
    assert "F0020157" in [w.text for w in words]
    assert all(w.line == 0 and w.confidence > 60 for w in words)
    assert min(w.left for w in words) >= 20  # boxes are in page pixels


def test_confident_words_are_left_alone():
    image = _line_image()
    sure = (Word("Facture", 96.0, 20, 40, 150, 34, 0),)
    assert reread_weak_runs(image, sure, "fra+eng", S) == (sure, 0)


def test_a_light_grey_table_rule_is_erased_but_the_print_stays():
    image = Image.new("L", (900, 200), 245)
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 20, 880, 180), outline=200, width=2)  # a light grey box
    draw.text((40, 80), "FT-21603", fill=20, font=ImageFont.truetype(_FONT, 40))
    out = preprocess.remove_rules(np.asarray(image), 40)
    assert out[20:23, 100:800].min() >= 240 and out[30:170, 879:882].min() >= 240
    assert out[80:130, 40:300].min() < 60


def test_a_run_takes_in_the_words_beside_it_that_its_band_would_cut_on_any_line():
    words = [
        Word("Uni", 95.0, 232, 719, 75, 34, 6),
        Word("ität", 93.0, 419, 718, 83, 35, 6),
        Word("Rechnung", 96.0, 900, 719, 200, 34, 6),  # far: stays out
        Word("EEE", 10.0, 267, 723, 211, 30, 7),  # the garbled middle of 'Universität'
    ]
    assert grown_runs(words, weak_runs(words, S)) == [[0, 1, 3]]


def test_a_garbled_middle_is_read_again_with_the_pieces_around_it():
    image = Image.new("L", (900, 120), 255)
    ImageDraw.Draw(image).text((20, 40), "Universität Musterstadt", fill=0, font=ImageFont.truetype(_FONT, 30))
    words = (Word("Uni", 95.0, 20, 40, 60, 34, 0), Word("EEE", 5.0, 60, 40, 150, 34, 1),
             Word("ität", 93.0, 180, 40, 70, 34, 0))
    read, replaced = reread_weak_runs(image, words, "deu+eng", S)
    assert replaced == 1
    assert [w.text for w in read][:1] == ["Universität"]
    assert not {"Uni", "ität", "EEE"} & {w.text for w in read}
