"""Payout rules, pure: receipts matched to lines, due dates, overdue, exact amounts, SEPA content."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import PurePath

import pytest

from claims import payouts as rules
from claims.programme import load_programme
from tradein.sepa import SepaError, credit_transfer, read_credit_transfer

PROGRAMME = load_programme()
LINES = (
    rules.LineSerials(0, "approved", "2215LZ0A1B2C", None),
    rules.LineSerials(1, "rejected", "SN-4711", "SN4711"),
    rules.LineSerials(2, "approved", None, "FDO2301X9Z"),
)


def test_receipts_match_lines_exactly_or_up_to_ocr_confusions():
    assert rules.match_receipt("2215lz0a1b2c", LINES) == rules.ReceiptMatch(0, "exact", "approved")
    assert rules.match_receipt("SN 4711", LINES).line_status == "rejected"
    assert rules.match_receipt("FD02301X92", LINES) == rules.ReceiptMatch(2, "ocr", "approved")  # O/0, Z/2
    assert rules.match_receipt("XYZ999", LINES).line is None
    assert rules.match_receipt("22I5LZOA1B2C", LINES).line is None  # typed serials are compared exactly
    twins = (rules.LineSerials(0, "approved", None, "AB0"), rules.LineSerials(1, "approved", None, "ABO"))
    assert rules.match_receipt("AB0", twins).line == 0  # exact wins
    assert rules.match_receipt("A80", twins).line is None  # confusions never pick between two lines


def test_due_when_every_approved_device_is_received_45_days_after_the_last():
    approved = rules.approved_lines(LINES)
    assert approved == (0, 2)
    assert rules.devices_received_on(approved, {0: dt.date(2025, 8, 1)}) is None
    last = rules.devices_received_on(approved, {0: dt.date(2025, 8, 1), 2: dt.date(2025, 8, 4)})
    assert last == dt.date(2025, 8, 4)
    assert rules.due_date(last, PROGRAMME) == dt.date(2025, 9, 18)
    assert rules.overdue_after(last, PROGRAMME) == dt.date(2025, 9, 23)
    assert not rules.is_overdue(last, dt.date(2025, 9, 23), PROGRAMME)
    assert rules.is_overdue(last, dt.date(2025, 9, 24), PROGRAMME)
    assert not rules.is_overdue(None, dt.date(2030, 1, 1), PROGRAMME)


def test_amounts_are_decimal_exact():
    assert rules.payout_amount([Decimal("0.10"), Decimal("0.20"), None]) == Decimal("0.30")
    assert rules.payout_amount([Decimal("2499.99")] * 5) == Decimal("12499.95")
    assert rules.amount_in_cents(Decimal("250.10")) == 25010
    with pytest.raises(ValueError):
        rules.amount_in_cents(Decimal("0.005"))


def test_other_currencies_go_to_a_file_beside_the_eur_one():
    out = PurePath("/x/payouts.xml")
    assert rules.currency_path(out, "EUR") == out
    assert rules.currency_path(out, "GBP") == PurePath("/x/payouts.GBP.xml")
    assert len(rules.message_id(12345678, dt.datetime(2025, 9, 1, tzinfo=dt.UTC))) <= 35


def _payments(today=dt.date(2025, 9, 1)):
    return [
        rules.sepa_payment(
            "TI25-DE-000101",
            "Musterhaus IT GmbH",
            "DE89370400440532013000",
            "COBADEFFXXX",
            Decimal("2499.00"),
            "EUR",
            dt.date(2025, 9, 18),
            today,
        ),
        rules.sepa_payment(
            "TI25-FR-000102",
            "Société Générale Intégration SARL",
            "FR1420041010050500013M02606",
            None,
            Decimal("0.10"),
            "EUR",
            dt.date(2025, 8, 1),
            today,
        ),
    ]


@pytest.mark.parametrize("schema", ["pain.001.001.03", "pain.001.001.09"])
def test_a_sepa_file_validates_against_its_xsd_with_one_end_to_end_id_per_payout(schema):
    from dataclasses import replace

    payer = replace(PROGRAMME.payer, sepa_schema=schema)
    created = dt.datetime(2025, 9, 1, 8, tzinfo=dt.UTC)
    document = credit_transfer(payer, _payments(), "TRADEIN-20250901-00000001", created, "EUR")
    summary = read_credit_transfer(document)
    assert summary.msg_id == "TRADEIN-20250901-00000001"
    assert summary.control_sum == "2499.10"
    assert summary.payments == [("TI25-DE-000101", "2499.00", "EUR"), ("TI25-FR-000102", "0.10", "EUR")]
    assert f"pain.001.001.{schema[-2:]}".encode() in document
    assert b"2025-09-18" in document  # executed on the due date; the past due one today


def test_a_payment_the_xsd_refuses_is_never_written():
    bad = [rules.sepa_payment("TI25-X", "A", "NOT AN IBAN", None, Decimal("1.00"), "EUR", None, dt.date.today())]
    with pytest.raises(SepaError):
        credit_transfer(PROGRAMME.payer, bad, "TRADEIN-1", dt.datetime.now(dt.UTC), "EUR")


def test_bank_details_recorded_by_customer_service_are_checked_again():
    names = ["Musterhaus IT GmbH"]
    ok = rules.check_bank_update("Musterhaus IT", "de89 3704 0044 0532 0130 00", None, names, PROGRAMME)
    assert ok.problem is None and ok.check.iban == "DE89370400440532013000" and ok.check.bic
    bad = rules.check_bank_update("Musterhaus IT GmbH", "DE89370400440532013001", "COBADEFFXXX", names, PROGRAMME)
    assert bad.problem.startswith("INVALID_BANK_DETAILS")
    wrong_bic = rules.check_bank_update("Musterhaus IT GmbH", "DE89370400440532013000", "BNPAFRPPXXX", names, PROGRAMME)
    assert wrong_bic.problem.startswith("INVALID_BANK_DETAILS")
    other_bank = rules.check_bank_update("Musterhaus", "DE89370400440532013000", "DEUTDEFFXXX", names, PROGRAMME)
    assert "not the IBAN's bank" in other_bank.problem
    third = rules.check_bank_update("Markus Schneider", "DE89370400440532013000", "COBADEFFXXX", names, PROGRAMME)
    assert third.problem.startswith("THIRD_PARTY_PAYEE")
