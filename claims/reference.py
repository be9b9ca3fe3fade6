"""Reference CSVs (contract section 2): rows validated, bad rows reported by line number."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from claims.bundle import CLAIM_REF_PATTERN
from claims.facts import CatalogueItem, EligibleDevice, PartnerFacts
from claims.names import normalise_code
from tradein.errors import ReferenceDataError

T = TypeVar("T")
_COUNTRY = re.compile(r"[A-Z]{2}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_AMOUNT = re.compile(r"\d{1,10}(\.\d{1,2})?")


@dataclass(frozen=True)
class RowError:
    """A CSV row that failed validation."""

    line: int
    message: str


@dataclass(frozen=True)
class ParsedFile(Generic[T]):
    """Rows that validated and rows that did not."""

    rows: tuple[tuple[int, T], ...]
    errors: tuple[RowError, ...]


@dataclass(frozen=True)
class ReceiptRow:
    """An old device received at the auditing centre."""

    claim_ref: str
    serial: str
    received_at: dt.date


class _BadRow(ValueError):
    pass


def _read(text: str, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = tuple((h or "").strip() for h in (reader.fieldnames or ()))
    missing = [c for c in columns if c not in header]
    if missing:
        raise ReferenceDataError(f"header lacks column(s) {', '.join(missing)}; expected {','.join(columns)}")
    for row in reader:
        cells = {(k or "").strip(): (v or "").strip() if isinstance(v, str) else "" for k, v in row.items()}
        if not any(cells.get(c) for c in columns):
            continue
        yield reader.line_num, cells


def _parse(
    text: str, columns: tuple[str, ...], build: Callable[[dict[str, str]], T], key: Callable[[T], object]
) -> ParsedFile[T]:
    rows: list[tuple[int, T]] = []
    errors: list[RowError] = []
    seen: dict[object, int] = {}
    for line, cells in _read(text, columns):
        try:
            record = build(cells)
        except _BadRow as e:
            errors.append(RowError(line, str(e)))
            continue
        k = key(record)
        if k in seen:
            errors.append(RowError(line, f"duplicate of line {seen[k]}"))
            continue
        seen[k] = line
        rows.append((line, record))
    return ParsedFile(tuple(rows), tuple(errors))


def _required(cells: dict[str, str], column: str) -> str:
    value = cells.get(column, "")
    if not value:
        raise _BadRow(f"{column} is empty")
    return value


def _country(cells: dict[str, str]) -> str:
    value = _required(cells, "country").upper()
    if not _COUNTRY.fullmatch(value):
        raise _BadRow(f"country {value!r} is not an ISO 3166 alpha-2 code")
    return value


def _catalogue_item(cells: dict[str, str]) -> CatalogueItem:
    raw = _required(cells, "reward_amount")
    if not _AMOUNT.fullmatch(raw):
        raise _BadRow(f"reward_amount {raw!r} must be a non-negative decimal amount with at most 2 decimals")
    amount = Decimal(raw)
    currency = _required(cells, "currency").upper()
    if not _CURRENCY.fullmatch(currency):
        raise _BadRow(f"currency {currency!r} is not an ISO 4217 code")
    part = _required(cells, "part_number")
    if not normalise_code(part):
        raise _BadRow(f"part_number {part!r} holds no letters or digits")
    return CatalogueItem(
        _country(cells), part.upper(), _required(cells, "product_name"), amount.quantize(Decimal("0.01")), currency
    )


def parse_catalogue(text: str) -> ParsedFile[CatalogueItem]:
    """Eligible catalogue: one row per (country, part number)."""
    columns = ("country", "part_number", "product_name", "reward_amount", "currency")
    return _parse(text, columns, _catalogue_item, lambda r: (r.country, normalise_code(r.part_number)))


def parse_devices(text: str) -> ParsedFile[EligibleDevice]:
    """Eligible trade-in devices: one row per (brand, model)."""

    def build(cells: dict[str, str]) -> EligibleDevice:
        return EligibleDevice(_required(cells, "brand"), _required(cells, "model"), cells.get("category", ""))

    return _parse(text, ("brand", "model", "category"), build, lambda r: (r.brand.lower(), r.model.lower()))


def parse_partners(text: str) -> ParsedFile[PartnerFacts]:
    """Partner register: one row per partner_id; status active or suspended."""

    def build(cells: dict[str, str]) -> PartnerFacts:
        status = _required(cells, "status").lower()
        if status not in ("active", "suspended"):
            raise _BadRow(f"status {status!r} must be active or suspended")
        return PartnerFacts(
            _required(cells, "partner_id"),
            _required(cells, "name"),
            _country(cells),
            cells.get("vat_id") or None,
            status,
        )

    return _parse(text, ("partner_id", "name", "country", "vat_id", "status"), build, lambda r: r.partner_id)


def parse_receipts(text: str) -> ParsedFile[ReceiptRow]:
    """Device receipts from the auditing centre: one row per (claim_ref, serial)."""

    def build(cells: dict[str, str]) -> ReceiptRow:
        ref = _required(cells, "claim_ref")
        if not CLAIM_REF_PATTERN.fullmatch(ref):
            raise _BadRow(f"claim_ref {ref!r} is not a valid claim reference")
        raw = _required(cells, "received_at")
        try:
            received = dt.date.fromisoformat(raw[:10])
        except ValueError as e:
            raise _BadRow(f"received_at {raw!r} is not an ISO date") from e
        return ReceiptRow(ref, _required(cells, "serial"), received)

    return _parse(
        text, ("claim_ref", "serial", "received_at"), build, lambda r: (r.claim_ref, normalise_code(r.serial))
    )
