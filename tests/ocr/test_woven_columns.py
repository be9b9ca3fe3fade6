"""Finding the lines tesseract wove across two columns (ocr.woven_columns)."""

from __future__ import annotations

from ocr import OcrSettings, Word
from ocr.layout import rows
from ocr.woven_columns import _better, woven_splits

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


def test_a_column_read_alone_replaces_one_split_into_single_letters_but_never_loses_a_word():
    # 'Autohaus Aurora 1200 AG' in bold beside the invoice-number block, read with confidence
    # as two lines of pieces
    woven = [*_line(6, ("A", 483, 708, 33), ("1200", 670, 708, 33), ("A", 803, 708, 33), ("j", 896, 681, 3)),
             *_line(7, ("utohaus", 234, 707, 34), ("Aurora", 519, 716, 25), ("G", 838, 708, 34))]
    alone = _line(0, ("Autohaus", 234, 707, 34), ("Aurora", 519, 708, 34), ("1200", 670, 708, 33),
                  ("AG", 803, 708, 33))
    assert _better(alone, woven, S)
    assert not _better(alone[:2], woven, S)  # lost the number: too few characters
    coded = [*_line(0, ("i", 240, 900, 30), ("12CU000BGE", 300, 900, 30), ("-", 900, 900, 30),
                    ("PFOSBY2B", 1000, 900, 30))]
    cut = _line(0, ("af", 240, 900, 30), ("12CU000BGE", 300, 900, 30), ("PFOSBY", 1000, 900, 30))
    assert not _better(cut, coded, S)  # the crop cut a serial the old reading was sure of


def test_a_heading_beside_two_rows_of_small_print_does_not_weave_them_into_one():
    words = [*_line(3, ("Rechnungsanschrift", 1171, 453, 30)),
             *_line(4, ("Rechnu", 228, 467, 59), ("ng", 542, 482, 59), ("Brauerei", 1170, 502, 35),
                    ("Aurora", 1395, 503, 33), ("1024", 1582, 503, 33), ("AG", 1715, 503, 33)),
             *_line(5, ("Marktplatz", 1170, 559, 39), ("35,", 1392, 560, 34)),
             *_line(6, ("Kunden-Nr.", 243, 870, 30), ("Datum", 745, 874, 30))]
    texts = [" ".join(w.text for w in row) for row in rows(words)]
    assert not [t for t in texts if "Rechnungsanschrift" in t and "Brauerei" in t]
    assert [t for t in texts if t.endswith("Brauerei Aurora 1024 AG")]


def test_a_box_tesseract_drew_lines_tall_joins_the_row_it_continues():
    words = [*_line(6, ("Rechnungsnummer:", 699, 329, 18), ("202508003", 1000, 328, 15)),
             *_line(7, ("Versicherungskammer", 118, 339, 40), ("Süd", 405, 343, 18), ("AG", 459, 343, 18),
                    ("Rechnungsdatum:", 699, 339, 39), ("17.09.2025", 1000, 355, 15)),
             *_line(8, ("Maximilianstr.", 120, 373, 15), ("München", 373, 372, 16)),
             *_line(9, ("Kundennummer:", 699, 383, 15), ("51110", 1000, 382, 15))]
    texts = [" ".join(w.text for w in row) for row in rows(words)]
    assert [t for t in texts if t.startswith("Versicherungskammer Süd AG")]


def test_a_letterhead_printed_large_stays_one_row():
    words = [*_line(0, ("are", 168, 66, 45), ("Solutions", 675, 67, 26), ("Bureautique", 845, 64, 30),
                    ("SARL", 1068, 63, 24)),
             *[w for i in range(12) for w in _line(i + 1, ("Text", 170, 200 + 30 * i, 15))]]
    texts = [" ".join(w.text for w in row) for row in rows(words)]
    assert texts[0] == "are Solutions Bureautique SARL"


def test_a_tall_box_joins_the_row_beside_it_not_the_one_it_stands_over():
    # a fax: 'N° de facture' read as '[N' 'de' 'wie', the box of '[N' reaching down over the
    # invoice number printed under the label
    words = [*_line(7, ("[N", 174, 604, 66), ("de", 225, 608, 30), ("wie", 259, 609, 29), ("Date", 533, 607, 30)),
             *_line(8, ("F-2025-03307", 193, 658, 24), ("05/07/2025", 533, 657, 27))]
    texts = [" ".join(w.text for w in row) for row in rows(words)]
    assert texts == ["[N de wie Date", "F-2025-03307 05/07/2025"]
