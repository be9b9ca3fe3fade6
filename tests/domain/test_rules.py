"""Programme rules on synthetic facts: each rule, its code and its default outcome."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from claims.bundle import BankAccount, DeclaredLine, DeclaredProduct, DocumentRef
from claims.facts import CatalogueItem, EarlierClaim, Field, PhotoSeen
from claims.programme import load_programme
from claims.reasons import ClaimStatus, LineStatus, PayoutStatus
from claims.rules import evaluate_claim
from ocr.photo_print import NO_PRINTS, PhotoPrints
from tests.domain.factories import INVOICE_TEXT, PARTNER, bundle, document, facts, invoice, line, photo

PROGRAMME = load_programme()


def codes(decision) -> list[str]:
    return [str(r.code) for r in decision.reasons]


def test_clean_claim_is_approved_with_catalogue_reward():
    decision = evaluate_claim(facts(), PROGRAMME)
    assert decision.status == ClaimStatus.APPROVED, decision.reasons
    assert decision.reasons == ()
    assert str(decision.lines[0].reward) == "250.00"
    assert decision.lines[0].invoice_serial == "PF3ABCDE"
    assert decision.lines[0].replaced_serial_read == "2215LZ0A1B2C"
    assert decision.payout_status == PayoutStatus.AWAITING_DEVICE_RECEIPT
    assert str(decision.reward_total) == "250.00" and decision.currency == "EUR"


@pytest.mark.parametrize("partner", [None, replace(PARTNER, status="suspended")])
def test_p1_partner_not_in_network_rejects(partner):
    decision = evaluate_claim(facts(partner=partner), PROGRAMME)
    assert decision.status == ClaimStatus.REJECTED
    assert "PARTNER_NOT_IN_NETWORK" in codes(decision)
    assert all(ln.status == LineStatus.REJECTED for ln in decision.lines)
    assert decision.payout_status == PayoutStatus.NONE


def test_p2_product_not_in_country_catalogue_rejects_the_line():
    decision = evaluate_claim(facts(bundle=bundle(lines=(line(part="11LN0004GF"),))), PROGRAMME)
    assert decision.status == ClaimStatus.REJECTED
    reason = next(r for r in decision.reasons if r.code == "PRODUCT_NOT_ELIGIBLE")
    assert "11LN0004GE" in reason.detail  # the explanation names the closest candidate


@pytest.mark.parametrize(
    ("date", "confidence", "status"),
    [
        ("2025-04-12", 100.0, ClaimStatus.REJECTED),
        ("2025-10-01", 100.0, ClaimStatus.REJECTED),
        ("2025-04-12", 30.0, ClaimStatus.NEEDS_REVIEW),
    ],
)
def test_p3_sale_window(date, confidence, status):
    decision = evaluate_claim(facts(invoice=invoice(date=Field(date, confidence))), PROGRAMME)
    assert decision.status == status
    assert "SALE_OUTSIDE_PROGRAMME" in codes(decision)


def test_p3_window_edges_are_inside():
    for day in ("2025-05-01", "2025-09-30"):
        assert evaluate_claim(facts(invoice=invoice(date=Field(day, 100.0))), PROGRAMME).status == ClaimStatus.APPROVED


@pytest.mark.parametrize(
    ("submitted", "late"),
    [
        ("2025-10-31T23:59:00+01:00", False),
        ("2025-10-31T23:30:00+00:00", True),  # 00:30 in Berlin on 1 November
        ("2025-11-03T09:00:00+01:00", True),
    ],
)
def test_p4_deadline_end_of_day_berlin(submitted, late):
    decision = evaluate_claim(facts(bundle=bundle(submitted_at=dt.datetime.fromisoformat(submitted))), PROGRAMME)
    assert ("CLAIM_AFTER_DEADLINE" in codes(decision)) is late


def earlier(pairs: int, **changes) -> EarlierClaim:
    base = EarlierClaim(
        claim_ref="TI25-DE-000001",
        submitted_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
        customer=("DE811234567", "stadtwerke beispielstadt"),
        invoice_hashes=frozenset(),
        invoice_key=None,
        invoice_figures=frozenset(),
        serials=frozenset(),
        counted_pairs=pairs,
    )
    return replace(base, **changes)


def test_p5_pair_cap_counts_earlier_claims_of_the_same_customer():
    two_lines = bundle(
        lines=(line(0), line(1, part="12C3000AGE", serial="PF3XYZ12", old_serial="OLD2")),
        documents=(DocumentRef("proof_of_sale", "invoice.pdf", None),),
    )
    docs = (document(), photo("a.jpg", 0), photo("b.jpg", 1, serial="OLD2"))
    decision = evaluate_claim(facts(bundle=two_lines, documents=docs, earlier=(earlier(4),)), PROGRAMME)
    assert [ln.status for ln in decision.lines] == [LineStatus.APPROVED, LineStatus.REJECTED]
    assert decision.status == ClaimStatus.PARTIALLY_APPROVED
    assert "PAIR_LIMIT_EXCEEDED" in codes(decision)
    other = earlier(5, customer=("DE999999999", "someone else"))
    assert (
        evaluate_claim(facts(bundle=two_lines, documents=docs, earlier=(other,)), PROGRAMME).status
        == ClaimStatus.APPROVED
    )


def test_p5_customer_without_vat_matches_on_normalised_name():
    customer = replace(bundle().end_customer, vat_id=None, name="STADTWERKE Beispielstadt G.m.b.H.")
    decision = evaluate_claim(
        facts(bundle=bundle(end_customer=customer), earlier=(earlier(5, customer=(None, "stadtwerke beispielstadt")),)),
        PROGRAMME,
    )
    assert "PAIR_LIMIT_EXCEEDED" in codes(decision)


def test_p6_unpaired_line_is_rejected():
    unpaired = DeclaredLine(1, DeclaredProduct("12C3000AGE", "PF3XYZ12"), None)
    decision = evaluate_claim(facts(bundle=bundle(lines=(line(0), unpaired))), PROGRAMME)
    assert decision.lines[1].status == LineStatus.REJECTED
    assert decision.status == ClaimStatus.PARTIALLY_APPROVED
    assert "UNPAIRED_PRODUCT" in codes(decision)


def test_replaced_device_model_number_must_match():
    decision = evaluate_claim(facts(bundle=bundle(lines=(line(brand="Poly", model="Studio X30"),))), PROGRAMME)
    assert "REPLACED_DEVICE_NOT_ELIGIBLE" in codes(decision)
    assert decision.status == ClaimStatus.REJECTED


def test_p7_distributor_invoice_goes_to_review():
    text = "Ingram Micro GmbH\nRechnung an: Musterhaus IT GmbH\nRechnungsnummer 4711\n11LN0004GE S/N PF3ABCDE"
    inv = invoice(seller=Field("Ingram Micro GmbH", 95), buyer=Field("Musterhaus IT GmbH", 95), text=text)
    decision = evaluate_claim(facts(invoice=inv, documents=(document(text=text),)), PROGRAMME)
    assert decision.status == ClaimStatus.NEEDS_REVIEW
    assert "DISTRIBUTOR_INVOICE" in codes(decision)


def test_p7_buyer_mismatch_goes_to_review():
    text = invoice().text.replace("Stadtwerke Beispielstadt GmbH", "Andere Firma AG")
    inv = invoice(buyer=Field("Andere Firma AG", 95), text=text)
    decision = evaluate_claim(facts(invoice=inv), PROGRAMME)
    assert decision.status == ClaimStatus.NEEDS_REVIEW
    assert codes(decision) == ["BUYER_MISMATCH"]


def test_p8_missing_proof_of_sale_and_device_photo():
    decision = evaluate_claim(
        facts(documents=(photo(),), invoice=None), PROGRAMME
    )
    assert "MISSING_DOCUMENT" in codes(decision) and decision.status == ClaimStatus.NEEDS_REVIEW
    decision = evaluate_claim(facts(documents=(document(),)), PROGRAMME)
    assert decision.lines[0].status == LineStatus.NEEDS_REVIEW
    assert "MISSING_DOCUMENT" in codes(decision)


@pytest.mark.parametrize(
    ("quality", "code"),
    [("fax", "FAX_QUALITY"), ("illegible", "ILLEGIBLE_DOCUMENT"), ("unreadable", "UNREADABLE_FILE")],
)
def test_p9_degraded_proof_of_sale_never_goes_straight_to_payout(quality, code):
    docs = (document(quality=quality, confidence=80.0), photo())
    decision = evaluate_claim(facts(documents=docs), PROGRAMME)
    assert decision.status == ClaimStatus.NEEDS_REVIEW
    assert code in codes(decision)


def test_low_field_confidence_goes_to_review():
    decision = evaluate_claim(facts(invoice=invoice(number=Field("RE-2025-0815", 20.0))), PROGRAMME)
    assert codes(decision) == ["LOW_OCR_CONFIDENCE"]
    decision = evaluate_claim(facts(invoice=invoice(number=None)), PROGRAMME)
    assert codes(decision) == ["INVOICE_FIELD_MISSING"]


def test_product_and_serial_must_be_on_the_invoice():
    text = INVOICE = (
        invoice()
        .text.replace("11LN0004GE", "99ZZ9999ZZ")
        .replace("PF3ABCDE", "QQQQQQQQ")
        .replace("ThinkSmart Core", "Gadget")
    )
    decision = evaluate_claim(facts(invoice=invoice(text=INVOICE, part_numbers=(), serials=())), PROGRAMME)
    assert {"PRODUCT_MISMATCH", "SERIAL_MISMATCH"} <= set(codes(decision)), text
    assert decision.status == ClaimStatus.NEEDS_REVIEW


def test_a_serial_equal_only_up_to_look_alikes_is_found_but_goes_to_a_reviewer():
    text = invoice().text.replace("PF3ABCDE", "PF3A8CDE")
    decision = evaluate_claim(facts(invoice=invoice(text=text, serials=())), PROGRAMME)
    assert decision.status == ClaimStatus.NEEDS_REVIEW
    assert codes(decision) == ["LOW_OCR_CONFIDENCE"]  # found, not a mismatch: read with doubt
    (reason,) = decision.reasons
    assert reason.line == 0 and "PF3ABCDE" in reason.detail and "PF3A8CDE" in reason.detail
    assert decision.lines[0].invoice_serial == "PF3ABCDE"


@pytest.mark.parametrize(("doubtful", "code"), [(True, "LOW_OCR_CONFIDENCE"), (False, "SERIAL_MISMATCH")])
def test_a_serial_read_with_doubt_close_to_the_declared_one_goes_to_a_reviewer_without_a_mismatch(doubtful, code):
    # 'PF3A8CDE' read 'PF3ALCDF': beyond look-alikes, two characters off
    text = invoice().text.replace("PF3ABCDE", "PF3ALCDF")
    read = invoice(text=text, serials=(Field("PF3ALCDF", 60.0, doubtful=doubtful), Field("PF3XYZ12", 100.0)))
    decision = evaluate_claim(facts(invoice=read), PROGRAMME)
    assert decision.status == ClaimStatus.NEEDS_REVIEW
    assert codes(decision) == [code]
    assert "PF3ABCDE" in decision.reasons[0].detail and "PF3ALCDF" in decision.reasons[0].detail
    assert decision.lines[0].invoice_serial is None  # not confirmed either way


def test_a_serial_read_exactly_as_declared_approves():
    decision = evaluate_claim(facts(invoice=invoice(serials=())), PROGRAMME)
    assert decision.status == ClaimStatus.APPROVED, decision.reasons


def test_duplicates_of_earlier_claims():
    dup_invoice = earlier(1, customer=("X", "x"), invoice_hashes=frozenset({"sha-invoice.pdf"}))
    assert "DUPLICATE_INVOICE" in codes(evaluate_claim(facts(earlier=(dup_invoice,)), PROGRAMME))
    dup_serial = earlier(1, customer=("X", "x"), serials=frozenset({"2215LZ0A1B2C"}))
    decision = evaluate_claim(facts(earlier=(dup_serial,)), PROGRAMME)
    assert "DUPLICATE_SERIAL" in codes(decision) and decision.status == ClaimStatus.NEEDS_REVIEW


@pytest.mark.parametrize(
    ("account", "code", "status"),
    [
        (None, "MISSING_BANK_DETAILS", ClaimStatus.APPROVED),
        (
            BankAccount("Musterhaus IT GmbH", "DE89370400440532013001", "COBADEFFXXX"),
            "INVALID_BANK_DETAILS",
            ClaimStatus.APPROVED,
        ),
        (
            BankAccount("Max Mustermann", "DE89370400440532013000", "COBADEFFXXX"),
            "THIRD_PARTY_PAYEE",
            ClaimStatus.NEEDS_REVIEW,
        ),
    ],
)
def test_p11_p12_p15_bank_details_block_the_payout(account, code, status):
    decision = evaluate_claim(facts(bundle=bundle(bank_account=account)), PROGRAMME)
    assert code in codes(decision)
    assert decision.status == status
    assert decision.payout_status == PayoutStatus.BLOCKED


def test_print_format_iban_is_accepted():
    account = BankAccount("Musterhaus IT GmbH", "de89 3704 0044 0532 0130 00", "COBADEFFXXX")
    assert evaluate_claim(facts(bundle=bundle(bank_account=account)), PROGRAMME).status == ClaimStatus.APPROVED


def test_p7_drop_shipped_distributor_invoice_is_never_approved():
    text = (
        "Ingram Micro GmbH\nRechnung an: Musterhaus IT GmbH USt-IdNr. DE123456789\n"
        "Lieferadresse: Stadtwerke Beispielstadt GmbH\nRechnungsnummer 4711\n11LN0004GE S/N PF3ABCDE"
    )
    inv = invoice(seller=Field("Ingram Micro GmbH", 95), buyer=None, text=text)
    decision = evaluate_claim(facts(invoice=inv, documents=(document(text=text),)), PROGRAMME)
    assert decision.status == ClaimStatus.NEEDS_REVIEW
    assert "DISTRIBUTOR_INVOICE" in codes(decision)  # a known distributor
    unknown = replace(
        inv, seller=Field("Grosshandel Meier GmbH", 95), text=text.replace("Ingram Micro", "Grosshandel Meier")
    )
    decision = evaluate_claim(facts(invoice=unknown, documents=(document(text=unknown.text),)), PROGRAMME)
    assert decision.status == ClaimStatus.NEEDS_REVIEW
    assert "SELLER_MISMATCH" in codes(decision)


def test_p7_vat_ids_decide_over_names():
    same_vat = invoice(seller=Field("MH IT", 90), seller_vat=Field("DE 123 456 789", 90))
    assert evaluate_claim(facts(invoice=same_vat), PROGRAMME).status == ClaimStatus.APPROVED
    other_vat = invoice(seller_vat=Field("DE999999999", 90))
    decision = evaluate_claim(facts(invoice=other_vat), PROGRAMME)
    assert codes(decision) == ["SELLER_MISMATCH"] and "DE999999999" in decision.reasons[0].detail
    doubtful = invoice(seller_vat=Field("DE999999999", 90, doubtful=True))
    assert evaluate_claim(facts(invoice=doubtful), PROGRAMME).status == ClaimStatus.APPROVED
    partner_as_buyer = invoice(buyer=None, buyer_vat=Field("DE123456789", 90))
    assert "DISTRIBUTOR_INVOICE" in codes(evaluate_claim(facts(invoice=partner_as_buyer), PROGRAMME))


def test_unreadable_invoice_text_is_never_approved():
    docs = (document(text=""), photo())
    decision = evaluate_claim(facts(invoice=None, documents=docs), PROGRAMME)
    assert decision.status == ClaimStatus.NEEDS_REVIEW
    assert "INVOICE_FIELD_MISSING" in codes(decision)


def test_a_different_product_code_on_the_invoice_is_a_mismatch():
    text = invoice().text.replace("11LN0004GE", "11LN0005GE")
    decision = evaluate_claim(facts(invoice=invoice(text=text, part_numbers=())), PROGRAMME)
    assert "PRODUCT_MISMATCH" in codes(decision)


@pytest.mark.parametrize(
    ("date", "status"),
    [
        ("2025-07-05", ClaimStatus.APPROVED),  # 05/07 or 07/05: both inside the window
        ("2025-09-04", ClaimStatus.NEEDS_REVIEW),  # 4 September or 9 April: the rule cannot tell
        ("2025-03-04", ClaimStatus.REJECTED),  # 4 March or 3 April: outside either way
    ],
)
def test_p3_ambiguous_day_month_order(date, status):
    decision = evaluate_claim(facts(invoice=invoice(date=Field(date, 99.0, doubtful=True))), PROGRAMME)
    assert decision.status == status, decision.reasons


def test_the_same_invoice_re_scanned_is_a_duplicate():
    from claims.duplicates import document_figures

    rescanned = INVOICE_TEXT.replace("RE-2025-0815", "RE-2025-O815")  # OCR noise on one figure
    text = rescanned + "Summe 2.499,00 EUR  MwSt 474,81  Gesamt 2.973,81  Tel 0711 123456  IBAN DE89370400440532013000"
    earlier_claim = earlier(1, customer=("X", "x"), invoice_figures=document_figures(text))
    decision = evaluate_claim(facts(earlier=(earlier_claim,), invoice=invoice(text=text, number=None)), PROGRAMME)
    reason = next(r for r in decision.reasons if r.code == "DUPLICATE_INVOICE")
    assert "re-scanned" in reason.detail


def test_serial_ledger_conflict_sends_the_line_to_review():
    from claims.rules import apply_ledger_conflicts

    decision = evaluate_claim(facts(), PROGRAMME)
    assert decision.status == ClaimStatus.APPROVED
    changed = apply_ledger_conflicts(decision, {"2215LZ0A1B2C": "TI25-FR-000999"})
    assert changed.status == ClaimStatus.NEEDS_REVIEW
    assert changed.lines[0].status == LineStatus.NEEDS_REVIEW
    assert "TI25-FR-000999" in changed.reasons[-1].detail
    assert changed.payout_status == PayoutStatus.NONE
    assert apply_ledger_conflicts(decision, {}) is decision


# --- P10: the replaced device's photo ----------------------------------------------------


def _line_reasons(decision, code):
    return [r for r in decision.reasons if r.code == code]


@pytest.mark.parametrize("source", ["barcode", "qr", "text"])
def test_p10_serial_read_as_declared_approves_and_is_recorded(source):
    decision = evaluate_claim(facts(documents=(document(), photo(source=source))), PROGRAMME)
    assert decision.status == ClaimStatus.APPROVED, decision.reasons
    assert decision.lines[0].replaced_serial_read == "2215LZ0A1B2C"


def test_p10_photo_of_another_device_is_a_serial_mismatch_saying_how_it_was_read():
    decision = evaluate_claim(facts(documents=(document(), photo(serial="9931XK0ZZ9Q1"))), PROGRAMME)
    assert decision.status == ClaimStatus.NEEDS_REVIEW
    [reason] = _line_reasons(decision, "SERIAL_MISMATCH")
    assert reason.line == 0 and reason.document == "old-1.jpg"
    assert "9931XK0ZZ9Q1" in reason.detail and "2215LZ0A1B2C" in reason.detail and "barcode" in reason.detail
    assert decision.lines[0].replaced_serial_read == "9931XK0ZZ9Q1"


def test_p10_barcode_is_exact_while_doubtful_text_tolerates_confusions_but_never_approves():
    confusable = "22I5LZOA1B2C"  # I for 1, O for 0
    by_barcode = evaluate_claim(facts(documents=(document(), photo(serial=confusable))), PROGRAMME)
    assert _line_reasons(by_barcode, "SERIAL_MISMATCH")
    sure_text = evaluate_claim(facts(documents=(document(), photo(serial=confusable, source="text"))), PROGRAMME)
    assert _line_reasons(sure_text, "SERIAL_MISMATCH")
    doubtful = evaluate_claim(
        facts(documents=(document(), photo(serial=confusable, source="text", doubtful=True))), PROGRAMME
    )
    assert not _line_reasons(doubtful, "SERIAL_MISMATCH")
    assert doubtful.status == ClaimStatus.NEEDS_REVIEW and doubtful.lines[0].status == LineStatus.NEEDS_REVIEW
    assert "read with doubt" in _line_reasons(doubtful, "LOW_OCR_CONFIDENCE")[0].detail
    exact_doubt = evaluate_claim(facts(documents=(document(), photo(source="text", doubtful=True))), PROGRAMME)
    assert exact_doubt.status == ClaimStatus.NEEDS_REVIEW


@pytest.mark.parametrize(("quality", "code"), [("poor", "LOW_OCR_CONFIDENCE"), ("illegible", "ILLEGIBLE_DOCUMENT")])
def test_p10_no_serial_read_goes_to_review(quality, code):
    decision = evaluate_claim(facts(documents=(document(), photo(serial=None, quality=quality))), PROGRAMME)
    assert decision.status == ClaimStatus.NEEDS_REVIEW
    assert _line_reasons(decision, code)[0].line == 0
    assert decision.lines[0].replaced_serial_read is None


def test_p10_photo_without_label_reading_is_never_approved():
    bare = replace(photo(), label=None)
    assert evaluate_claim(facts(documents=(document(), bare)), PROGRAMME).status == ClaimStatus.NEEDS_REVIEW


def _earlier_with_photo(seen):
    base = EarlierClaim("TI25-DE-000001", dt.datetime(2025, 7, 1, tzinfo=dt.UTC), ("DE1", "other"),
                        frozenset(), None, frozenset(), frozenset(), 1, photos=(seen,))
    return base


def test_reused_photo_of_an_earlier_claim_goes_to_review():
    print_ = "c3a5f0f00f0fa5c3"
    near = f"{int(print_, 16) ^ 0b101:016x}"  # two bits apart: a re-encoded copy
    seen = PhotoSeen("TI25-DE-000001", "back.jpg", "sha-other", PhotoPrints(print_, None), "2215LZ0A1B2C")
    copy = photo(photo_print=near)
    decision = evaluate_claim(facts(documents=(document(), copy), earlier=(_earlier_with_photo(seen),)), PROGRAMME)
    [reason] = _line_reasons(decision, "DUPLICATE_PHOTO")
    assert "TI25-DE-000001" in reason.detail and "2/64" in reason.detail
    assert decision.status == ClaimStatus.NEEDS_REVIEW


def test_same_bytes_are_a_reused_photo_and_a_different_serial_is_not():
    same_file = PhotoSeen("TI25-DE-000001", "back.jpg", "sha-old-1.jpg", NO_PRINTS, None)
    decision = evaluate_claim(facts(earlier=(_earlier_with_photo(same_file),)), PROGRAMME)
    assert "the same file" in _line_reasons(decision, "DUPLICATE_PHOTO")[0].detail
    prints = ("c3a5f0f00f0fa5c3", "00ff00ff00ff00ff")
    look_alike = PhotoSeen("TI25-DE-000001", "back.jpg", "sha-x", PhotoPrints(*prints), "9931XK0ZZ9Q1")
    alike = photo(photo_print="c3a5f0f00f0fa5c3", label_print="00ff00ff00ff00ff")
    decision = evaluate_claim(facts(documents=(document(), alike), earlier=(_earlier_with_photo(look_alike),)),
                              PROGRAMME)
    assert not _line_reasons(decision, "DUPLICATE_PHOTO")  # two devices of one model, photographed alike


def _reuse_reasons(shot, seen):
    """The DUPLICATE_PHOTO reasons of a claim with one device photo, after a claim with another."""
    decision = evaluate_claim(facts(documents=(document(), shot), earlier=(_earlier_with_photo(seen),)), PROGRAMME)
    return _line_reasons(decision, "DUPLICATE_PHOTO")


def test_a_look_alike_shot_is_told_from_a_copy_by_the_prints_at_256_bits():
    coarse, fine = "c3a5f0f00f0fa5c3", "0f" * 32
    seen = PhotoSeen("TI25-DE-000001", "back.jpg", "sha-other", PhotoPrints(coarse, None, fine=fine), None)
    copy_fine = f"{int(fine, 16) ^ 0b111:064x}"  # 3 bits apart: re-encoded
    other_fine = f"{int(fine, 16) ^ ((1 << 80) - 1):064x}"  # 80 bits apart: another shot
    copy = _reuse_reasons(photo(photo_print=coarse, fine_print=copy_fine, source="text", doubtful=True), seen)
    assert "0/64" in copy[0].detail and "3/256" in copy[0].detail
    assert _reuse_reasons(photo(photo_print=coarse, fine_print=other_fine, source="text", doubtful=True), seen) == []


def test_labels_printed_alike_are_one_device_only_where_their_serials_read_alike():
    label = "00ff00ff00ff00ff"  # labels of one style print alike at 64 bits
    seen = PhotoSeen("TI25-DE-000001", "back.jpg", "sha-other", PhotoPrints(None, label), None,
                     serials_seen=("2215LZ0A1B2C",))
    same = _reuse_reasons(photo(serial="2215LZOA1B2C", source="text", doubtful=True, label_print=label), seen)
    assert "label" in same[0].detail and "% alike" in same[0].detail  # the same serial, read with doubt
    other = photo(serial="2049LZJ0NFTB", source="text", doubtful=True, label_print=label)  # another device
    assert _reuse_reasons(other, seen) == []


def test_a_crop_that_reads_another_serial_is_another_photo():
    centre = "c3a5f0f00f0fa5c3"  # the earlier photo's centre: the new photo's whole print is near it
    seen = PhotoSeen("TI25-DE-000001", "back.jpg", "sha-other", PhotoPrints(None, None, centre), None,
                     serials_seen=("2215LZ0A1B2C",))
    crop = _reuse_reasons(photo(photo_print=centre, serial="2215LZ0A1B2C", source="text", doubtful=True), seen)
    assert "centre" in crop[0].detail
    other = photo(photo_print=centre, serial="2049LZJ0NFTB", source="text", doubtful=True)
    assert _reuse_reasons(other, seen) == []
    codes_disagreed = replace(seen, serials_seen=("204385376", "2049LZJ0NFTB"))  # the serial among the codes read
    assert "2049LZJ0NFTB / 2049LZJ0NFTB" in _reuse_reasons(other, codes_disagreed)[0].detail


def test_one_photo_for_two_lines_of_a_claim():
    two_lines = bundle(lines=(line(0), line(1, part="12C3000AGE", serial="PF3XYZ12", old_serial="OLD2")))
    docs = (document(), photo("a.jpg", 0, sha="same"), photo("b.jpg", 1, serial="OLD2", sha="same"))
    decision = evaluate_claim(facts(bundle=two_lines, documents=docs), PROGRAMME)
    [reason] = _line_reasons(decision, "DUPLICATE_PHOTO")
    assert reason.line == 1 and "line 0 of this claim" in reason.detail


def test_photo_showing_a_device_already_claimed_is_a_duplicate_serial():
    earlier_claim = replace(_earlier_with_photo(PhotoSeen("TI25-DE-000001", "x.jpg", "sha-x", NO_PRINTS, None)),
                            serials=frozenset({"9931XK0ZZ9Q1"}))
    decision = evaluate_claim(
        facts(documents=(document(), photo(serial="9931XK0ZZ9Q1")), earlier=(earlier_claim,)), PROGRAMME
    )
    [reason] = _line_reasons(decision, "DUPLICATE_SERIAL")
    assert "photo shows serial 9931XK0ZZ9Q1" in reason.detail and "TI25-DE-000001" in reason.detail
    assert _line_reasons(decision, "SERIAL_MISMATCH")


def test_product_found_by_name_when_its_part_number_was_misread():
    text = invoice().text.replace("11LN0004GE", "111N00004GE")  # a glyph read twice, an L read as 1
    decision = evaluate_claim(facts(invoice=invoice(text=text, part_numbers=())), PROGRAMME)
    assert "PRODUCT_MISMATCH" not in codes(decision)
    assert decision.status == ClaimStatus.APPROVED


def test_a_longer_product_name_is_not_the_declared_product():
    catalogue = (
        CatalogueItem("DE", "11LN0004GE", "ThinkSmart Core", Decimal("250.00"), "EUR"),
        CatalogueItem("DE", "11LN0005GE", "ThinkSmart Core Full Room Kit", Decimal("400.00"), "EUR"),
    )
    text = invoice().text.replace("11LN0004GE ThinkSmart Core", "111N00005GE ThinkSmart Core Full Room Kit")
    decision = evaluate_claim(facts(catalogue=catalogue, invoice=invoice(text=text, part_numbers=())), PROGRAMME)
    [reason] = [r for r in decision.reasons if r.code == "PRODUCT_MISMATCH"]
    assert "longer product" in reason.detail


def test_unreadable_device_photo_is_reported_and_never_approved():
    broken = photo(serial=None, quality="unreadable")
    decision = evaluate_claim(facts(documents=(document(), broken)), PROGRAMME)
    assert decision.status == ClaimStatus.NEEDS_REVIEW
    assert [r.document for r in decision.reasons if r.code == "UNREADABLE_FILE"] == ["old-1.jpg"]
