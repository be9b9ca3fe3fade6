"""Claim bundles: ``claim.json`` parsed and validated against the contract (section 1, 7)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from tradein.errors import BundleError

CLAIM_REF_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,34}")
PROOF_OF_SALE = "proof_of_sale"
DEVICE_PHOTO = "device_photo"
MAX_LINES = 5


@dataclass(frozen=True)
class Party:
    """A company named on the claim."""

    name: str
    vat_id: str | None
    country: str | None


@dataclass(frozen=True)
class BankAccount:
    """Bank details as the partner entered them (any part may be missing)."""

    holder: str | None
    iban: str | None
    bic: str | None


@dataclass(frozen=True)
class DeclaredProduct:
    """The new qualifying product of a line."""

    part_number: str
    serial: str | None


@dataclass(frozen=True)
class DeclaredDevice:
    """The old device traded in on a line."""

    brand: str
    model: str
    serial: str | None


@dataclass(frozen=True)
class DeclaredLine:
    """One declared pair; either side may be missing (an unpaired line)."""

    index: int
    product: DeclaredProduct | None
    device: DeclaredDevice | None


@dataclass(frozen=True)
class DocumentRef:
    """A file of the bundle, with its kind and, for device photos, its line."""

    kind: str
    file: str
    line: int | None


@dataclass(frozen=True)
class ClaimBundle:
    """A partner's claim as declared in ``claim.json``."""

    claim_ref: str
    submitted_at: dt.datetime
    partner_id: str
    partner_name: str | None
    partner_country: str
    end_customer: Party
    bank_account: BankAccount | None
    lines: tuple[DeclaredLine, ...]
    documents: tuple[DocumentRef, ...]


def parse_claim_json(raw: bytes) -> tuple[ClaimBundle, Any]:
    """Parse and validate ``claim.json`` bytes; return the bundle and the parsed JSON.

    Raises BundleError with a machine-readable code for anything the contract calls malformed.
    """
    data = _load_json(raw)
    if not isinstance(data, dict):
        raise BundleError("claim.json must hold a JSON object", code="INVALID_JSON")
    lines = _lines(data.get("lines"))
    bundle = ClaimBundle(
        claim_ref=_claim_ref(data),
        submitted_at=_submitted_at(data),
        partner_id=_required_str(data, "partner", "partner_id"),
        partner_name=_optional_str(_object(data, "partner"), "name"),
        partner_country=_required_str(data, "partner", "country").upper(),
        end_customer=_end_customer(data),
        bank_account=_bank_account(data.get("bank_account")),
        lines=lines,
        documents=_documents(data.get("documents"), len(lines)),
    )
    return bundle, data


