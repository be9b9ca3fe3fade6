"""claim.json parsing against the contract (sections 1 and 7)."""

from __future__ import annotations

import copy
import json

import pytest

from claims.bundle import parse_claim_json
from tradein.errors import BundleError

VALID = {
    "claim_ref": "TI25-DE-000123",
    "submitted_at": "2025-07-14T10:22:00+02:00",
    "partner": {"partner_id": "LPN-104512", "name": "Musterhaus IT GmbH", "country": "DE"},
    "end_customer": {"name": "Stadtwerke Beispielstadt GmbH", "vat_id": "DE811234567", "country": "DE"},
    "bank_account": {"holder": "Musterhaus IT GmbH", "iban": "DE89370400440532013000", "bic": "COBADEFFXXX"},
    "lines": [
        {
            "qualifying_product": {"part_number": "11LN0004GE", "serial": "PF3ABCDE"},
            "replaced_device": {"brand": "Logitech", "model": "Rally Bar", "serial": "2215LZ0A1B2C"},
        }
    ],
    "documents": [
        {"kind": "proof_of_sale", "file": "invoice.pdf"},
        {"kind": "device_photo", "file": "old-device-1.jpg", "line": 0},
    ],
}


def encode(data) -> bytes:
    return json.dumps(data).encode("utf-8")


def test_contract_example_parses():
    bundle, raw = parse_claim_json(encode(VALID))
    assert bundle.claim_ref == "TI25-DE-000123"
    assert bundle.submitted_at.utcoffset().total_seconds() == 7200
    assert bundle.lines[0].product.part_number == "11LN0004GE"
    assert bundle.lines[0].device.serial == "2215LZ0A1B2C"
    assert bundle.documents[1].line == 0
    assert raw == VALID


def test_bom_is_accepted():
    bundle, _ = parse_claim_json(b"\xef\xbb\xbf" + encode(VALID))
    assert bundle.claim_ref == "TI25-DE-000123"


def test_missing_bank_account_and_vat_id_are_fine():
    data = copy.deepcopy(VALID)
    del data["bank_account"]
    del data["end_customer"]["vat_id"]
    bundle, _ = parse_claim_json(encode(data))
    assert bundle.bank_account is None
    assert bundle.end_customer.vat_id is None


def test_null_side_of_a_line_is_an_unpaired_line_not_malformed():
    data = copy.deepcopy(VALID)
    data["lines"][0]["replaced_device"] = None
    bundle, _ = parse_claim_json(encode(data))
    assert bundle.lines[0].device is None


def mutate(path: str, value):
    data = copy.deepcopy(VALID)
    target = data
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if isinstance(target, list) else target[key]
    last = keys[-1]
    if value is KeyError:
        del target[last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return encode(data)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"{not json", "INVALID_JSON"),
        (b"\xff\xfe{}", "INVALID_JSON"),
        (b"[1, 2]", "INVALID_JSON"),
        (b'{"claim_ref": "A", "claim_ref": "B"}', "DUPLICATE_KEY"),
        (mutate("claim_ref", KeyError), "MISSING_FIELD"),
        (mutate("claim_ref", "has space"), "INVALID_CLAIM_REF"),
        (mutate("claim_ref", "-starts-with-dash"), "INVALID_CLAIM_REF"),
        (mutate("claim_ref", "A" * 36), "INVALID_CLAIM_REF"),
        (mutate("submitted_at", "2025-07-14T10:22:00"), "INVALID_FIELD"),
        (mutate("submitted_at", "yesterday"), "INVALID_FIELD"),
        (mutate("partner.partner_id", KeyError), "MISSING_FIELD"),
        (mutate("partner.country", KeyError), "MISSING_FIELD"),
        (mutate("end_customer.name", ""), "MISSING_FIELD"),
        (mutate("lines", []), "INVALID_LINES"),
        (mutate("lines", [VALID["lines"][0]] * 6), "INVALID_LINES"),
        (mutate("documents", KeyError), "MISSING_FIELD"),
        (mutate("documents.0.file", "../invoice.pdf"), "UNSAFE_PATH"),
        (mutate("documents.0.file", "/etc/passwd"), "UNSAFE_PATH"),
        (mutate("documents.0.file", "a\\b.pdf"), "UNSAFE_PATH"),
        (mutate("documents.0.file", "a\x00.pdf"), "UNSAFE_PATH"),
        (mutate("documents.0.file", ""), "MISSING_FIELD"),
        (mutate("documents.0.kind", KeyError), "MISSING_FIELD"),
        (mutate("documents.1.line", 3), "INVALID_FIELD"),
    ],
)
def test_malformed_bundles_have_machine_readable_codes(raw: bytes, code: str):
    with pytest.raises(BundleError) as caught:
        parse_claim_json(raw)
    assert caught.value.code == code


@pytest.mark.parametrize("raw", [b'{"claim_ref": NaN}', b"[" * 100000 + b"]" * 100000])
def test_non_json_constants_and_deep_nesting_are_invalid_json(raw: bytes):
    with pytest.raises(BundleError) as caught:
        parse_claim_json(raw)
    assert caught.value.code == "INVALID_JSON"


def test_numbers_for_serials_and_missing_part_number_are_not_malformed():
    data = copy.deepcopy(VALID)
    data["lines"][0]["replaced_device"]["serial"] = 123456
    del data["lines"][0]["qualifying_product"]["part_number"]
    bundle, _ = parse_claim_json(encode(data))
    assert bundle.lines[0].device.serial == "123456"
    assert bundle.lines[0].product.part_number == ""
