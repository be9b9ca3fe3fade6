"""VAT ids on invoices: found by shape, repaired where the country's format forces a digit,
validated with python-stdnum (EU member states via ``stdnum.eu.vat``, GB via ``stdnum.gb.vat``).

An id is read from one cell: the country prefix and the digits may be split by spaces
('DE 136 695 976'); an id without its prefix is read only right after a VAT label, in the
label's country ('P. IVA 01234567890'). An id whose check digits fail is kept but doubtful.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from stdnum.eu import vat as eu_vat
from stdnum.gb import vat as gb_vat

from ocr import invoice_labels as vocabulary
from ocr.layout import Cell, word_confidence
from ocr.terms import match_term, terms_of
from ocr.types import FieldReading, Word

__all__ = ["FoundVat", "find_vat_ids", "normalise_vat"]

# The id after its country code, per position: '9' digit, 'A' letter, 'X' either, other
# characters literally ('B' of a Dutch id). Countries not listed are taken as printed.
_FORMATS: dict[str, tuple[str, ...]] = {
    "DE": ("999999999",), "AT": ("U99999999",), "BE": ("9999999999",),
    "IT": ("99999999999",), "FR": ("XX999999999",), "ES": ("X9999999X",),
    "NL": ("999999999B99",), "GB": ("999999999", "999999999999"), "XI": ("999999999",),
    "LU": ("99999999",), "DK": ("99999999",), "PL": ("9999999999",), "PT": ("999999999",),
}
_COUNTRIES = frozenset(sorted(eu_vat.MEMBER_STATES | {"gb", "xi", "el"}))
_TO_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "S": "5",
                           "B": "8", "Z": "2"})
_VAT_TERMS = terms_of(vocabulary.VAT_LABELS)
_EDGE = ":;,.()[]\"'|·•"


@dataclass(frozen=True)
class FoundVat:
    """A VAT id read from a cell, and whether a label marked it as the customer's."""

    reading: FieldReading
    cell: Cell  # the cell its line starts in (its label's, when labelled)
    buyer_label: bool  # 'USt-IdNr. Kunde', 'N° TVA client', 'Customer VAT No.' ...


def _is_valid(number: str) -> bool:
    if number.startswith(("GB", "XI")):
        return gb_vat.is_valid("GB" + number[2:])
    try:
        return eu_vat.is_valid(number)
    except Exception:  # noqa: BLE001 - stdnum raises for countries it cannot check
        return False


def _fit(country: str, body: str) -> tuple[str, bool] | None:
    """(body fitted to the country's format, whether a character was repaired), or None."""
    formats = _FORMATS.get(country)
    if formats is None:
        return (body, False) if 2 <= len(body) <= 13 and body.isalnum() else None
    for fmt in formats:
        if len(fmt) != len(body):
            continue
        out = []
        for ch, kind in zip(body, fmt, strict=True):
            if kind == "9":
                ch = ch if ch.isdigit() else ch.translate(_TO_DIGIT)
                if not ch.isdigit():
                    break
            elif ((kind == "A" and not ch.isalpha()) or (kind == "X" and not ch.isalnum())
                  or (kind not in "9AX" and ch != kind)):
                break
            out.append(ch)
        else:
            fixed = "".join(out)
            return fixed, fixed != body
    return None


def normalise_vat(text: str, country: str | None = None) -> tuple[str, bool, bool] | None:
    """(compact id, check digits valid, repaired) for a printed VAT id, None if it is not one.

    country is used when text carries no country prefix.
    """
    compact = re.sub(r"[\s.\-/]", "", text.strip(_EDGE)).upper()
    if compact[:2].lower() in _COUNTRIES and len(compact) > 4:
        country, body = compact[:2], compact[2:]
    elif country is None:
        return None
    else:
        body = compact
    country = "EL" if country == "GR" else country
    fitted = _fit(country, body)
    if fitted is None or not any(c.isdigit() for c in fitted[0]):
        return None
    number = country + fitted[0]
    valid = _is_valid(number)
    if not valid and (alt := country + fitted[0].translate(_TO_DIGIT)) != number and _is_valid(
            alt):
        number, valid = alt, True  # an O read for a 0 where the format allows both
    if not valid and country not in _FORMATS:
        return None  # a country whose format is not known here must pass its check digits
    return number, valid, fitted[1]


def _label_before(words: Sequence[Word], end: int) -> tuple[str, str, int] | None:
    """(role, language, first word) of a VAT label ending right before words[end], if any."""
    for start in range(max(0, end - 5), end):
        m = match_term(words[start:end], _VAT_TERMS)
        if m is not None and start + m.used == end:
            return m.term.field, m.term.language, start
    return None


def _row_ids(row: Sequence[Cell]) -> list[FoundVat]:
    words = [w for c in row for w in c.words]
    owner = [c for c in row for _ in c.words]
    out: list[FoundVat] = []
    i = 0
    while i < len(words):
        best: tuple[int, tuple[str, bool, bool]] | None = None
        label: tuple[str, str, int] | None = None
        for j in range(i + 1, min(len(words), i + 5) + 1):
            text = "".join(w.text for w in words[i:j])
            if len(re.sub(r"[\s.\-/]", "", text)) > 16:
                break
            read = normalise_vat(text)
            if read is None and any(c.isdigit() for c in text):  # unprefixed after a label
                label = label or _label_before(words, i) or ("", "", -1)
                country = vocabulary.VAT_COUNTRY.get(label[1])
                read = normalise_vat(text, country) if country else None
            if read and (best is None or read[1] >= best[1][1]):
                best = (j, read)
        if best is None:
            i += 1
            continue
        label = label if label and label[2] >= 0 else _label_before(words, i)
        j, (number, valid, _) = best
        used = tuple(words[i:j])
        reading = FieldReading(number, word_confidence(used), used, not valid)
        cell = owner[label[2]] if label else owner[i]  # where the line starts
        out.append(FoundVat(reading, cell, bool(label and label[0] == "buyer")))
        i = j
    return out


def find_vat_ids(cells: Sequence[Cell], max_gap: float = 12.0) -> list[FoundVat]:
    """Every VAT id in the cells, in reading order, each with the cell its line starts in;
    cells of a row further apart than max_gap word heights are read apart."""
    rows: dict[tuple[int, int], list[Cell]] = {}
    for cell in cells:
        rows.setdefault((cell.page, cell.row), []).append(cell)
    out: list[FoundVat] = []
    for key in sorted(rows):
        row = sorted(rows[key], key=lambda c: c.left)
        groups: list[list[Cell]] = [[row[0]]]
        for cell in row[1:]:
            prev = groups[-1][-1]
            if cell.left - prev.right <= max_gap * prev.height:
                groups[-1].append(cell)
            else:
                groups.append([cell])
        for group in groups:
            out.extend(_row_ids(group))
    return out
