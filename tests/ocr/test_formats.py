"""Every form partners send, read page by page: PNG and turned photos, blurred and low-resolution
pictures, multi-page G3 faxes; the page-level API gives what read_document gives."""

from __future__ import annotations

import pytest

from ocr import OcrSettings, Quality
from ocr.document import assemble, plan_document, read_document, read_page
from tests.ocr.helpers import docs, invoice_spec


def _codes(spec) -> list[str]:
    return [spec.number, *(line.part_number for line in spec.lines)]


def test_png_photo_is_read_ok_with_its_codes(store):
    spec = invoice_spec("nl", 1)
    reading = store.read("photo.png", lambda: docs.phone_photo_png(spec, 4), ("nl",))
    assert reading.media_type == "image/png"
    assert reading.quality is Quality.OK, reading.reason
    assert all(code in reading.text for code in _codes(spec))


def test_photo_stored_upside_down_without_exif_is_turned_and_read(store):
    spec = invoice_spec("de", 0)
    reading = store.read("upside-down.jpg", lambda: docs.turned_photo_jpeg(spec, 2, 2), ("de",))
    assert reading.quality is Quality.OK, reading.reason
    assert reading.pages[0].metric("turned_deg") == 180.0
    assert spec.number in reading.text


@pytest.mark.parametrize("quarter_turns", [1, 3])
def test_photo_stored_sideways_is_turned_before_it_is_read(store, quarter_turns):
    spec = invoice_spec("fr", 1)
    name = f"sideways-{quarter_turns}.jpg"
    reading = store.read(name, lambda: docs.turned_photo_jpeg(spec, 3, quarter_turns), ("fr",))
    assert reading.quality is Quality.OK, reading.reason
    assert reading.pages[0].metric("turned_deg") in (90.0, 270.0)
    assert spec.number in reading.text


def test_line_structure_tells_a_sideways_page_from_an_upright_one(tmp_path):
    import numpy as np

    from ocr.images import open_page
    from ocr.preprocess import line_structure, looks_quarter_turned, prepare

    settings = OcrSettings()
    photo = tmp_path / "photo.png"
    photo.write_bytes(docs.phone_photo_png(invoice_spec("de", 0), 1))
    upright = np.asarray(prepare(open_page(photo, 0, settings), settings).image)  # the sheet, cropped
    sideways = np.ascontiguousarray(np.rot90(upright))
    across_rows, across_cols = line_structure(upright)
    assert across_rows > 2 * across_cols
    assert not looks_quarter_turned(upright, settings) and looks_quarter_turned(sideways, settings)
    assert not looks_quarter_turned(np.full((400, 300), 255, np.uint8), settings)


def test_blurred_photo_grades_poor_and_says_why(store):
    spec = invoice_spec("fr", 0)
    reading = store.read("blurred.jpg", lambda: docs.blurred_photo_jpeg(spec, 1, sigma=2.0), ("fr",))
    assert reading.quality is Quality.POOR
    assert "blurred" in reading.reason
    assert reading.pages[0].metric("sharpness") < OcrSettings().poor_max_sharpness


def test_low_resolution_picture_grades_poor_and_says_why(store):
    spec = invoice_spec("it", 0)
    reading = store.read("low-res.jpg", lambda: docs.low_resolution_jpeg(spec, 1, dpi=100), ("it",))
    assert reading.quality is Quality.POOR
    assert "small print" in reading.reason
    assert reading.pages[0].metric("dpi_x") == 100


def _three_page_fax():
    specs = (invoice_spec("de", 0), invoice_spec("fr", 1), invoice_spec("en", 2))
    return specs, lambda: docs.fax_multipage_tiff(specs, 5, fine=False, compression="group3")


def test_multipage_g3_fax_reads_every_page_as_fax(store):
    specs, make = _three_page_fax()
    reading = store.read("fax-g3.tif", make, ("de", "fr"))
    assert [p.index for p in reading.pages] == [0, 1, 2]
    assert {p.quality for p in reading.pages} == {Quality.FAX} and reading.quality is Quality.FAX
    assert all(p.metric("dpi_y") == 98 for p in reading.pages)
    assert reading.text.count("\f") == 2


def test_pages_read_one_by_one_assemble_into_the_same_reading(store):
    specs, make = _three_page_fax()
    whole = store.read("fax-g3.tif", make, ("de", "fr"))
    plan = plan_document(store.file("fax-g3.tif", make), ["de", "fr"])
    assert plan.parallel and [j.index for j in plan.jobs] == [0, 1, 2] and plan.lang == "deu+fra+eng"
    pages = [read_page(plan, job) for job in reversed(plan.jobs)]  # any order, e.g. from parallel tasks
    assert assemble(plan, pages) == whole


def test_single_page_and_text_layer_documents_need_no_fan_out(store):
    pdf = store.file("de0.pdf", lambda: docs.invoice_pdf(invoice_spec("de")))
    plan = plan_document(pdf, ["de"])
    assert not plan.parallel and plan.jobs == () and len(plan.read) == 1


def test_a_page_beyond_max_pages_is_noted(store):
    specs, make = _three_page_fax()
    reading = read_document(store.file("fax-g3.tif", make), ["de"], OcrSettings(max_pages=1))
    assert len(reading.pages) == 1
    assert "only the first 1 of 3 pages were read" in reading.reason


@pytest.mark.parametrize("make", [
    lambda s: docs.phone_photo_png(s, 3),
    lambda s: docs.blurred_photo_jpeg(s, 3),
    lambda s: docs.low_resolution_jpeg(s, 3),
    lambda s: docs.fax_multipage_tiff((s, s), 3),
    lambda s: docs.scanned_tiff((s,), 3),
])
def test_new_generators_are_deterministic(make):
    spec = invoice_spec("es", 2)
    assert make(spec) == make(spec)
