"""Grades from measured signals (no engine): the rules and their thresholds."""

from __future__ import annotations

import pytest

from ocr import OcrSettings, Quality, worst
from ocr.quality import fax_reason, grade_ocr_page, is_plausible

S = OcrSettings()
CLEAN = {"bit_depth": 8, "words": 100, "plausible_words": 92, "dict_ratio": 0.92, "mean_conf": 91}


def test_grades_are_ordered_best_to_worst():
    assert [q.value for q in Quality] == ["ok", "fax", "poor", "illegible", "unreadable"]
    assert worst(Quality.OK, Quality.POOR, Quality.FAX) is Quality.POOR
    assert worst() is Quality.OK
    assert worst(Quality.UNREADABLE, Quality.ILLEGIBLE) is Quality.UNREADABLE


@pytest.mark.parametrize(
    ("changes", "grade"),
    [
        ({}, Quality.OK),
        ({"mean_conf": 70}, Quality.POOR),
        ({"dict_ratio": 0.6}, Quality.POOR),
        ({"mean_conf": 40}, Quality.ILLEGIBLE),
        ({"dict_ratio": 0.3}, Quality.ILLEGIBLE),
        ({"plausible_words": 5}, Quality.ILLEGIBLE),
        ({"words": 0, "plausible_words": 0}, Quality.ILLEGIBLE),
    ],
)
def test_ocr_page_grades(changes, grade):
    assert grade_ocr_page({**CLEAN, **changes}, S)[0] is grade


@pytest.mark.parametrize(("dpi_x", "dpi_y"), [(204, 98), (204, 196), (200, 200), (300, 150)])
def test_every_fax_page_grades_fax_or_worse(dpi_x, dpi_y):
    fax = {**CLEAN, "bit_depth": 1, "dpi_x": dpi_x, "dpi_y": dpi_y}
    grade, reason = grade_ocr_page(fax, S)
    assert grade is Quality.FAX
    assert reason.startswith(f"1-bit {dpi_x}x{dpi_y} dpi page")
    assert grade_ocr_page({**fax, "mean_conf": 60}, S)[0] is Quality.FAX  # legible fax
    assert grade_ocr_page({**fax, "mean_conf": 30}, S)[0] is Quality.ILLEGIBLE


def test_bilevel_scans_at_office_resolution_are_not_faxes():
    assert fax_reason({"bit_depth": 1, "dpi_x": 300, "dpi_y": 300}, S) is None
    assert fax_reason({"bit_depth": 8, "dpi_x": 204, "dpi_y": 98}, S) is None


def test_fax_without_resolution_is_known_by_its_line_length():
    assert fax_reason({"bit_depth": 1, "raw_width_px": 1728}, S) is not None
    assert fax_reason({"bit_depth": 1, "raw_width_px": 2480}, S) is None


@pytest.mark.parametrize(
    ("changes", "grade", "why"),
    [
        ({"sharpness": 3.0}, Quality.POOR, "blurred"),
        ({"sharpness": 20.0}, Quality.OK, "confidence"),
        ({"glyph_px": 9.0}, Quality.POOR, "small print"),
        ({"glyph_px": 12.0}, Quality.OK, "confidence"),
        ({"glyph_px": 0.0}, Quality.OK, "confidence"),  # not measured
        ({"sharpness": 3.0, "mean_conf": 40}, Quality.ILLEGIBLE, "confidence"),
    ],
)
def test_blurred_or_small_print_is_at_best_poor(changes, grade, why):
    found, reason = grade_ocr_page({**CLEAN, **changes}, S)
    assert found is grade and why in reason


def test_a_blurred_fax_is_still_a_fax():
    assert grade_ocr_page({**CLEAN, "bit_depth": 1, "dpi_x": 204, "dpi_y": 98, "sharpness": 2.0}, S)[0] is Quality.FAX


def test_thresholds_are_settings():
    strict = OcrSettings(ok_min_confidence=95)
    assert grade_ocr_page(CLEAN, strict)[0] is Quality.POOR


@pytest.mark.parametrize(
    "token", ["Rechnung", "GmbH", "11LN0004GE", "RE-2025-0815", "01.07.2025", "1.299,00", "S/N",
              "info@musterhaus-it.de", "ThinkSmart", "Facturé", "A"])
def test_plausible_tokens(token):
    assert is_plausible(token)


@pytest.mark.parametrize("token", ["~~", "ll|", "=—", "eeee", "xqzt", "a1b", "—"])
def test_noise_tokens(token):
    assert not is_plausible(token)
