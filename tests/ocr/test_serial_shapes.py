"""Vendors' serial shapes turn the look-alikes they rule out into their twins, and nothing else."""

from __future__ import annotations

from fixtures.device_photos import PhotoSpec, device_photo_jpeg
from ocr.device_label import LabelSettings, fuse, read_device_label
from ocr.label_text import TextSerial
from ocr.serial_shapes import brand_by_shape, conform, has_shape, one_read_twice
from ocr.types import Word


def test_a_look_alike_the_shape_rules_out_is_its_twin():
    assert conform("2243PVJ3O660", "Crestron") == ("2243PVJ30660", (8,))
    assert conform("FOCI9Z2HP68", "Cisco") == ("FOC1922HP68", (3, 5))
    assert conform("2928SF534249", "Crestron") == ("2928SFS34249", (6,))
    assert conform("BLY6TTUPZPIU", "Poly") == ("8LY6TTUPZPIU", (0,))
    assert conform("SLHTHTXX43UJ", "Poly") == ("8LHTHTXX43UJ", (0,))  # the fixed 8 read as its look-alike S
    assert conform("AQ14RG69SWU", "Huddly") == ("A014RG69SWU", (1,))  # a zero's slash read as a Q's tail
    assert conform("2122NZN2D564", "Crestron") == ("2122NZN20564", (8,))


def test_where_the_shape_allows_either_nothing_changes():
    assert conform("FOC1922NF4O", "Cisco") == ("FOC1922NF4O", ())  # the last four: letters or digits
    assert conform("803035982CDFB9", "Yealink") == ("803035982CDFB9", ())  # hexadecimal: B and 8 alike


def test_one_glyph_read_twice_is_one_symbol_where_the_brand_s_serials_are_one_shorter():
    assert one_read_twice("1924ZJJY08347", "Crestron") == ("1924ZJY08347", 5)  # a doubled J
    value, position = one_read_twice("BSLT4Z8L4UF7R", "Poly")  # an 8 read 'BS': either symbol is the extra one
    assert (value, position in (0, 1)) == ("8LT4Z8L4UF7R", True)
    assert one_read_twice("PF8OJJCJW", "Lenovo") == ("PF8OJCJW", 4)


def test_a_pair_that_names_its_glyph_keeps_it():
    # a D's flat side read as a zero: the D stays, whichever of the two the shape would allow
    assert one_read_twice("NB9773F8UWD05", "Neat") == ("NB9773F8UWD5", 11)
    assert one_read_twice("A875JIEWXQNK", "Huddly") == ("A875JEWXQNK", 5)


def test_no_removal_where_the_length_fits_or_the_removal_is_not_unique():
    assert one_read_twice("A537YECJJYI", "Huddly") is None  # its length: a printed JJ stays
    assert one_read_twice("8LEXDWS8BUHSS", "Poly") is None  # 'S8' or 'SS': which one is unknown
    assert one_read_twice("1924ZJJY08347", None) is None
    assert one_read_twice("1924ZJKY083471", "Crestron") is None  # two too long


def test_no_shape_no_change_a_misfit_no_change():
    assert conform("2243PVJ3O660", None) == ("2243PVJ3O660", ())
    assert conform("2243PVJ3O660", "Bose") == ("2243PVJ3O660", ())
    assert conform("2243PVJ3O66", "Crestron") == ("2243PVJ3O66", ())  # another length
    assert conform("2243PVJ3X660", "Crestron") == ("2243PVJ3X660", ())  # an X has no digit twin


def test_a_zero_read_o_in_a_crestron_serial_s_digits_is_a_zero_in_doubt():
    spec = PhotoSpec("Crestron", "Flex R30", "2243PVJ30660", "cisco", "none", "es", ("motion",))
    reading = read_device_label(device_photo_jpeg(spec, 6188))
    assert reading.best is not None and reading.best.value == "2243PVJ30660"
    assert reading.best.doubtful and "Crestron's serial shape" in reading.best.detail


def test_of_two_codes_carrying_different_values_the_one_shaped_like_the_brand_s_serials_leads():
    # a dim label: no text confirms either code; the other code carries the part number
    spec = PhotoSpec("Cisco", "Webex Room Kit", "FOC1901U1P8", "table", "code128", "en", ("dim",))
    assert has_shape("FOC1901U1P8", "Cisco") and not has_shape("299773286", "Cisco")
    best = read_device_label(device_photo_jpeg(spec, 9031)).best
    assert best is not None and best.value == "FOC1901U1P8"


def test_a_brand_not_read_is_told_by_the_one_brand_whose_shape_the_serial_has():
    assert brand_by_shape(["F0C2045E5FU"]) == "Cisco"  # as Cisco's, once its O is turned
    assert brand_by_shape(["8030009B57D80C"]) == "Yealink"
    assert brand_by_shape(["2215LZ0A1B2C"]) is None  # Logitech's and Jabra's shapes both fit
    assert brand_by_shape(["QQQQ"]) is None
    assert brand_by_shape([]) is None


def _serial_word(text: str) -> Word:
    return Word(text, 60.0, 100, 100, 20 * len(text), 30, 1)


def test_of_two_readings_in_doubt_the_one_its_brand_s_shape_allows_comes_first():
    word = _serial_word("8030009B57D80C")
    texts = [TextSerial("6030009B57D80C", 57.0, "Ser.-Nr:", word),  # Yealink's serials begin 8030
             TextSerial("8030009B57D80C", 51.0, "Ser.-Nr:", word)]
    serials, _ = fuse((), texts, (word,), LabelSettings(), "Yealink")
    assert [s.value for s in serials] == ["8030009B57D80C", "6030009B57D80C"]
    serials, _ = fuse((), texts, (word,), LabelSettings(), None)  # no brand: the more confident first
    assert [s.value for s in serials] == ["6030009B57D80C", "8030009B57D80C"]
