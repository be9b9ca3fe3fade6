"""Invoice fields (number, date, seller, buyer, part numbers, serials) from a reading.

Pure: words in, fields out. Labels are data (:mod:`ocr.invoice_labels`) found by fuzzy match
at the start of a cell (:mod:`ocr.labels`, :mod:`ocr.layout`); a value is read after its
label, to its right, or under it. When a label was not read, a few shape-based fallbacks
apply (title 'Rechnung RE-1', the window address, the earliest date). Every value carries
the mean confidence of the words it came from (100 for a PDF text layer).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import median

from rapidfuzz import fuzz

from ocr import codes, layout
from ocr import invoice_labels as vocabulary
from ocr.dates import find_dates
from ocr.labels import Label, is_label, match_label, normalise
from ocr.layout import Cell, word_confidence
from ocr.line_items import LineItem, TableSettings, read_line_items, serial_label_at
from ocr.types import DocumentReading, FieldReading

__all__ = ["ExtractionSettings", "FieldReading", "InvoiceFields", "LineItem",
           "extract_invoice_fields"]


@dataclass(frozen=True)
class InvoiceFields:
    """The invoice fields the programme rules need; None / () when not found."""

    number: FieldReading | None
    date: FieldReading | None  # ISO 'YYYY-MM-DD'
    seller: FieldReading | None  # name as printed in the letterhead / issuer block
    buyer: FieldReading | None  # name in the customer / bill-to block
    part_numbers: tuple[FieldReading, ...]  # in order of appearance
    serials: tuple[FieldReading, ...]
    seller_vat: FieldReading | None = None  # compact VAT id ('DE136695976')
    buyer_vat: FieldReading | None = None
    line_items: tuple[LineItem, ...] = ()


@dataclass(frozen=True)
class ExtractionSettings:
    """Every knob of invoice field extraction."""

    table: TableSettings = TableSettings()


@dataclass(frozen=True)
class _Hit:
    label: Label
    cell: Cell
    used: int  # words of the cell the label took

    @property
    def rest(self) -> Cell | None:
        return self.cell.tail(self.used)


_EDGE = codes.EDGE
_NAME_EDGE = _EDGE.replace(".", "")  # a name keeps its final dot (S.r.l., B.V.)
_TOP_FRACTION = 0.45  # header fields are looked for in this top part of the first page


# --------------------------------------------------------------------------- value readers


def _number_value(cell: Cell) -> FieldReading | None:
    for w in cell.words[:2]:
        token = w.text.strip(_EDGE)
        if (len(token) >= 3 and any(c.isdigit() for c in token) and not find_dates(token)
                and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9\-/._]*", token)):
            return FieldReading(token, word_confidence([w]))
    return None


def _date_value(cell: Cell) -> FieldReading | None:
    found = find_dates(cell.text)
    if not found:
        return None
    first = found[0]
    used, pos = [], 0
    for w in cell.words:  # the words the date was read from
        if pos < first.end and pos + len(w.text) > first.start:
            used.append(w)
        pos += len(w.text) + 1
    return FieldReading(first.date.isoformat(), word_confidence(used or cell.words))


_LEGAL_SPELLING = {f.replace(".", "").lower(): f for f in vocabulary.LEGAL_FORM_SPELLINGS}


def repair_legal_form(name: str) -> str:
    """Fix one OCR slip in a name's final legal form ('Water pic' -> 'Water plc', 'GmhH')."""
    head, _, last = name.rpartition(" ")
    key = last.replace(".", "").lower()
    if not head or len(key) < 3 or key in _LEGAL_SPELLING:
        return name
    for plain, spelling in _LEGAL_SPELLING.items():
        if len(plain) == len(key) and sum(a != b for a, b in zip(plain, key, strict=True)) == 1:
            return f"{head} {spelling}"
    return name


def _name_value(cell: Cell) -> FieldReading | None:
    words = [w for w in cell.words if w.text.strip(_EDGE)]
    text = repair_legal_form(" ".join(w.text for w in words).strip(_NAME_EDGE))
    letters = sum(c.isalpha() for c in text)
    if letters < 3 or letters < len(text) / 2 or "@" in text or is_label(cell.words):
        return None
    return FieldReading(text, word_confidence(words))


_Reader = Callable[[Cell], "FieldReading | None"]
_READERS: dict[str, _Reader] = {"number": _number_value, "date": _date_value,
                                "buyer": _name_value, "seller": _name_value}
_PLACES = {  # where a label's value may stand, in the order they are tried
    "number": ("rest", "right", "below"),
    "date": ("rest", "right", "below"),
    "buyer": ("rest", "below", "right"),
    "seller": ("rest", "below", "right"),
}


