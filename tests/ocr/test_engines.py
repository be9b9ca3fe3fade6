"""The engine seams: tesseract TSV parsing, languages, poppler, preprocessing steps."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr import OcrSettings, preprocess, tesseract
from ocr.media import sniff_media_type
from tradein.errors import EngineMissingError

TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n"
    "5\t1\t1\t1\t1\t1\t236\t212\t300\t60\t96.5\tMusterhaus\n"
    "5\t1\t1\t1\t1\t2\t560\t212\t40\t60\t95\tIT\n"
    "5\t1\t1\t1\t2\t1\t236\t300\t100\t40\t80\tHaupt\n"
    "5\t1\t2\t1\t1\t1\t236\t400\t100\t40\t-1\t \n"
    "5\t1\t2\t1\t1\t2\t236\t400\t100\t40\t12\tx\n"
)


def test_tsv_words_keep_confidence_box_and_line():
    words = tesseract.parse_tsv(TSV)
    assert [(w.text, w.line) for w in words] == [("Musterhaus", 0), ("IT", 0), ("Haupt", 1),
                                                 ("x", 2)]
    assert words[0].confidence == 96.5 and (words[0].left, words[0].width) == (236, 300)


def test_languages_always_add_english_and_map_iso_codes():
    lang, missing = tesseract.resolve_languages(["de", "fra", "xx"], OcrSettings())
    assert lang == "deu+fra+eng"
    assert missing == ("xx",)


def test_missing_tesseract_data_is_an_engine_missing_error():
    with pytest.raises(EngineMissingError):
        tesseract.resolve_languages(["de"], OcrSettings(tessdata_dir="/nonexistent/tessdata"))


def _text_image(angle: float = 0.0) -> Image.Image:
    im = Image.new("L", (1200, 900), 255)
    draw = ImageDraw.Draw(im)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 28)
    for row in range(14):
        draw.text((80, 60 + row * 55), "Rechnungsnummer RE-2025-0815 Datum 01.07.2025", 0,
                  font=font)
    return im.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)


@pytest.mark.parametrize("angle", [-1.5, 0.0, 0.8, 3.0])
def test_skew_is_measured_to_a_tenth_of_a_degree(angle):
    found = preprocess.skew_angle(np.asarray(_text_image(angle)), 5.0)
    assert found == pytest.approx(-angle, abs=0.15)


def test_anisotropic_fax_becomes_square_pixels():
    fax = Image.new("1", (1728, 1145), 1)
    out = preprocess.bilevel_to_gray(fax, 204, 98, 300)
    assert out.mode == "L"
    assert out.size == (round(1728 * 300 / 204), round(1145 * 300 / 204 * 204 / 98))


def test_despeckle_removes_specks_not_print():
    gray = np.full((50, 50), 255, np.uint8)
    gray[10, 10] = 0  # a speck
    gray[20:30, 20:23] = 0  # a stroke
    out = preprocess.despeckle(gray)
    assert out[10, 10] == 255 and (out[20:30, 20:23] == 0).all()


def test_media_type_comes_from_magic_bytes(tmp_path):
    cases = {"a.jpg": b"%PDF-1.7\n", "b.pdf": b"\xff\xd8\xff\xe0", "c": b"\x89PNG\r\n\x1a\n",
             "d.tif": b"II*\x00", "e.tif": b"MM\x00*", "f.pdf": b"hello", "g": b""}
    expected = ["application/pdf", "image/jpeg", "image/png", "image/tiff", "image/tiff",
                "unknown", "unknown"]
    for (name, head), media_type in zip(cases.items(), expected, strict=True):
        (tmp_path / name).write_bytes(head)
        assert sniff_media_type(tmp_path / name) == media_type, name
    assert sniff_media_type(tmp_path / "missing") == "unknown"
