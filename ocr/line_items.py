"""Line items from the invoice table: columns from the header (or from the rows' alignment
when the header was not read), one item per row that carries a part number, a position or
an amount, and the rows under it (wrapped descriptions, serial lists, 'S/N: ...' lines).

Pure: cells in (:mod:`ocr.layout`), items out. Part numbers and serials are read by
:mod:`ocr.codes`; a serial on the line of a Lenovo product must have the Lenovo shape.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from ocr import codes
from ocr import invoice_labels as vocabulary
from ocr.labels import match_label
from ocr.layout import Cell
from ocr.terms import match_term, terms_of
from ocr.types import FieldReading, Word

__all__ = ["Column", "LineItem", "TableSettings", "is_money", "read_line_items", "serial_label_at"]


@dataclass(frozen=True)
class LineItem:
    """One line of the invoice table."""

    part_number: FieldReading | None
    description: str
    quantity: int | None
    serials: tuple[FieldReading, ...]


@dataclass(frozen=True)
class TableSettings:
    """Geometry of table reading, in word heights."""

    column_tolerance: float = 1.6  # a value may start this far left of its column's header
    same_row: float = 0.8  # two start rows closer than this are one item (a row split by OCR)
    max_gap: float = 6.0  # rows further below the last item row end the table
    header_wrap: float = 2.5  # a header's second line starts within this under its first
    min_header_columns: int = 3  # distinct column labels a header row needs
    min_row_height: float = 0.4  # rows lower than this x the table's median row are specks
    split_serial_gap: float = 0.8  # two parts of a serial OCR split stand at most this far apart
    codes: codes.CodeSettings = codes.CodeSettings()


@dataclass(frozen=True)
class Column:
    """A column of the table: its field and where its header (or first value) stands."""

    field: str  # pos, part, description, serial, qty, unit, amount
    left: int
    right: int


_COLUMN_TERMS = terms_of(vocabulary.COLUMNS)
_RIGHT_ALIGNED = ("qty", "unit", "amount")
_MONEY = re.compile(r"^[€£$]?-?\d{1,3}(?:[.,'’\u202f]\d{3})*[.,]\d{2}(?:€|£|\$|EUR|GBP)?$")
_INTEGER = re.compile(r"^\d{1,4}$")
_SPLIT = re.compile(r"[,;/]+")
_GLUED_LABELS = re.compile(r"['’‘|\"]+")  # a table rule or a speck read between two header labels
_SERIAL_INITIALS = frozenset(
    label.strip(codes.EDGE)[:1].lower() for labels in vocabulary.SERIAL.values() for label in labels)


@dataclass
class _Row:
    page: int
    index: int
    words: list[Word]
    cells: list[Cell]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def centre(self) -> float:
        return median(w.top + w.height / 2 for w in self.words)

    @property
    def height(self) -> float:
        return float(median(w.height for w in self.words))


def _rows(cells: Sequence[Cell]) -> list[_Row]:
    rows: dict[tuple[int, int], _Row] = {}
    for cell in cells:
        row = rows.setdefault((cell.page, cell.row), _Row(cell.page, cell.row, [], []))
        row.words.extend(cell.words)
        row.cells.append(cell)
    for row in rows.values():
        row.words.sort(key=lambda w: w.left)
        row.cells.sort(key=lambda c: c.left)
    return [rows[k] for k in sorted(rows)]


def is_money(text: str) -> bool:
    """Tell whether a token is an amount with two decimals ('1.299,00', '£999.00', '013,00')."""
    return bool(_MONEY.match(text.strip("()")))


def _has_money(row: _Row) -> bool:
    return any(is_money(w.text) for w in row.words)


def _header_columns(row: _Row) -> list[Column]:
    """The column labels of a row, left to right (empty when it is not a header row)."""
    found: list[Column] = []
    words = _split_at(row.words, _GLUED_LABELS)
    i = 0
    while i < len(words):
        m = match_term(words[i:], _COLUMN_TERMS)
        if m is None:
            i += 1
            continue
        used = [w for w in words[i:i + m.used] if any(c.isalnum() for c in w.text)] or [words[i]]
        found.append(Column(m.term.field, used[0].left, max(w.left + w.width for w in used)))
        i += m.used
    fields = {c.field for c in found}
    return found if fields & {"part", "description", "serial"} else []


def _is_totals(row: _Row) -> bool:
    """Whether a row holds a totals label (at the start of one of its cells, after a speck)."""
    for cell in row.cells:
        for i in range(min(2, len(cell.words))):
            if match_label(cell.words[i:], ("totals",)):
                return True
    return False


def _with_wrapped(row: _Row, below: _Row | None, tol: float, settings: TableSettings) -> _Row:
    """The header row with a wrapped second header line ('Numero di' / 'serie') merged in:
    each lower word goes after the last header word of the column it stands under."""
    if below is None or below.top - row.top > settings.header_wrap * row.height or any(
            c.isdigit() for w in below.words for c in w.text):
        return row
    words = list(row.words)
    for low in below.words:
        owners = [i for i, w in enumerate(words) if w.left - tol <= low.left]
        if not owners:
            continue
        at = owners[-1]
        while at + 1 < len(words) and words[at + 1].left - (words[at].left + words[at].width) \
                < tol and words[at + 1].top <= row.top + row.height:
            at += 1  # the end of that header cell
        words.insert(at + 1, low)
    return _Row(row.page, row.index, words, row.cells)


def _find_header(rows: Sequence[_Row], settings: TableSettings) -> tuple[int, list[Column]]:
    """(index of the last header row, columns), or (-1, []) when no header row was read."""
    for i, row in enumerate(rows):
        columns = _header_columns(row)
        if not columns:
            continue
        below = rows[i + 1] if i + 1 < len(rows) else None
        merged = _header_columns(
            _with_wrapped(row, below, settings.column_tolerance * row.height, settings))
        if len({c.field for c in merged}) > len({c.field for c in columns}):
            columns, i = merged, i + 1
        if len({c.field for c in columns}) >= settings.min_header_columns:
            return i, columns
    return -1, []


def _starts_with_code(row: _Row) -> bool:
    """Whether a row begins (after a position number) with a code: an item row."""
    words = [w for w in row.words if w.text.strip(codes.EDGE)]
    if len(words) > 1 and _INTEGER.match(words[0].text.strip(codes.EDGE)):
        words = words[1:]
    if not words:
        return False
    text = words[0].text.strip(codes.EDGE)
    return codes.column_code(text) is not None and (any(c.isdigit() for c in text)
                                                    or text.isupper())


def _infer_columns(start: _Row) -> list[Column]:
    """Columns read off an item row when no header was read: [pos] part description, then
    a serial, a quantity and amounts, each in its own cell."""
    cells = [c for c in start.cells if c.text.strip(codes.EDGE)]
    columns: list[Column] = []
    if len(cells) > 1 and _INTEGER.match(cells[0].words[0].text.strip(codes.EDGE)) and len(
            cells[0].words) == 1:
        columns.append(Column("pos", cells[0].left, cells[0].right))
        cells = cells[1:]
    if not cells:
        return columns
    part = cells[0].words[0]
    columns.append(Column("part", part.left, part.left + part.width))
    rest = [c for c in ([cells[0].tail(1)] if len(cells[0].words) > 1 else []) + cells[1:] if c]
    money = 0
    for i, cell in enumerate(rest):
        text = cell.text.strip(codes.EDGE)
        if i == 0:
            columns.append(Column("description", cell.left, cell.right))
        elif any(is_money(w.text) for w in cell.words):
            columns.append(Column(("unit", "amount")[min(money, 1)], cell.left, cell.right))
            money += 1
        elif _INTEGER.match(text):
            columns.append(Column("qty", cell.left, cell.right))
        elif len(cell.words) == 1 and codes.serial_like(text):
            columns.append(Column("serial", cell.left, cell.right))
    return columns


@dataclass
class _Item:
    rows: list[_Row]


def _group_items(rows: Sequence[_Row], columns: Sequence[Column],
                 settings: TableSettings) -> list[_Item]:
    part = next((c for c in columns if c.field == "part"), None)
    pos = next((c for c in columns if c.field == "pos"), None)
    items: list[_Item] = []
    last_bottom: float | None = None
    typical = median(r.height for r in rows) if rows else 0.0
    for row in rows:
        if row.height < settings.min_row_height * typical:
            continue  # a speck read as a word ('bees', 2 px tall): neither an item nor a gap
        h = row.height
        if _is_totals(row) and not (part and _word_at(row, part, h, settings)):
            break
        if last_bottom is not None and row.top - last_bottom > settings.max_gap * h:
            break
        tol = settings.column_tolerance * h
        starts = (_has_money(row)
                  or (part is not None and _word_at(row, part, h, settings) is not None)
                  or (pos is not None and any(_INTEGER.match(w.text) and abs(w.left - pos.left)
                                              <= tol for w in row.words)))
        if starts and items and abs(row.centre - items[-1].rows[-1].centre) < settings.same_row * h:
            starts = False  # the same printed row, split by the reader
        if starts:
            items.append(_Item([row]))
        elif items:
            items[-1].rows.append(row)
        else:
            continue
        last_bottom = max(w.top + w.height for w in row.words)
    return items


def _word_at(row: _Row, column: Column, h: float, settings: TableSettings) -> Word | None:
    """The first code-like word of row that starts at column's left edge."""
    tol = settings.column_tolerance * h
    for i, w in enumerate(row.words):
        if (abs(w.left - column.left) <= tol and codes.column_code(w.text)
                and not serial_label_at(row.words, i)):
            return w
    return next((u for w in row.words if (u := _unglued(w, column, tol))), None)