def _extend_name(cell: Cell, cells: Sequence[Cell]) -> Cell:
    """Join the next cell of the row when it is close: a name split at an OCR'd speck."""
    nxt = layout.right_of(cell, cells)
    if nxt is not None and nxt.left - cell.right <= 4 * cell.height and not is_label(nxt.words):
        return Cell(cell.page, cell.row, cell.words + nxt.words)
    return cell


def _candidates(hit: _Hit, place: str, cells: Sequence[Cell]) -> list[Cell]:
    if place == "rest":
        return [hit.rest] if hit.rest else []
    if place == "right":
        right = layout.right_of(hit.cell, cells)
        return [right] if right and not is_label(right.words) else []
    return [c for c in layout.below(hit.cell, cells)[:2] if not is_label(c.words)]


def _value_for(hit: _Hit, cells: Sequence[Cell]) -> FieldReading | None:
    read = _READERS[hit.label.field]
    for place in _PLACES[hit.label.field]:
        for cell in _candidates(hit, place, cells):
            value = read(_extend_name(cell, cells) if read is _name_value else cell)
            if value:
                return value
    return None


# --------------------------------------------------------------------------- fallbacks

_POSTCODE = re.compile(  # '70173 Stuttgart', '..., 47300' (city below), '1015 AA', 'M2 4LQ'
    r"(?:^|\s)\d{4,5}(?:\s+[^\W\d_]{2,}|$)|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"
)
_INVOICE_NUMBER = re.compile(
    r"(?:[A-Z]{1,4}[-/ ]?)?(?:19|20)\d{2}[-/]\d{2,7}|[A-Z]{1,4}-?\d{3,7}(?:[-/]\d{1,7})*"
)


def _legal_form(text: str) -> bool:
    """Tell whether a name carries a legal form (GmbH, S.r.l., 'S. r. l.', B.V., plc ...)."""
    tokens = [re.sub(r"[^a-z]", "", t) for t in text.lower().split()]
    if any(t in vocabulary.LEGAL_FORMS for t in tokens):
        return True
    tail = ""
    for t in reversed(tokens):  # 'S. r. l.' spelt with spaces
        if len(t) != 1:
            break
        tail = t + tail
    return tail in vocabulary.LEGAL_FORMS


def _similar(a: str, b: str | None, cutoff: float) -> bool:
    return b is not None and fuzz.ratio(normalise(a), normalise(b)) >= cutoff


def _letterhead_seller(
    cells: Sequence[Cell], page_height: float, buyer: str | None
) -> FieldReading | None:
    """The most prominent company-like line at the top of page 1: a name with a legal form
    or in print clearly larger than the body text, the largest first."""
    first = [c.height for c in cells if c.page == 0]
    body = median(first) if first else 0.0
    best: tuple[float, Cell] | None = None
    for cell in cells:
        if cell.page != 0 or cell.top > 0.35 * page_height:
            continue
        text = repair_legal_form(cell.text.strip(_NAME_EDGE))
        letters = sum(ch.isalpha() for ch in text)
        if (letters < 4 or "@" in text or "www" in text.lower() or is_label(cell.words)
                or sum(ch.isdigit() for ch in text) > letters / 2 or _similar(text, buyer, 85)):
            continue
        legal = _legal_form(text)
        if not legal and cell.height < 1.3 * body:
            continue
        score = cell.height * (1.6 if legal else 1.0)
        score *= 1.2 if cell.top <= 0.15 * page_height else 1.0
        if best is None or score > best[0]:
            best = (score, cell)
    if best is None:
        return None
    text = re.split(r"\s[·|•]\s|\s-\s", best[1].text)[0].strip(_NAME_EDGE)
    return FieldReading(repair_legal_form(text), word_confidence(best[1].words))


def _window_address_buyer(
    cells: Sequence[Cell], page_height: float, seller: str | None
) -> FieldReading | None:
    """The name line over a postcode line, not the seller's: the customer's window address."""
    top = [c for c in cells if c.page == 0 and c.top <= _TOP_FRACTION * page_height]
    for address in top:
        if (not _POSTCODE.search(address.text) or "@" in address.text
                or "+" in address.text or is_label(address.words)):
            continue  # not an address line (phone, e-mail, labelled line)
        for above in sorted(top, key=lambda c: -c.row):
            if (not address.row - 2 <= above.row < address.row
                    or abs(above.left - address.left) > 1.5 * address.height
                    or _POSTCODE.search(above.text) or "·" in above.text
                    or above.text[:1].isdigit()):
                continue
            value = _name_value(above)
            if value is None or _similar(value.value, seller, 80):
                break
            return value
    return None


