"""Words read a second time inside another word's box are dropped."""

from __future__ import annotations

from ocr import OcrSettings, Word
from ocr.nested_words import drop_nested, join_split_words

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


def test_halves_of_a_word_cut_onto_two_lines_are_joined():
    words = (
        Word("land", 77.0, 608, 698, 100, 34, 5),  # overlaps 'Eemlan', sharing 'lan'
        Word("Zorggroep", 92.0, 228, 699, 254, 61, 6),
        Word("Eemlan", 90.0, 504, 699, 173, 33, 6),
        Word("d", 93.0, 932, 715, 27, 34, 7),  # touching 'du', whose box holds only the 'u'
        Word("Communes", 95.0, 646, 716, 267, 33, 8),
        Word("du", 97.0, 965, 724, 24, 25, 8),
        Word("Pays", 96.0, 1011, 716, 111, 42, 8),
    )
    kept, joined = join_split_words(words, S)
    assert [w.text for w in kept] == ["Zorggroep", "Eemland", "Communes", "du", "Pays"]
    assert joined == 2
    eemland = kept[1]
    assert (eemland.left, eemland.left + eemland.width, eemland.line) == (504, 708, 6)
    du = kept[3]
    assert (du.left, du.left + du.width, du.line) == (932, 989, 8)


def test_words_apart_or_of_one_line_or_sharing_no_letters_are_not_joined():
    words = (
        Word("de", 95.0, 100, 700, 50, 30, 1),
        Word("el", 95.0, 152, 700, 40, 30, 1),  # one line: tesseract's own word break
        Word("an", 95.0, 300, 700, 50, 30, 2),
        Word("and", 95.0, 400, 700, 70, 30, 3),  # far apart: two words
        Word("Total", 95.0, 600, 700, 90, 30, 4),
        Word("EUR", 95.0, 692, 700, 60, 30, 5),  # touching, but no shared letters
    )
    assert join_split_words(words, S) == (words, 0)
