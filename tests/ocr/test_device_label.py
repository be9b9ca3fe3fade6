"""Reading device labels: codes, text, fusion, comparison with the declared serial.

Photos come from :mod:`fixtures.device_photos` (generated once per session); each is read
once and shared by the tests that look at it.
"""

from __future__ import annotations

import io
import json
from functools import cache

import pytest
from PIL import Image, ImageDraw, ImageFont

from fixtures._invoice_pdf import font_path
from fixtures.device_photos import PhotoSpec, device_photo_jpeg, label_cases
from ocr import device_label
from ocr.barcodes import serial_in_payload
from ocr.device_label import (
    LabelReading,
    LabelSettings,
    SerialEvidence,
    read_device_label,
    serial_matches,
)
from ocr.serial_glyphs import check_serial
from ocr.types import OcrSettings
from tests.ocr.helpers import printed_line
from tradein.errors import EngineMissingError

SPECS = {
    "stacked-both": PhotoSpec("Logitech", "Rally Bar", "2215LZ7A1B2C", "stacked", "both", "en"),
    "yealink-code128": PhotoSpec("Yealink", "MeetingBar A30", "803050C2004417", "yealink", "code128", "de"),
    "cisco-qr": PhotoSpec("Cisco", "Room Kit Mini", "FOC2231N7QK", "cisco", "qr", "en"),
    "table-code128": PhotoSpec("Poly", "Studio X30", "8L2231A4F3D7", "table", "code128", "fr"),
    "text-only": PhotoSpec("Jabra", "PanaCast 50", "A24948F3YDZ", "stacked", "none", "it"),
    "text-only-rating": PhotoSpec("Crestron", "Flex R30", "2140NEJ31234", "rating", "none", "de"),
    "rot90": PhotoSpec("Logitech", "MeetUp", "1951LZ03C8A2", "stacked", "code128", "es", ("rot90",)),
    "rot180-text": PhotoSpec("Huddly", "Huddly IQ", "A2843VLKLA2", "yealink", "none", "fr", ("rot180",)),
    "glare-perspective": PhotoSpec("Poly", "Studio USB", "8L2012D05A66", "stacked", "both", "nl",
                                   ("glare", "perspective")),
    "inverse": PhotoSpec("Lenovo", "ThinkSmart Hub", "PF3KQ7RM", "inverse", "both", "en"),
    "no-label": PhotoSpec("Neat", "Neat Bar", "NB2214000123", label=False),
}


