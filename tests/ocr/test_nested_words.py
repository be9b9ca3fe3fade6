"""Words read a second time inside another word's box are dropped."""

from __future__ import annotations

from ocr import OcrSettings, Word
from ocr.nested_words import drop_nested

S = OcrSettings()


def test_pieces_and_weaker_copies_inside_a_word_of_another_line_go():
    words = (
        Word("Klant", 95.0, 250, 660, 110, 30, 5),
        Word("a", 50.0, 675, 700, 27, 34, 5),  # inside 'Rotterdam'
        Word("ogistics", 92.0, 485, 716, 190, 39, 5),  # a piece of 'Logistics'
        Word("Hogeschool", 96.0, 218, 708, 267, 35, 6),
        Word("Rotterdam", 96.0, 520, 701, 257, 33, 6),
        Word("Logistics", 96.0, 465, 716, 212, 39, 6),
        Word("Logistics", 90.0, 467, 717, 210, 38, 7),  # the same word again, less sure
    )
    kept, dropped = drop_nested(words, S)
    assert [w.text for w in kept] == ["Klant", "Hogeschool", "Rotterdam", "Logistics"]
    assert dropped == 3


def test_words_of_one_line_and_other_words_in_a_garbled_box_stay():
    words = (
        Word("ee", 33.0, 200, 650, 600, 120, 5),  # a garbled box over two lines
        Word("Advocatenkantoor", 97.0, 230, 700, 380, 40, 6),
        Word("De", 97.0, 630, 700, 50, 40, 6),
        Word("1", 90.0, 640, 705, 20, 30, 6),  # same line: not a second reading
    )
    assert drop_nested(words, S) == (words, 0)
