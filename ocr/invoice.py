"""Invoice fields from a reading: number, date, seller, buyer, VAT ids, line items.

Pure: words in, fields out. Labels are data (:mod:`ocr.invoice_labels`) found by fuzzy match
at the start of a cell (:mod:`ocr.labels`, :mod:`ocr.layout`); a value is read after its
label, to its right, or under it. When a label was not read, shape-based fallbacks apply
(title 'Rechnung RE-1', the letterhead, the window address, the earliest date). The parties
are read by :mod:`ocr.parties`, VAT ids by :mod:`ocr.vat`, the table by
:mod:`ocr.line_items`, codes by :mod:`ocr.codes`. Every value carries the mean confidence of
the words it came from (100 for a PDF text layer), those words, and whether it is doubtful.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from ocr import codes, layout, parties
from ocr import invoice_labels as vocabulary
from ocr.dates import DateOrder, date_order, find_dates
from ocr.labels import Label, is_label, match_label, normalise
from ocr.layout import Cell, word_confidence
from ocr.line_items import LineItem, TableSettings, read_line_items, serial_label_at
from ocr.parties import PartySettings, repair_legal_form
from ocr.types import DocumentReading, FieldReading, Word
from ocr.vat import find_vat_ids, normalise_vat

__all__ = ["ExtractionSettings", "FieldReading", "InvoiceFields", "LineItem",
           "extract_invoice_fields", "repair_legal_form"]


@dataclass(frozen=True)
class InvoiceFields:
    """The invoice fields the programme rules need; None / () when not found."""

    number: FieldReading | None
    date: FieldReading | None  # ISO 'YYYY-MM-DD'; doubtful when day and month may be swapped
    seller: FieldReading | None  # name as printed in the letterhead / issuer block
    buyer: FieldReading | None  # name in the customer / bill-to block
    part_numbers: tuple[FieldReading, ...]  # in order of appearance
    serials: tuple[FieldReading, ...]
    seller_vat: FieldReading | None = None  # compact ('DE136695976'); doubtful: check fails
    buyer_vat: FieldReading | None = None
    line_items: tuple[LineItem, ...] = ()


@dataclass(frozen=True)
class ExtractionSettings:
    """Every knob of invoice field extraction."""

    table: TableSettings = field(default_factory=TableSettings)
    parties: PartySettings = field(default_factory=PartySettings)
    header_fraction: float = 0.45  # number and date fallbacks look above this share of page 1


DEFAULT_SETTINGS = ExtractionSettings()


@dataclass(frozen=True)
class _Hit:
    label: Label
    cell: Cell
    used: int  # words of the cell the label took

    @property
    def rest(self) -> Cell | None:
        return self.cell.tail(self.used)


_EDGE = codes.EDGE


# --------------------------------------------------------------------------- value readers


_NUMBER_SIGN_READ = re.compile(r"[a-z]?n\.[29]", re.IGNORECASE)  # 'n.º' read as 'n.2' ('an.2': a speck before it)


def _number_token(word: Word) -> str | None:
    token = word.text.strip(_EDGE)
    if (len(token) >= 3 and any(c.isdigit() for c in token) and not find_dates(token)
            and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9\-/._]*", token) and not _NUMBER_SIGN_READ.fullmatch(token)):
        return token
    return None


_GROUP = re.compile(r"[^-/._ ]+")
_DIGIT_LOOK_ALIKES = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})


def _digit_groups_repaired(token: str) -> str:
    """An invoice number with the O and I that OCR read among a group's digits made digits
    ('RE-2O25-2606' for RE-2025-2606): a group of at least three digits and no other letter."""

    def repaired(group: re.Match[str]) -> str:
        text = group.group()
        fixed = text.translate(_DIGIT_LOOK_ALIKES)
        return fixed if fixed.isdigit() and sum(c.isdigit() for c in text) >= 3 else text

    return _GROUP.sub(repaired, token)


def _prefix(word: Word) -> bool:
    """A short upper-case series printed apart from the number ('RG 2025/6298')."""
    token = word.text.strip(_EDGE)
    return 1 <= len(token) <= 4 and token.isalpha() and token.isupper()


_NUMBER_JOINS = "-/"
_EDGE_BUT_JOINS = _EDGE.replace("-", "").replace("/", "")  # a separator at a number's end may join the next word


def _continued(token: str, word: Word, following: Sequence[Word]) -> tuple[str, list[Word]]:
    """A number OCR split at one of its separators ('2025-FV' '-2964') joined again."""
    used = [word]
    for nxt in following:
        text = nxt.text.rstrip(_EDGE_BUT_JOINS)
        gap = nxt.left - (used[-1].left + used[-1].width)
        if not (text[:1] in _NUMBER_JOINS or token[-1:] in _NUMBER_JOINS) or gap > nxt.height:
            break
        rest = text.lstrip(_NUMBER_JOINS) if token[-1:] in _NUMBER_JOINS else text
        if not re.fullmatch(r"[-/]?[A-Za-z0-9][A-Za-z0-9\-/]*", rest) or not any(c.isalnum() for c in rest):
            break
        token, used = token + rest, [*used, nxt]
    return token, used


def _number_value(cell: Cell) -> FieldReading | None:
    words = [w for w in cell.words if w.text.strip(_EDGE)]
    for i, w in enumerate(words[:2]):
        token = _number_token(w)
        if token is None:
            continue
        joined, used = _continued(w.text.strip(_EDGE_BUT_JOINS), w, words[i + 1:i + 3])
        token = joined if len(used) > 1 else token
        if i == 1 and _prefix(words[0]):
            token, used = f"{words[0].text.strip(_EDGE)} {token}", [words[0], *used]
        return FieldReading(token, word_confidence(used), tuple(used))
    return None


def _date_reader(order: DateOrder) -> Callable[[Cell], FieldReading | None]:
    def read(cell: Cell) -> FieldReading | None:
        found = find_dates(cell.text, order.day_first)
        if not found:
            return None
        first = found[0]
        used, pos = [], 0
        for w in cell.words:  # the words the date was read from
            if pos < first.end and pos + len(w.text) > first.start:
                used.append(w)
            pos += len(w.text) + 1
        words = tuple(used or cell.words)
        doubtful = first.swapped is not None and not order.settled
        return FieldReading(first.date.isoformat(), word_confidence(words), words, doubtful)
    return read


_PLACES = {  # where a label's value may stand, in the order they are tried
    "number": ("rest", "right", "below"),
    "date": ("rest", "right", "band", "below"),
    "buyer": ("rest", "below", "right"),
    "seller": ("rest", "below", "right"),
}


def _candidates(hit: _Hit, place: str, cells: Sequence[Cell]) -> list[Cell]:
    if place == "rest":
        return [hit.rest] if hit.rest else []
    if place == "right":
        right: list[Cell] = []
        cell: Cell | None = hit.cell
        while (len(right) < 3 and (cell := layout.right_of(cell, cells)) is not None
               and not is_label(cell.words)):
            right.append(cell)
        if not right:
            return []
        # the next cell (the one after too when the next is a speck), then all of them
        # together: a date printed in pieces ('21 de' 'mayo de 2025')
        first = right[:1] if sum(ch.isalnum() for ch in right[0].text) > 2 else right[:2]
        joined = Cell(hit.cell.page, hit.cell.row, tuple(w for c in right for w in c.words))
        return [*first, joined]
    if place == "band":
        band = layout.band_right_of(hit.cell, cells)
        return [band] if band else []
    return [c for c in layout.below(hit.cell, cells)[:2] if not is_label(c.words)]


def _labelled(hits: Sequence[_Hit], cells: Sequence[Cell],
              readers: dict[str, Callable[[Cell], FieldReading | None]]
              ) -> dict[str, FieldReading]:
    found: dict[str, FieldReading] = {}
    for name in ("number", "date", "buyer", "seller"):
        for hit in (h for h in hits if h.label.field == name):
            value = next((v for place in _PLACES[name]
                          for cell in _candidates(hit, place, cells) if (v := readers[name](cell))),
                         None)
            if value:
                found[name] = value
                break
    return found


# --------------------------------------------------------------------------- fallbacks

_INVOICE_NUMBER = re.compile(  # RE-2025-0815, 2025/1187, F2025-0931, 2025-FV-4528, A25/05984
    r"[A-Z0-9]{1,6}(?:[-/][A-Z0-9]{1,8}){1,3}|[A-Z]{1,4}\d{4,10}"
)


def _number_shaped(token: str, excluded: set[str]) -> bool:
    """Whether a token looks like an invoice number (and is no date, code or VAT id)."""
    return (5 <= len(token) <= 18 and sum(c.isdigit() for c in token) >= 3
            and bool(_INVOICE_NUMBER.fullmatch(token)) and token.upper() not in excluded
            and not find_dates(token) and normalise_vat(token) is None
            and codes.lenovo_mtm(token) is None)


def _shaped_number(cells: Sequence[Cell], page_height: float, excluded: set[str],
                   settings: ExtractionSettings) -> FieldReading | None:
    """The first word of a cell near the top shaped like an invoice number (RE-2025-0815);
    cells holding nothing else first."""
    top = [c for c in cells if c.page == 0 and c.top <= settings.header_fraction * page_height]
    for cell in sorted(top, key=lambda c: len(c.words) > 1):
        word = next((w for w in cell.words if w.text.strip(_EDGE)), None)
        if word is not None and _number_shaped(word.text.strip(_EDGE), excluded):
            return FieldReading(word.text.strip(_EDGE), word_confidence([word]), (word,))
    return None


def _earliest_date(cells: Sequence[Cell], hits: Sequence[_Hit],
                   read: Callable[[Cell], FieldReading | None]) -> FieldReading | None:
    """The earliest date on page 1 that is not the value of another label (due, delivery)."""
    excluded: set[tuple[int, int, int]] = set()
    for h in hits:
        if h.label.field == "other":
            near = [h.cell, layout.right_of(h.cell, cells), *layout.below(h.cell, cells)[:1]]
            excluded.update((c.page, c.row, c.left) for c in near if c is not None)
    dated = [v for c in cells if c.page == 0 and (c.page, c.row, c.left) not in excluded
             and (v := read(c))]
    return min(dated, key=lambda v: v.value, default=None)


# --------------------------------------------------------------------------- locale

_LANGUAGE_CODES = {"de": "de", "deu": "de", "ger": "de", "fr": "fr", "fra": "fr", "fre": "fr",
                   "en": "en", "eng": "en", "it": "it", "ita": "it", "es": "es", "spa": "es",
                   "nl": "nl", "nld": "nl", "dut": "nl"}
_LABEL_LANGUAGES: dict[str, set[str]] = {}
for _table in (vocabulary.NUMBER, vocabulary.DATE, vocabulary.BUYER, vocabulary.TITLE,
               vocabulary.PART, vocabulary.SERIAL, vocabulary.TOTALS, vocabulary.OTHER):
    for _lang, _labels in _table.items():
        for _label in _labels:
            _LABEL_LANGUAGES.setdefault(normalise(_label), set()).add(_lang)


def _locale(languages: Sequence[str], hits: Sequence[_Hit]) -> str | None:
    """The invoice's locale: the first of languages, else the language its labels are in."""
    for code in languages:
        if (lang := _LANGUAGE_CODES.get(code.strip().lower())) is not None:
            return lang
    votes = Counter(next(iter(langs)) for h in hits
                    if len(langs := _LABEL_LANGUAGES.get(h.label.norm, set())) == 1)
    return votes.most_common(1)[0][0] if votes else None


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


