"""Reference CSV validation: bad rows reported with line numbers, the rest loads."""

from __future__ import annotations

import pytest

from claims.reference import parse_catalogue, parse_devices, parse_partners, parse_receipts
from tradein.errors import ReferenceDataError

CATALOGUE = """country,part_number,product_name,reward_amount,currency
DE,11LN0004GE,ThinkSmart Core,250.00,EUR
DE,11LN0004GE,ThinkSmart Core again,250.00,EUR
FR,12C3000AGE,ThinkSmart Bar,-5,EUR
FR,12C3000AGE,ThinkSmart Bar,NaN,EUR
FR,12C3000AGE,ThinkSmart Bar,1e3,EUR
GB,12C3000AUK,ThinkSmart Bar,150,GBP
XX1,11LN0004GE,Bad country,1.00,EUR
"""


def test_catalogue_bad_rows_are_reported_by_line():
    parsed = parse_catalogue(CATALOGUE)
    assert [line for line, _ in parsed.rows] == [2, 7]
    assert [e.line for e in parsed.errors] == [3, 4, 5, 6, 8]
    assert "duplicate of line 2" in parsed.errors[0].message
    assert str(parsed.rows[1][1].reward_amount) == "150.00"


def test_wrong_header_refuses_the_file():
    with pytest.raises(ReferenceDataError):
        parse_catalogue("country,part,name\nDE,1,2\n")


def test_partners_status_must_be_known():
    parsed = parse_partners("partner_id,name,country,vat_id,status\nP1,A GmbH,DE,,active\nP2,B,FR,,gone\n")
    assert [p.partner_id for _, p in parsed.rows] == ["P1"]
    assert parsed.errors[0].line == 3


def test_devices_and_receipts():
    devices = parse_devices("brand,model,category\nLogitech,Rally Bar,bar\n,Nameless,x\n")
    assert len(devices.rows) == 1 and devices.errors[0].line == 3
    receipts = parse_receipts("claim_ref,serial,received_at\nTI-1,ABC,2025-08-01\nTI-1,DEF,01.08.2025\n")
    assert len(receipts.rows) == 1 and receipts.errors[0].line == 3
