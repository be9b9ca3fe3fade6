"""Perceptual prints of device photos: copies of one photo compare close, other photos far."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
import pytest

from claims.evidence import photo_facts
from claims.photos import PhotoOfLine, find_reused_photos, photo_seen
from claims.programme import load_programme
from fixtures.device_photos import PhotoSpec, device_photo_jpeg, photo_copy
from ocr.device_label import read_device_label
from ocr.photo_print import CENTRE_SHARES, centre_prints, perceptual_print, print_distance, turned_prints

THRESHOLDS = load_programme().thresholds
ORIGINAL = PhotoSpec("Logitech", "Rally Bar", "2215LZ0A1B2C", style="table", codes="code128")
OTHER = PhotoSpec("Logitech", "Rally Bar", "2231LZ0F9E8D", style="table", codes="code128")


def test_print_distance_counts_bits_and_takes_the_closest_turn():
    assert print_distance("0000000000000000", "000000000000000f") == 4
    assert print_distance("ffffffffffffffff" + "0000000000000001", "0000000000000000") == 1
    gradient = np.tile(np.arange(256, dtype=np.uint8), (200, 1))
    turned = np.ascontiguousarray(np.rot90(gradient))
    assert print_distance(turned_prints(gradient), perceptual_print(turned)) == 0


@pytest.fixture(scope="module")
def readings():
    jpeg = device_photo_jpeg(ORIGINAL, 11)
    photos = {"original": jpeg, "cropped": photo_copy(jpeg, "cropped"), "turned": photo_copy(jpeg, "turned"),
              "other": device_photo_jpeg(OTHER, 12)}
    return {name: photo_facts(f"{name}.jpg", "device_photo", 0, name, read_device_label(data))
            for name, data in photos.items()}


@pytest.mark.parametrize("copy", ["cropped", "turned"])
def test_a_copy_of_a_photo_is_found_as_reused(readings, copy):
    earlier = [photo_seen("TI25-DE-000001", readings["original"], 0)]
    [reason] = find_reused_photos([PhotoOfLine(0, readings[copy])], earlier, THRESHOLDS)
    assert reason.code == "DUPLICATE_PHOTO" and "TI25-DE-000001" in reason.detail


def test_another_device_photographed_alike_is_not_reused(readings):
    earlier = [photo_seen("TI25-DE-000001", readings["original"], 0)]
    assert list(find_reused_photos([PhotoOfLine(0, readings["other"])], earlier, THRESHOLDS)) == []


def test_a_cropped_copy_is_found_by_the_centre_of_the_photo_without_its_label(readings):
    """The label reader may outline the label of a crop differently: the photo's centre
    still recognises the copy, whichever of the two was submitted first."""
    def without_label_print(facts):
        return replace(facts, label=replace(facts.label, prints=replace(facts.label.prints, label=None)))

    original, cropped = (without_label_print(readings[name]) for name in ("original", "cropped"))
    for first, then in ((original, cropped), (cropped, original)):
        [reason] = find_reused_photos([PhotoOfLine(0, then)], [photo_seen("TI25-DE-000001", first, 0)], THRESHOLDS)
        assert "centre" in reason.detail and "/256 bits" in reason.detail


def test_centre_prints_cover_each_share_turned_four_ways():
    rng = np.random.default_rng(3)
    gray = cv2.resize(rng.integers(0, 255, (12, 16), dtype=np.uint8), (800, 600), interpolation=cv2.INTER_CUBIC)
    prints = centre_prints(gray)
    assert len(prints) == 16 * 4 * len(CENTRE_SHARES)
    h, w = gray.shape
    crop = gray[round(h * 0.075):h - round(h * 0.075), round(w * 0.075):w - round(w * 0.075)]
    assert print_distance(turned_prints(crop), prints) == 0
    assert print_distance(turned_prints(crop), turned_prints(gray)) > THRESHOLDS.photo_max_distance