def _same_print(reading: FieldReading, others: Sequence[FieldReading]) -> bool:
    """Whether a reading was read from print another reading already covers (a serial its
    table line read with the line's shape in mind)."""
    def overlap(a: Word, b: Word) -> bool:
        return (min(a.left + a.width, b.left + b.width) > max(a.left, b.left)
                and abs(a.top - b.top) < max(a.height, b.height) / 2)
    return any(overlap(a, b) for o in others for a in reading.words for b in o.words)


def _loose_codes(
    cells: Sequence[Cell], settings: ExtractionSettings
) -> tuple[list[FieldReading], list[FieldReading]]:
    """Codes outside the table: Lenovo part numbers anywhere, serials after an 'S/N:' label."""
    serials = []
    for cell in cells:
        for i in range(len(cell.words)):
            used = serial_label_at(cell.words, i)
            rest = cell.words[i + used:] if used else ()
            if rest and (s := codes.read_serial(rest[0], None, settings.table.codes, expected=True)):
                serials.append(s)
    return codes.lenovo_codes([w for c in cells for w in c.words]), serials


def extract_invoice_fields(
    reading: DocumentReading, languages: Sequence[str] = (),
    settings: ExtractionSettings = DEFAULT_SETTINGS,
) -> InvoiceFields:
    """Read the invoice fields from a document reading.

    Labels of all six languages are always tried (a partner may send an invoice in another
    language than its own); ``languages`` (ISO 639-1 or tesseract codes, the invoice's
    locale first) decides the day/month order of numeric dates when the page does not.
    """
    cells, page_height = _cells(reading)
    hits = [_Hit(m[0], c, m[1]) for c in cells if (m := match_label(c.words))]
    order = date_order((d for c in cells for d in find_dates(c.text)), _locale(languages, hits))
    read_date = _date_reader(order)
    readers = {"number": _number_value, "date": read_date,
               "buyer": lambda c: parties.read_name(c, cells, settings=settings.parties),
               "seller": lambda c: parties.read_name(c, cells, False, settings.parties)}
    found = _labelled(hits, cells, readers)
    items = read_line_items(cells, settings.table)
    if "number" not in found:
        titled = (_number_value(h.rest) for h in hits if h.label.field == "title" and h.rest)
        number = next((v for v in titled if v), None) or _shaped_number(
            cells, page_height, {p.value for i in items if (p := i.part_number)}, settings)
        if number:
            found["number"] = number
    if number := found.get("number"):  # however it was found, its digit groups repaired once
        found["number"] = replace(number, value=_digit_groups_repaired(number.value))
    if "date" not in found and (date := _earliest_date(cells, hits, read_date)):
        found["date"] = date
    buyer = found.get("buyer")
    seller = parties.choose_seller(
        [r for r in (found.get("seller"),
                     parties.letterhead_seller(cells, page_height, buyer and buyer.value,
                                               settings.parties)) if r]
        + parties.name_lines(cells, page_height, settings.parties),
        buyer and buyer.value, settings.parties)
    if buyer is None:
        buyer = parties.window_address_buyer(cells, page_height, seller and seller.value,
                                             settings.parties) or \
            parties.named_company_buyer(cells, page_height, seller and seller.value, settings.parties)
    seller_vat, buyer_vat = parties.assign_vat_ids(find_vat_ids(cells), buyer,
                                                   settings.parties)
    loose_parts, loose_serials = _loose_codes(cells, settings)
    parts = [i.part_number for i in items if i.part_number] + loose_parts
    in_items = [s for i in items for s in i.serials]
    serials = in_items + [s for s in loose_serials if not _same_print(s, in_items)]
    return InvoiceFields(
        number=found.get("number"),
        date=found.get("date"),
        seller=seller,
        buyer=buyer,
        part_numbers=codes.dedupe(parts),
        serials=codes.dedupe(serials),
        seller_vat=seller_vat,
        buyer_vat=buyer_vat,
        line_items=tuple(items),
    )