def _unglued(word: Word, column: Column, tol: float) -> Word | None:
    """A code glued to the one-digit position number before it ('4952-000040' for '4'
    '952-000040'): the word starts in a column left of the code's and reaches into it."""
    text = word.text
    if (len(text) < 4 or word.left >= column.left - tol or word.left + word.width <= column.left
            or not text[0].isdigit() or not codes.column_code(text[1:])):
        return None
    return Word(text[1:], word.confidence, column.left, word.top, word.left + word.width - column.left,
                word.height, word.line)


def _joined(row: _Row, word: Word) -> Word:
    """A code the reader split at its hyphens ('SVC-' 'INSTALL', 'SERV' '-' 'INST') as one
    word."""
    words = row.words
    end = word.left + word.width
    i = next((k for k, w in enumerate(words) if w.left + w.width == end and w.top == word.top), None)
    if i is None:
        return word
    while i + 1 < len(words):
        nxt = words[i + 1]
        gap = nxt.left - (word.left + word.width)
        if not (word.text.endswith("-") or nxt.text.startswith("-")) or gap >= word.height:
            break
        word = Word(word.text + nxt.text, min(word.confidence, nxt.confidence), word.left,
                    min(word.top, nxt.top), nxt.left + nxt.width - word.left,
                    max(word.height, nxt.height), word.line)
        i += 1
    return word