@pytest.fixture(scope="session")
def photos(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("device-photos")

    @cache
    def read(name: str) -> LabelReading:
        path = root / f"{name}.jpg"
        path.write_bytes(device_photo_jpeg(SPECS[name], seed=7))
        return read_device_label(path)

    return read


def _is(evidence: SerialEvidence | None, value: str) -> bool:
    return evidence is not None and evidence.value == value


# --------------------------------------------------------------------------- fixtures


def test_photos_are_deterministic():
    spec = SPECS["stacked-both"]
    assert device_photo_jpeg(spec, 3) == device_photo_jpeg(spec, 3)
    assert device_photo_jpeg(spec, 3) != device_photo_jpeg(spec, 4)


def test_label_cases_cover_styles_codes_effects_and_wrong_devices():
    cases = label_cases(120)
    assert {c.spec.style for c in cases} >= {"stacked", "table", "cisco", "yealink", "rating", "inverse"}
    assert {c.spec.codes for c in cases} == {"both", "code128", "qr", "none"}
    assert {e for c in cases for e in c.spec.effects} >= {"glare", "blur", "perspective", "small", "rot90",
                                                          "rot180"}
    wrong = [c for c in cases if c.kind == "wrong_device"]
    assert wrong and all(c.declared != c.printed for c in wrong)
    assert [c for c in cases if c.kind == "no_label" and c.printed is None]


# --------------------------------------------------------------------------- reading


def test_barcode_and_qr_agreeing_with_the_text_come_first(photos):
    reading = photos("stacked-both")
    best = reading.best
    assert _is(best, "2215LZ7A1B2C")
    assert best.source in ("barcode", "qr") and best.confidence == 100 and not best.doubtful
    assert "Code128 barcode" in best.detail and "QR code" in best.detail
    assert reading.quality == "ok"
    assert reading.brand == "Logitech"
    assert reading.model == "Rally Bar"


def test_a_mac_address_barcode_is_not_the_serial(photos):
    reading = photos("yealink-code128")
    assert _is(reading.best, "803050C2004417") and not reading.best.doubtful
    assert all(not s.value.startswith("805EC0") for s in reading.serials)
    assert any("MAC address" in f for f in reading.findings)


def test_qr_code_with_fields(photos):
    reading = photos("cisco-qr")
    assert _is(reading.best, "FOC2231N7QK")
    assert reading.best.source == "qr" and "field 'SN'" in reading.best.detail


def test_a_part_number_barcode_is_not_the_serial(photos):
    reading = photos("table-code128")
    assert _is(reading.best, "8L2231A4F3D7") and not reading.best.doubtful


@pytest.mark.parametrize("name, serial", [("text-only", "A24948F3YDZ"), ("text-only-rating", "2140NEJ31234")])
def test_text_only_labels(photos, name, serial):
    reading = photos(name)
    assert _is(reading.best, serial)
    assert reading.best.source == "text"
    assert "text after" in reading.best.detail and 0 < reading.best.confidence <= 100


def test_turned_photos(photos):
    assert _is(photos("rot90").best, "1951LZ03C8A2")
    assert _is(photos("rot180-text").best, "A2843VLKLA2")


def test_glare_and_perspective(photos):
    assert _is(photos("glare-perspective").best, "8L2012D05A66")


def test_black_label_with_white_print(photos):
    assert _is(photos("inverse").best, "PF3KQ7RM")


def test_a_photo_without_a_label_reads_no_serial(photos):
    reading = photos("no-label")
    assert reading.best is None
    assert reading.quality in ("illegible", "poor")
    assert "no serial found on the label" in reading.findings


@pytest.mark.parametrize("content", [b"", b"not an image at all", b"\xff\xd8\xff\xe0" + b"\x00" * 64])
def test_a_bad_file_is_unreadable_not_an_error(tmp_path, content):
    path = tmp_path / "photo.jpg"
    path.write_bytes(content)
    reading = read_device_label(path)
    assert reading.quality == "unreadable" and reading.serials == () and reading.findings


def test_a_missing_file_is_unreadable(tmp_path):
    assert read_device_label(tmp_path / "nowhere.jpg").quality == "unreadable"


def test_bytes_are_read_like_files():
    data = device_photo_jpeg(SPECS["cisco-qr"], seed=7)
    assert _is(read_device_label(data).best, "FOC2231N7QK")


def test_missing_tesseract_is_an_engine_error(tmp_path):
    settings = LabelSettings(ocr=OcrSettings(tessdata_dir=str(tmp_path / "no-tessdata")))
    with pytest.raises(EngineMissingError):
        read_device_label(b"whatever", settings)


# --------------------------------------------------------------------------- comparison


def _ev(value: str, source: str, doubtful: bool = False, confidence: float = 100.0) -> SerialEvidence:
    return SerialEvidence(value, source, confidence, "test", doubtful)


def test_barcodes_compare_exactly():
    assert serial_matches("pf3a-bcde", _ev("PF3ABCDE", "barcode"))[0]
    match, why = serial_matches("PF3ABCDE", _ev("PF3A8CDE", "barcode"))
    assert not match and "PF3A8CDE" in why and "PF3ABCDE" in why


def test_doubtful_text_tolerates_ocr_confusions_only():
    match, why = serial_matches("PF3OB1S2", _ev("PF30B15Z", "text", doubtful=True, confidence=62))
    assert match and "OCR confusion" in why
    assert not serial_matches("PF3OB1S2", _ev("PF3OB1S7", "text", doubtful=True, confidence=62))[0]


def test_confident_text_compares_exactly():
    assert not serial_matches("PF3OB1S2", _ev("PF30B1S2", "text", doubtful=False, confidence=95))[0]


def test_the_wrong_device_does_not_match():
    case = next(c for c in label_cases(24) if c.kind == "wrong_device")
    reading = read_device_label(case.jpeg())
    assert reading.best is not None
    match, why = serial_matches(case.declared, reading.best)
    assert not match and case.declared in why


# --------------------------------------------------------------------------- parts


@pytest.mark.parametrize("payload, serial, explicit", [
    ("FOC2231N7QK", "FOC2231N7QK", False),
    ("SN:FOC2231N7QK;PN:123-456", "FOC2231N7QK", True),
    ("PID:CS-KIT-K9;SN:FOC2231N7QK;VID:V02", "FOC2231N7QK", True),
    ("https://support.example/r?pn=1&sn=FOC2231N7QK", "FOC2231N7QK", True),
    ("(01)09501101530003(21)ABC123", "ABC123", True),
    (json.dumps({"model": "X", "serial": "ABC123"}), "ABC123", True),
    ("S/N: ABC12345", "ABC12345", True),
])
def test_serial_in_payload(payload, serial, explicit):
    found = serial_in_payload(payload)
    assert (found.serial, found.explicit) == (serial, explicit)


@pytest.mark.parametrize("payload", ["MAC:805EC0112233;PN:123", "hello world, how are you", "https://x.example/"])
def test_payloads_without_a_serial(payload):
    assert serial_in_payload(payload).serial is None


def test_glyphs_tell_the_letter_o_from_the_zero():
    image = printed_line("PF3O0B27")
    settled = check_serial("PF300B27", image)  # tesseract's habit: the letter read as a zero
    assert settled.value == "PF3O0B27" and not settled.doubtful
    assert check_serial("PF3OOB27", image).value == "PF3O0B27"


def test_glyphs_catch_a_nine_read_as_s():
    settled = check_serial("A2S48", printed_line("A2948"))
    assert settled.value == "A2948"


def test_a_dotted_zero_is_a_zero_and_a_plain_o_in_a_monospaced_font_stays_in_doubt():
    assert check_serial("AB0CD4", printed_line("AB0CD4", "FxMono")).value == "AB0CD4"
    assert check_serial("ABOCD4", printed_line("ABOCD4", "FxMono")).doubtful


def test_a_glyph_count_that_does_not_fit_is_doubt():
    assert check_serial("PF3ABCDEX", printed_line("PF3ABCDE")).doubtful


@pytest.mark.parametrize(("printed", "read"), [("PFI59GVM", "PFIS9GVM"), ("8L5RBBHK", "8LSRBBHK"),
                                               ("X1JI6174", "X1J16174"), ("NB1487V8", "NB14B7V8")])
def test_a_look_alike_read_alone_rights_the_line_reading_in_doubt(printed, read):
    alone = {"read_alone": device_label.glyph_reader("eng", LabelSettings())}
    image = printed_line(printed, "FxSans", 28)
    righted = check_serial(read, image, **alone)
    assert righted.value == printed and righted.doubtful
    assert check_serial(printed, image, **alone).value == printed  # a right reading stays


def _printed_label(lines: list[str]) -> bytes:
    face = ImageFont.truetype(font_path("FxSans"), 30)
    image = Image.new("L", (900, 90 + 60 * len(lines)), 200)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 30, 860, 50 + 60 * len(lines)), fill=250)
    for i, text in enumerate(lines):
        draw.text((70, 50 + 60 * i), text, font=face, fill=20)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_a_serial_whose_label_was_not_read_is_found_by_its_shape_in_doubt():
    reading = read_device_label(_printed_label(
        ["Poly Studio X30", "Part No. 542-536381", "8L89SXLR1JM0", "MAC: 805EC0141ED3", "Made in China"]))
    assert reading.best is not None and reading.best.value == "8L89SXLR1JM0"
    assert reading.best.doubtful and "shaped like a serial" in reading.best.detail
    bare = read_device_label(_printed_label(["Poly Studio X30", "MAC: 805EC0141ED3", "Made in China"]))
    assert bare.best is None  # a MAC address is no serial


def test_a_label_read_upside_down_into_a_few_confident_scraps_is_turned_over():
    # read as it lies, this label gives a few confident scraps and a ':N/S' that passes for
    # 'S/N': not enough words to take that turn without trying the others
    spec = PhotoSpec("Huddly", "Huddly L1", "A537YECJJYI", "rating", "none", "fr", ("rot180",))
    reading = read_device_label(device_photo_jpeg(spec, 10190))
    assert reading.best is not None and reading.best.value == "A537YECJJYI"


def test_a_d_read_as_a_wide_round_glyph_is_never_a_sure_letter_o():
    # small print in perspective: the D reads '0', and its width alone would make it an O
    spec = PhotoSpec("Jabra", "Speak 750", "FBD41D244MRY", "table", "none", "de", ("small", "perspective"))
    best = read_device_label(device_photo_jpeg(spec, 9163)).best
    assert best is not None and (best.value == "FBD41D244MRY" or best.doubtful)
