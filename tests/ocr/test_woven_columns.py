"""Finding the lines tesseract wove across two columns (ocr.woven_columns)."""

from __future__ import annotations

from ocr import OcrSettings, Word
from ocr.woven_columns import woven_splits

S = OcrSettings()


def _line(line: int, *placed: tuple[str, int, int, int]) -> list[Word]:
    return [Word(text, 90.0, left, top, 12 * len(text), height, line) for text, left, top, height in placed]


def test_a_line_whose_two_columns_stand_at_different_heights_is_woven():
    # as read from a photo: the buyer's name garbled into boxes three lines tall, the
    # invoice date half a line lower in the right column
    words = [*_line(0, ("Client", 117, 300, 15), ("Total", 688, 300, 15)),
             *_line(1, ("os", 116, 346, 46), ("ne", 199, 345, 47), ("SA", 469, 347, 17),
                    ("Date", 688, 359, 15), ("14/05/2025", 991, 358, 17)),
             *_line(2, ("rue", 136, 380, 12), ("ennes", 381, 380, 12), ("Code", 687, 386, 15))]
    found = woven_splits(words, S)
    assert [round(middle) for middle, _, _ in found] == [366, 386]
    assert all(500 < gap < 688 for _, gap, _ in found)  # between the columns


def test_a_table_row_on_one_baseline_is_not_woven():
    words = _line(0, ("11LN0004GE", 120, 500, 15), ("ThinkSmart", 330, 501, 15), ("1", 800, 500, 15),
                  ("1.299,00", 900, 499, 15))
    assert woven_splits(words, S) == []