def _column_of(word: Word, columns: Sequence[Column], tol: float) -> str | None:
    if is_money(word.text) or _INTEGER.match(word.text.strip(codes.EDGE)):
        right = [c for c in columns if c.field in _RIGHT_ALIGNED]
        near = min(right, key=lambda c: abs(c.right - (word.left + word.width)), default=None)
        if near is not None and abs(near.right - (word.left + word.width)) <= 2 * tol:
            return near.field
    left = [c for c in columns if c.left <= word.left + tol]
    return max(left, key=lambda c: c.left).field if left else None


def serial_label_at(words: Sequence[Word], i: int) -> int:
    """Words a serial label takes at words[i] ('S/N:', 'N° de série'), 0 when none starts
    there; a short label must be upper case ('s/n' is Spanish 'sin número')."""
    first = words[i].text.strip(codes.EDGE)[:1].lower()
    if first not in _SERIAL_INITIALS:
        return 0
    hit = match_label(words[i:], ("serial",))
    if hit is None or (len(hit[0].norm) <= 3 and not any(c.isupper() for c in words[i].text)):
        return 0
    return hit[1]


def _serial_runs(words: Sequence[Word]) -> tuple[list[Word], list[Word]]:
    """Split a row's words into (words after an 'S/N:' label, the other words)."""
    labelled: list[Word] = []
    other: list[Word] = []
    i = 0
    while i < len(words):
        used = serial_label_at(words, i)
        if used:
            j = i + used
            while j < len(words) and (codes.listed_serial(words[j].text) or words[j].text in ",;:"):
                labelled.append(words[j])
                j += 1
            i = j
            continue
        other.append(words[i])
        i += 1
    return labelled, other


def _rejoined(words: Sequence[Word], settings: TableSettings) -> list[Word]:
    """Neighbouring words of one row that make one serial together and neither alone ('PWKY
    IKKP': OCR split a serial at a narrow glyph) joined into one word."""
    out: list[Word] = []
    for w in words:
        last = out[-1] if out else None
        if (last is not None and not last.text.endswith((",", ";"))
                and w.left - (last.left + last.width) <= settings.split_serial_gap * max(last.height, w.height)
                and not codes.serial_like(last.text) and not codes.serial_like(w.text)
                and codes.serial_like(last.text + w.text)):
            out[-1] = Word(last.text + w.text, min(last.confidence, w.confidence), last.left, min(last.top, w.top),
                           w.left + w.width - last.left, max(last.height, w.height), last.line)
        else:
            out.append(w)
    return out