def _shaped_number(cells: Sequence[Cell], page_height: float) -> FieldReading | None:
    """A cell near the top holding only an invoice-number-shaped token (RE-2025-0815)."""
    for cell in cells:
        if cell.page != 0 or cell.top > _TOP_FRACTION * page_height or len(cell.words) != 1:
            continue
        token = cell.words[0].text.strip(_EDGE)
        if _INVOICE_NUMBER.fullmatch(token) and not find_dates(token):
            return FieldReading(token, word_confidence(cell.words))
    return None


def _earliest_date(cells: Sequence[Cell], hits: Sequence[_Hit]) -> FieldReading | None:
    """The earliest date on page 1 that is not the value of another label (due, delivery)."""
    excluded: set[tuple[int, int, int]] = set()
    for h in hits:
        if h.label.field == "other":
            near = [h.cell, layout.right_of(h.cell, cells), *layout.below(h.cell, cells)[:1]]
            excluded.update((c.page, c.row, c.left) for c in near if c is not None)
    dated = [v for c in cells if c.page == 0 and (c.page, c.row, c.left) not in excluded
             and (v := _date_value(c))]
    return min(dated, key=lambda v: v.value, default=None)


# --------------------------------------------------------------------------- entry point


def _cells(reading: DocumentReading) -> tuple[list[Cell], float]:
    cells: list[Cell] = []
    height = 0.0
    for page in reading.pages:
        words = layout.split_colons(page.words)
        cells.extend(layout.cells(page.index, words))
        if page.index == 0:
            height = page.metric("page_height_px") or max(
                (w.top + w.height for w in words), default=0)
    return cells, float(height)


def _labelled(hits: Sequence[_Hit], cells: Sequence[Cell]) -> dict[str, FieldReading]:
    found: dict[str, FieldReading] = {}
    for field in ("number", "date", "buyer", "seller"):
        for hit in hits:
            if hit.label.field == field and (value := _value_for(hit, cells)):
                found[field] = value
                break
    return found


def extract_invoice_fields(
    reading: DocumentReading, languages: Sequence[str] = (),
    settings: ExtractionSettings = ExtractionSettings(),
) -> InvoiceFields:
    """Read the invoice fields from a document reading.

    Labels of all six languages are always tried (a partner may send an invoice in another
    language than its own); ``languages`` is accepted for the API and restricts nothing.
    """
    cells, page_height = _cells(reading)
    hits = [_Hit(m[0], c, m[1]) for c in cells if (m := match_label(c.words))]
    found = _labelled(hits, cells)
    if "number" not in found:
        titled = (_number_value(h.rest) for h in hits if h.label.field == "title" and h.rest)
        number = next((v for v in titled if v), None) or _shaped_number(cells, page_height)
        if number:
            found["number"] = number
    if "date" not in found and (date := _earliest_date(cells, hits)):
        found["date"] = date
    buyer_name = found["buyer"].value if "buyer" in found else None
    if "seller" not in found and (seller := _letterhead_seller(cells, page_height, buyer_name)):
        found["seller"] = seller
    seller_name = found["seller"].value if "seller" in found else None
    if "buyer" not in found and (
        buyer := _window_address_buyer(cells, page_height, seller_name)
    ):
        found["buyer"] = buyer
    items = read_line_items(cells, settings.table)
    loose_parts, loose_serials = _loose_codes(cells, settings)
    parts = [i.part_number for i in items if i.part_number] + loose_parts
    serials = [s for i in items for s in i.serials] + loose_serials
    return InvoiceFields(
        number=found.get("number"),
        date=found.get("date"),
        seller=found.get("seller"),
        buyer=found.get("buyer"),
        part_numbers=codes.dedupe(parts),
        serials=codes.dedupe(serials),
        line_items=tuple(items),
    )


def _loose_codes(
    cells: Sequence[Cell], settings: ExtractionSettings
) -> tuple[list[FieldReading], list[FieldReading]]:
    """Codes outside the table: Lenovo part numbers anywhere, serials after an 'S/N:' label."""
    words = [w for c in cells for w in c.words]
    serials = []
    for cell in cells:
        for i in range(len(cell.words)):
            used = serial_label_at(cell.words, i)
            rest = cell.words[i + used:] if used else ()
            if rest and (s := codes.read_serial(rest[0], None, settings.table.codes)):
                serials.append(s)
    return codes.lenovo_codes(words), serials
