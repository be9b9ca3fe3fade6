"""Golden invoices (fixtures.invoice_truth): rendered, read by the real engines, measured.

The measurement runs once per module on every digital golden invoice and on one scan or
phone photo per language (about 15 s on two cores); the full set is measured by
``python -m fixtures.invoice_truth``.
"""

from __future__ import annotations

import itertools

import pytest

from fixtures import invoice_truth as golden
from fixtures._golden_data import ACCESSORIES

# One OCR'd invoice per language, kinds and layouts alternating.
OCR_SUBSET = frozenset(
    (lang, i % 3, ("scan", "phone")[i % 2]) for i, lang in enumerate(golden.LANGUAGES))


@pytest.fixture(scope="module")
def report() -> golden.ExtractionReport:
    """Extraction measured on the digital golden invoices and the OCR'd subset."""
    cases = [*golden.golden_cases(kinds=("digital",)),
             *(c for c in golden.golden_cases(kinds=("scan", "phone"))
               if (c.language, c.spec.layout, c.kind) in OCR_SUBSET)]
    return golden.measure_extraction(cases, workers=2)


def test_golden_cases_are_deterministic_and_cover_the_grid():
    cases = golden.golden_cases()
    assert cases == golden.golden_cases()
    grid = set(itertools.product(golden.LANGUAGES, (0, 1, 2), golden.KINDS))
    assert {(c.language, c.spec.layout, c.kind) for c in cases} == grid
    assert len({c.case_id for c in cases}) == len(cases) == 54
    more = golden.golden_cases(variants_per_cell=3)
    lines = [ln for c in more for ln in c.spec.lines]
    assert any(ln.serial and "," in ln.serial for ln in lines)  # several serials on a line
    assert any(ln.serial is None for ln in lines)  # services
    accessories = {part for part, _, _ in ACCESSORIES}
    assert any(ln.serial and ln.part_number in accessories for ln in lines)
    assert any(not ln.serial and ln.part_number in accessories for ln in lines)
    assert {c.date_style for c in more} == {"default", "long", "short", "us", "two_digit_year"}
    assert any(c.truth.buyer_vat is None for c in more)


def test_the_truth_is_what_the_invoice_prints():
    for case in golden.golden_cases(variants_per_cell=2):
        spec, truth = case.spec, case.truth
        assert (truth.number, truth.date, truth.seller, truth.buyer) == (
            spec.number, spec.date.isoformat(), spec.seller_name, spec.buyer_name)
        assert (truth.seller_vat, truth.buyer_vat) == (spec.seller_vat, spec.buyer_vat)
        assert truth.part_numbers == {ln.part_number for ln in spec.lines}
        assert sum(ln.quantity for ln in spec.lines if ln.serial) == len(truth.serials)


def test_golden_documents_are_deterministic():
    case = next(c for c in golden.golden_cases(variants_per_cell=2)
                if c.kind == "digital" and c.date_style != "default")
    assert case.document() == case.document()
    assert case.document().startswith(b"%PDF")


def test_digital_invoices_meet_every_target(report):
    assert report.below_targets().get("digital", {}) == {}
    for field in (*golden.FIELDS, golden.SAFE_SERIALS):
        assert report.accuracy(field, "digital") == 1.0, report.failures()


@pytest.mark.parametrize("kind", ["scan", "phone"])
def test_scans_and_photos_meet_the_header_targets(report, kind):
    for field in ("number", "date", "seller", "seller_vat", "buyer_vat"):
        assert report.accuracy(field, kind) >= golden.TARGETS.get(field, 0.98), (
            field, report.failures())


@pytest.mark.parametrize("kind", ["scan", "phone"])
def test_scanned_and_photographed_serials_are_right_or_flagged(report, kind):
    assert report.accuracy(golden.SAFE_SERIALS, kind) >= golden.TARGETS["serials"], (
        report.failures())


@pytest.mark.parametrize("kind", ["scan", "phone"])
def test_scans_and_photos_meet_the_code_and_buyer_targets(report, kind):
    for field in ("buyer", "part_numbers", "serials"):
        assert report.accuracy(field, kind) >= golden.TARGETS[field], field


def _case(case_id: str) -> golden.GoldenCase:
    language, layout, kind, variant = case_id.split("-")
    return golden.golden_cases(languages=(language,), layouts=(int(layout),), kinds=(kind,),
                               first_variant=int(variant))[0]


@pytest.mark.parametrize(("case_id", "fields"), [
    ("de-2-phone-0", ("serials",)),  # dotted zeros blurred into their rings beside plain O's
    ("fr-0-phone-1", ("buyer", "number", "date")),  # buyer and invoice columns woven together
    ("es-1-scan-1", ("number", "date")),  # 'n.º' read 'n.2'; the date's words in two rows
])
def test_photographed_and_scanned_invoices_that_once_misled_the_reader(case_id, fields):
    result = golden.run_case(_case(case_id))
    assert all(result.correct[f] for f in fields), (result.found, result.expected)
