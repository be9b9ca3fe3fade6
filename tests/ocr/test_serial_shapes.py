"""Vendors' serial shapes turn the look-alikes they rule out into their twins, and nothing else."""

from __future__ import annotations

from fixtures.device_photos import PhotoSpec, device_photo_jpeg
from ocr.device_label import read_device_label
from ocr.serial_shapes import conform, has_shape, one_read_twice


def test_a_look_alike_the_shape_rules_out_is_its_twin():
    assert conform("2243PVJ3O660", "Crestron") == ("2243PVJ30660", (8,))
    assert conform("FOCI9Z2HP68", "Cisco") == ("FOC1922HP68", (3, 5))
    assert conform("2928SF534249", "Crestron") == ("2928SFS34249", (6,))
    assert conform("BLY6TTUPZPIU", "Poly") == ("8LY6TTUPZPIU", (0,))
    assert conform("SLHTHTXX43UJ", "Poly") == ("8LHTHTXX43UJ", (0,))  # the fixed 8 read as its look-alike S


def test_where_the_shape_allows_either_nothing_changes():
    assert conform("FOC1922NF4O", "Cisco") == ("FOC1922NF4O", ())  # the last four: letters or digits
    assert conform("803035982CDFB9", "Yealink") == ("803035982CDFB9", ())  # hexadecimal: B and 8 alike


def test_one_glyph_read_twice_is_one_symbol_where_the_brand_s_serials_are_one_shorter():
    assert one_read_twice("1924ZJJY08347", "Crestron") == ("1924ZJY08347", 5)  # a doubled J
    value, position = one_read_twice("BSLT4Z8L4UF7R", "Poly")  # an 8 read 'BS': either symbol is the extra one
    assert (value, position in (0, 1)) == ("8LT4Z8L4UF7R", True)
    assert one_read_twice("PF8OJJCJW", "Lenovo") == ("PF8OJCJW", 4)


def test_no_removal_where_the_length_fits_or_the_removal_is_not_unique():
    assert one_read_twice("A537YECJJYI", "Huddly") is None  # its length: a printed JJ stays
    assert one_read_twice("8LEXDWS8BUHSS", "Poly") is None  # 'S8' or 'SS': which one is unknown
    assert one_read_twice("NB9773F8UWD05", "Neat") is None  # the D or the 0
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
