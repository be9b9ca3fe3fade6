"""Reading real documents with the real engines (tesseract, poppler): no mocks."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image

from ocr import OcrSettings, Quality, extract_invoice_fields, read_document
from tests.ocr.helpers import LANGUAGES, docs, field_problems, invoice_spec
from tradein.errors import EngineMissingError

# --------------------------------------------------------------------------- digital PDFs


@pytest.mark.parametrize("layout", [0, 1, 2])
@pytest.mark.parametrize("language", LANGUAGES)
def test_digital_pdf_uses_the_text_layer_and_yields_every_field(store, language, layout):
    spec = invoice_spec(language, layout)
    reading = store.read(f"{language}{layout}.pdf", lambda: docs.invoice_pdf(spec), (language,))
    assert reading.media_type == "application/pdf"
    assert [p.source for p in reading.pages] == ["text_layer"]
    assert reading.quality is Quality.OK
    assert reading.ocr_confidence == 100.0
    fields = extract_invoice_fields(reading, [language])
    assert field_problems(fields, spec, exact=True) == []
    assert fields.number.confidence == 100.0


# --------------------------------------------------------------------------- OCR'd documents

OCR_CASES = [  # (kind, language, layout, seed)
    ("scan", "de", 1, 1),
    ("scan", "fr", 0, 0),
    ("photo", "de", 1, 1),  # odd seed: pixels stored sideways, EXIF Orientation 6
    ("photo", "fr", 0, 0),
]


def _make(kind: str, spec, seed: int):
    if kind == "scan":
        return lambda: docs.scanned_pdf(spec, seed)
    return lambda: docs.phone_photo_jpeg(spec, seed)


@pytest.mark.parametrize(("kind", "language", "layout", "seed"), OCR_CASES)
def test_scans_and_photos_are_ocrd_ok_and_yield_every_field(store, kind, language, layout, seed):
    spec = invoice_spec(language, layout)
    name = f"{kind}-{language}{layout}-{seed}"
    reading = store.read(name, _make(kind, spec, seed), (language,))
    assert [p.source for p in reading.pages] == ["ocr"]
    assert reading.quality is Quality.OK, reading.reason
    assert 75 <= reading.ocr_confidence < 100
    fields = extract_invoice_fields(reading, [language])
    assert field_problems(fields, spec, exact=False) == []
    assert 0 < fields.number.confidence <= 100


@pytest.mark.parametrize(("language", "layout", "seed", "fine"),
                         [("de", 0, 0, False), ("fr", 1, 1, True)])
def test_fax_pages_grade_fax_and_say_why(store, language, layout, seed, fine):
    spec = invoice_spec(language, layout)
    name = f"fax-{language}{layout}-{seed}-{fine}.tif"
    reading = store.read(name, lambda: docs.fax_tiff(spec, seed, fine=fine), (language,))
    assert reading.media_type == "image/tiff"
    assert reading.quality is Quality.FAX
    assert reading.reason.startswith(f"1-bit 204x{196 if fine else 98} dpi page")
    page = reading.pages[0]
    assert page.metric("bit_depth") == 1 and page.metric("dpi_y") == (196 if fine else 98)
    fields = extract_invoice_fields(reading, [language])
    assert fields.date is not None and fields.date.value == spec.date.isoformat()


def test_fax_sent_as_pdf_grades_fax(store):
    spec = invoice_spec("de", 2)

    def fax_pdf() -> bytes:
        fax = Image.open(io.BytesIO(docs.fax_tiff(spec, 3, fine=True)))
        buf = io.BytesIO()
        fax.save(buf, "PDF", resolution=204)  # a fax-to-mail gateway: 1-bit CCITT image
        return buf.getvalue()

    reading = store.read("fax.pdf", fax_pdf, ("de",))
    assert reading.media_type == "application/pdf"
    assert [p.source for p in reading.pages] == ["ocr"]
    assert reading.quality is Quality.FAX
    assert reading.pages[0].metric("pdf_image_bits") == 1


def test_illegible_picture_grades_illegible(store):
    spec = invoice_spec("de")
    reading = store.read("illegible.jpg", lambda: docs.illegible_jpeg(spec, 1), ("de",))
    assert reading.quality is Quality.ILLEGIBLE
    assert reading.ocr_confidence is None or reading.ocr_confidence < 50


def test_page_turned_sideways_is_read_upright(store):
    spec = invoice_spec("en", 0)

    def sideways() -> bytes:
        buf = io.BytesIO()
        docs.invoice_page_image(spec, 200).rotate(90, expand=True).save(buf, "PNG")
        return buf.getvalue()

    reading = store.read("sideways.png", sideways, ("en",))
    assert reading.quality is Quality.OK, reading.reason
    assert reading.pages[0].metric("turned_deg") in (90.0, 270.0)
    fields = extract_invoice_fields(reading, ["en"])
    assert fields.number is not None and fields.number.value == spec.number


def test_multipage_tiff_reads_every_page_and_tolerates_a_blank_back(store):
    spec = invoice_spec("nl", 2)

    def two_pages() -> bytes:
        front = docs.invoice_page_image(spec, 200)
        back = Image.new("L", front.size, 250)
        buf = io.BytesIO()
        front.save(buf, "TIFF", save_all=True, append_images=[back], dpi=(200, 200))
        return buf.getvalue()

    reading = store.read("two-pages.tif", two_pages, ("nl",))
    assert len(reading.pages) == 2
    assert reading.pages[1].reason == "blank page"
    assert reading.quality is Quality.OK
    assert "\f" in reading.text
    assert extract_invoice_fields(reading).number.value == spec.number


# --------------------------------------------------------------------------- bad files


def _encrypted_pdf() -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    c.drawString(100, 700, "Rechnung RE-2025-0815")
    c.showPage()
    c.save()
    return buf.getvalue()


BAD_FILES = {
    "empty.pdf": lambda: b"",
    "truncated.pdf": lambda: docs.invoice_pdf(invoice_spec("de"))[:1500],
    "random.bin": lambda: bytes(range(256)) * 40,
    "encrypted.pdf": _encrypted_pdf,
    "truncated.jpg": lambda: docs.illegible_jpeg(invoice_spec("de"), 1)[:3000],
    "notes.txt": lambda: b"Rechnung RE-2025-0815\n",
    "image.gif": lambda: b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_grade_unreadable_without_raising(store, name):
    path = store.file(name, BAD_FILES[name])
    reading = read_document(path, ["de"])
    assert reading.quality is Quality.UNREADABLE
    assert reading.pages == () and reading.ocr_confidence is None
    assert reading.reason


def test_oversized_file_is_unreadable(store):
    spec = invoice_spec("de")
    path = store.file("de0.pdf", lambda: docs.invoice_pdf(spec))
    reading = read_document(path, ["de"], OcrSettings(max_file_bytes=1000))
    assert reading.quality is Quality.UNREADABLE
    assert "limit" in reading.reason


def test_files_are_typed_by_content_not_extension(store):
    spec = invoice_spec("fr")
    path = store.file("facture.jpg", lambda: docs.invoice_pdf(spec))  # a PDF named .jpg
    reading = read_document(path, ["fr"])
    assert reading.media_type == "application/pdf"
    assert reading.quality is Quality.OK


def test_a_page_tesseract_gives_up_on_grades_illegible(store):
    spec = invoice_spec("de")

    def png() -> bytes:
        buf = io.BytesIO()
        docs.invoice_page_image(spec, 150).save(buf, "PNG")
        return buf.getvalue()

    path = store.file("timeout.png", png)
    reading = read_document(path, ["de"], OcrSettings(page_timeout_s=0.01))
    assert reading.quality is Quality.ILLEGIBLE
    assert "gave up" in reading.reason


# --------------------------------------------------------------------------- missing engines


def test_missing_tesseract_is_an_engine_missing_error(store):
    spec = invoice_spec("de")
    path = store.file("de0.pdf", lambda: docs.invoice_pdf(spec))
    settings = OcrSettings(tessdata_dir="/nonexistent/tessdata")
    with pytest.raises(EngineMissingError, match="tesseract"):
        read_document(path, ["de"], settings)


def test_missing_poppler_is_an_engine_missing_error(store):
    spec = invoice_spec("de")
    path = store.file("de0.pdf", lambda: docs.invoice_pdf(spec))
    with pytest.raises(EngineMissingError, match="poppler"):
        read_document(path, ["de"], replace(OcrSettings(), poppler_path="/nonexistent"))