def _load_json(raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise BundleError(f"claim.json is not UTF-8: {e}", code="INVALID_JSON") from e
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
    except json.JSONDecodeError as e:
        raise BundleError(f"claim.json is not valid JSON: {e}", code="INVALID_JSON") from e
    except RecursionError as e:
        raise BundleError("claim.json is nested too deeply", code="INVALID_JSON") from e


def _no_constants(name: str) -> Any:
    raise BundleError(f"claim.json holds {name}, which is not JSON", code="INVALID_JSON")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    duplicated = sorted({k for k in keys if keys.count(k) > 1})
    if duplicated:
        raise BundleError(f"duplicate key(s) in claim.json: {', '.join(duplicated)}", code="DUPLICATE_KEY")
    return dict(pairs)


def _object(data: dict, key: str) -> dict:
    value = data.get(key)
    if value is None:
        raise BundleError(f"missing required field {key}", code="MISSING_FIELD")
    if not isinstance(value, dict):
        raise BundleError(f"field {key} must be an object", code="INVALID_FIELD")
    return value


def _required_str(data: dict, key: str, sub: str | None = None) -> str:
    container, name = (_object(data, key), f"{key}.{sub}") if sub else (data, key)
    value = container.get(sub or key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise BundleError(f"missing required field {name}", code="MISSING_FIELD")
    if not isinstance(value, str):
        raise BundleError(f"field {name} must be a string", code="INVALID_FIELD")
    return value.strip()


def _optional_str(container: dict | None, key: str) -> str | None:
    if not container:
        return None
    value = container.get(key)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a serial or part number sent as a JSON number
    if not isinstance(value, str):
        raise BundleError(f"field {key} must be a string", code="INVALID_FIELD")
    return value.strip() or None


def _claim_ref(data: dict) -> str:
    ref = data.get("claim_ref")
    if ref is None or ref == "":
        raise BundleError("missing required field claim_ref", code="MISSING_FIELD")
    if not isinstance(ref, str) or not CLAIM_REF_PATTERN.fullmatch(ref):
        raise BundleError(
            f"claim_ref {ref!r} must be 1-35 characters of A-Z a-z 0-9 . _ - starting with a letter or digit",
            code="INVALID_CLAIM_REF",
        )
    return ref


def _submitted_at(data: dict) -> dt.datetime:
    raw = _required_str(data, "submitted_at")
    try:
        value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as e:
        raise BundleError(f"submitted_at {raw!r} is not ISO 8601", code="INVALID_FIELD") from e
    if value.tzinfo is None:
        raise BundleError(f"submitted_at {raw!r} has no UTC offset", code="INVALID_FIELD")
    return value


def _end_customer(data: dict) -> Party:
    customer = _object(data, "end_customer")
    return Party(
        name=_required_str(data, "end_customer", "name"),
        vat_id=_optional_str(customer, "vat_id"),
        country=(_optional_str(customer, "country") or "").upper() or None,
    )


def _bank_account(value: Any) -> BankAccount | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BundleError("field bank_account must be an object", code="INVALID_FIELD")
    account = BankAccount(
        holder=_optional_str(value, "holder"),
        iban=_optional_str(value, "iban"),
        bic=_optional_str(value, "bic"),
    )
    return None if account == BankAccount(None, None, None) else account


def _lines(value: Any) -> tuple[DeclaredLine, ...]:
    if value is None:
        raise BundleError("missing required field lines", code="MISSING_FIELD")
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_LINES:
        raise BundleError(f"lines must be a list of 1 to {MAX_LINES} pairs", code="INVALID_LINES")
    return tuple(_line(i, item) for i, item in enumerate(value))


def _line(index: int, item: Any) -> DeclaredLine:
    if not isinstance(item, dict):
        raise BundleError(f"lines[{index}] must be an object", code="INVALID_LINES")
    product = item.get("qualifying_product")
    device = item.get("replaced_device")
    return DeclaredLine(
        index=index,
        product=_product(index, product) if product is not None else None,
        device=_device(index, device) if device is not None else None,
    )


def _product(index: int, value: Any) -> DeclaredProduct:
    if not isinstance(value, dict):
        raise BundleError(f"lines[{index}].qualifying_product must be an object", code="INVALID_FIELD")
    # not a required field (contract 7): a product without part number is simply not eligible
    return DeclaredProduct(part_number=_optional_str(value, "part_number") or "", serial=_optional_str(value, "serial"))


def _device(index: int, value: Any) -> DeclaredDevice:
    if not isinstance(value, dict):
        raise BundleError(f"lines[{index}].replaced_device must be an object", code="INVALID_FIELD")
    return DeclaredDevice(
        brand=_optional_str(value, "brand") or "",
        model=_optional_str(value, "model") or "",
        serial=_optional_str(value, "serial"),
    )


def _documents(value: Any, line_count: int) -> tuple[DocumentRef, ...]:
    if value is None:
        raise BundleError("missing required field documents", code="MISSING_FIELD")
    if not isinstance(value, list):
        raise BundleError("documents must be a list", code="INVALID_FIELD")
    return tuple(_document(i, item, line_count) for i, item in enumerate(value))


def _document(index: int, item: Any, line_count: int) -> DocumentRef:
    if not isinstance(item, dict):
        raise BundleError(f"documents[{index}] must be an object", code="INVALID_FIELD")
    kind = item.get("kind")
    if not isinstance(kind, str) or not kind.strip():
        raise BundleError(f"missing required field documents[{index}].kind", code="MISSING_FIELD")
    file = item.get("file")
    if file is None or file == "":
        raise BundleError(f"missing required field documents[{index}].file", code="MISSING_FIELD")
    if not isinstance(file, str):
        raise BundleError(f"documents[{index}].file must be a string", code="INVALID_FIELD")
    check_relative_path(file)
    line = item.get("line")
    if line is not None and (isinstance(line, bool) or not isinstance(line, int) or not 0 <= line < line_count):
        raise BundleError(f"documents[{index}].line {line!r} names no declared line", code="INVALID_FIELD")
    return DocumentRef(kind=kind.strip(), file=file, line=line)


def check_relative_path(file: str) -> None:
    """Refuse a document path that could leave the bundle directory."""
    parts = file.split("/")
    unsafe = (
        file.startswith("/")
        or "\\" in file
        or "\x00" in file
        or ".." in parts
        or any(p in ("", ".") for p in parts)
        or re.match(r"^[A-Za-z]:", file) is not None
    )
    if unsafe:
        raise BundleError(f"document path {file!r} is not a plain relative path inside the bundle", code="UNSAFE_PATH")