def _split_words(words: Sequence[Word]) -> list[Word]:
    """Words holding several serials ('PF3ABCDE,PF3ABCDF') split at the commas."""
    return _split_at(words, _SPLIT)


def _split_at(words: Sequence[Word], separators: re.Pattern[str]) -> list[Word]:
    """Words split where separators stand inside them ('PF3ABCDE,PF3ABCDF', a header's
    "Seriennummer'Menge"), each part's box in proportion to its letters."""
    out: list[Word] = []
    for w in words:
        parts = [p for p in separators.split(w.text) if p.strip(codes.EDGE)]
        if len(parts) <= 1:
            out.append(w)
            continue
        step = w.width / max(len(w.text), 1)
        pos = 0
        for p in parts:
            start = w.text.index(p, pos)
            out.append(Word(p, w.confidence, round(w.left + start * step), w.top,
                            round(len(p) * step), w.height, w.line))
            pos = start + len(p)
    return out


def _read_item(item: _Item, columns: Sequence[Column], settings: TableSettings) -> LineItem:
    first = item.rows[0]
    h = first.height
    tol = settings.column_tolerance * h
    part_col = next((c for c in columns if c.field == "part"), None)
    part_word = _word_at(first, part_col, h, settings) if part_col else None
    part = codes.read_part(_joined(first, part_word), settings.codes) if part_word else None
    lenovo = None if part is None else codes.fit_shape(part.value, codes.LENOVO_MTM) is not None
    description: list[str] = []
    serial_words: list[Word] = []
    for row in item.rows:
        labelled, rest = _serial_runs(row.words)
        serial_words.extend(_rejoined(labelled, settings))
        in_column = []
        for w in rest:
            if w is part_word:
                continue
            field = _column_of(w, columns, tol)
            if field == "serial":
                in_column.append(w)
            elif field == "description":
                description.append(w.text)
        serial_words.extend(_rejoined(in_column, settings))
    serials = [s for w in _split_words(serial_words)
               if (s := codes.read_serial(w, lenovo, settings.codes, expected=True))]
    return LineItem(part, " ".join(description), _quantity(first, columns, tol), tuple(serials))


_ONE = str.maketrans({"l": "1", "I": "1", "|": "1", "i": "1", "]": "1", "!": "1", "O": "0",
                      "o": "0"})


def _quantity(row: _Row, columns: Sequence[Column], tol: float) -> int | None:
    """The quantity on an item's first row: the whole number standing in the quantity column
    (a 1 read as l, I or |), not the first group of a split amount ('1 013,00')."""
    qty = next((c for c in columns if c.field == "qty"), None)
    if qty is None:
        return None
    words = row.words
    for i, w in enumerate(words):
        right = w.left + w.width
        if abs(right - qty.right) > tol and not (qty.left - tol <= w.left and right <= qty.right + tol):
            continue
        nxt = words[i + 1] if i + 1 < len(words) else None
        if nxt is not None and is_money(nxt.text) and nxt.left - right < 0.6 * w.height:
            continue  # the thousands of an amount
        text = w.text.strip(codes.EDGE).translate(_ONE)
        if _INTEGER.match(text) and int(text) > 0:
            return int(text)
    return None


def _page_items(rows: Sequence[_Row], settings: TableSettings) -> list[LineItem]:
    at, columns = _find_header(rows, settings)  # at: the header's last row
    body = list(rows[at + 1:]) if at >= 0 else []
    if at < 0:
        first = next((i for i, r in enumerate(rows) if _has_money(r) and _starts_with_code(r)
                      and not _is_totals(r)), None)
        if first is None:
            return []
        body = list(rows[first:])
        columns = _infer_columns(rows[first])
    elif not any(c.field == "part" for c in columns):
        start = next((r for r in body if _has_money(r) and _starts_with_code(r)), None)
        inferred = _infer_columns(start) if start else []
        columns = sorted([*columns, *(c for c in inferred if c.field == "part")],
                         key=lambda c: c.left)
    items = [_read_item(item, columns, settings) for item in _group_items(body, columns, settings)]
    return [it for it in items if it.part_number or it.quantity is not None or it.serials]


def read_line_items(cells: Sequence[Cell], settings: TableSettings = TableSettings()
                    ) -> list[LineItem]:
    """The line items of every page's table, top to bottom."""
    rows = _rows(cells)
    items: list[LineItem] = []
    for page in sorted({r.page for r in rows}):
        items.extend(_page_items([r for r in rows if r.page == page], settings))
    return items
