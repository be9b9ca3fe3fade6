"""Vendors' serial shapes turn the look-alikes they rule out into their twins, and nothing else."""

from __future__ import annotations

from fixtures.device_photos import PhotoSpec, device_photo_jpeg
from ocr.device_label import read_device_label
from ocr.serial_shapes import conform


def test_a_look_alike_the_shape_rules_out_is_its_twin():
    assert conform("2243PVJ3O660", "Crestron") == ("2243PVJ30660", (8,))
    assert conform("FOCI9Z2HP68", "Cisco") == ("FOC1922HP68", (3, 5))
    assert conform("2928SF534249", "Crestron") == ("2928SFS34249", (6,))
    assert conform("BLY6TTUPZPIU", "Poly") == ("8LY6TTUPZPIU", (0,))


def test_where_the_shape_allows_either_nothing_changes():
    assert conform("FOC1922NF4O", "Cisco") == ("FOC1922NF4O", ())  # the last four: letters or digits
    assert conform("803035982CDFB9", "Yealink") == ("803035982CDFB9", ())  # hexadecimal: B and 8 alike


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
