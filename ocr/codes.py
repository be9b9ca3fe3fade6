"""Product codes and serial numbers on invoices: shapes, OCR repair, table columns.

Three ways in, all kept: a table column under a part/serial header, an inline 'S/N: value',
and (as a safety net) any Lenovo machine-type-model code anywhere plus serial-shaped
tokens on the rows that carry a part number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ocr.dates import find_dates
from ocr.labels import glued_label, match_label
from ocr.layout import Cell, word_confidence
from ocr.types import FieldReading, Word

EDGE = ":;,.#*()[]\"' -–|"

_FIX_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "T": "1",
                            "S": "5", "B": "8", "Z": "2"})
_FIX_LETTER = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z"})
_MTM = re.compile(r"^[0-9][0-9][0-9A-Z]{6}[A-Z]{2}$")


def lenovo_mtm(token: str) -> str | None:
    """Return a Lenovo machine-type-model code (10 chars, e.g. 11LN0004GE), OCR-repaired.

    Repairs by position: the first two and the 5th-8th characters are usually digits
    (O->0, I->1, S->5 ...), the last two are a country suffix (0->O ...).
    """
    t = token.strip(EDGE).upper()
    if len(t) != 10 or not t.isalnum() or not any(c.isdigit() for c in t):
        return None
    fixed = (t[:2].translate(_FIX_DIGIT) + t[2:4] + t[4:8].translate(_FIX_DIGIT)
             + t[8:].translate(_FIX_LETTER))
    if not _MTM.match(fixed):
        return None
    if sum(c.isalpha() for c in fixed) < 2 or sum(c.isdigit() for c in fixed) < 4:
        return None
    return fixed


def lenovo_mtm_fuzzy(token: str) -> str | None:
    """Like lenovo_mtm, also repairing an 11-character read with a doubled 0/O ('11LNO0004GE')."""
    t = token.strip(EDGE).upper()
    if len(t) == 11:
        for i in range(1, 11):
            if t[i] in "0O" and t[i - 1] in "0O" and (fixed := lenovo_mtm(t[:i] + t[i + 1:])):
                return fixed
        return None
    return lenovo_mtm(t)


def code_like(token: str) -> str | None:
    """Return a product code (upper case, Lenovo codes repaired) or None if token is not one."""
    t = token.strip(EDGE)
    if not 4 <= len(t) <= 24 or "," in t or find_dates(t):
        return None
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9\-/.]*[A-Za-z0-9]", t):
        return None
    digits, letters = sum(c.isdigit() for c in t), sum(c.isalpha() for c in t)
    if digits == 0 or (letters == 0 and digits < 6) or re.fullmatch(r"[\d.]+", t):
        return None
    if letters and not any(c.isupper() for c in t):
        return None
    return lenovo_mtm_fuzzy(t) or t.upper()


def serial_like(token: str) -> str | None:
    """Return a serial number (upper case) or None if token is not shaped like one."""
    t = token.strip(EDGE)
    if not 5 <= len(t) <= 24 or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9\-]*", t):
        return None
    letters = [c for c in t if c.isalpha()]
    if sum(c.islower() for c in letters) > len(letters) // 4 or find_dates(t):
        return None  # a word, not a serial (one OCR'd lower-case letter is tolerated)
    if any(c.isdigit() for c in t) or (len(t) == 8 and t.isalpha()):
        return t.upper()
    return None


Check = Callable[[str], "str | None"]


def column_values(header: Cell, cells: Sequence[Cell], check: Check) -> list[FieldReading]:
    """Read a left-aligned table column under its header, until the totals or its end."""
    out: list[FieldReading] = []
    tol = max(1.5 * header.height, 12)
    rows_after = sorted({c.row for c in cells if c.page == header.page and c.row > header.row})
    last_found = header.row
    for row in rows_after:
        row_cells = [c for c in cells if c.page == header.page and c.row == row]
        if any(match_label(c.words, ("totals",)) for c in row_cells) or row - last_found > 8:
            break
        aligned = [w for c in row_cells for w in c.words if abs(w.left - header.left) <= tol]
        if not aligned:
            continue
        value = check(aligned[0].text)
        if value:
            out.append(FieldReading(value, word_confidence(aligned[:1])))
            last_found = row
        elif aligned[0].text.strip(EDGE) in ("", "-", "–", "—"):
            continue  # 'no serial' placeholder
        elif out:
            break
    return out


def _wrapped(cell: Cell, word: Word, cells: Sequence[Cell]) -> Cell | None:
    """The cell right under word on the next row: the second line of a wrapped header."""
    for c in cells:
        if (c.page == cell.page and c.row == cell.row + 1
                and abs(c.left - word.left) <= word.height):
            return c
    return None


def labelled_codes(cells: Sequence[Cell]) -> tuple[list[FieldReading], list[FieldReading]]:
    """Part numbers and serials found by their labels: column headers and 'S/N: value'."""
    check: dict[str, Check] = {"part": code_like, "serial": serial_like}
    found: dict[str, list[FieldReading]] = {"part": [], "serial": []}
    fields = ("part", "serial")
    for cell in cells:
        words = cell.words
        for i, word in enumerate(words):
            header_row = cell.row
            hit = match_label(words[i:], fields)
            if hit is None and (lower := _wrapped(cell, word, cells)) is not None:
                hit = match_label(words[i:] + lower.words, fields)
                if hit and hit[1] > len(words) - i:
                    header_row = lower.row
                else:
                    hit = None
            if hit:
                label, used = hit[0], hit[1]
            elif (glued := glued_label(word, fields)) is not None:
                label, used = glued, 1
            else:
                continue
            rest = [w for w in words[i + used:] if w.text.strip(EDGE)] if hit else []
            value = check[label.field](rest[0].text) if rest and header_row == cell.row else None
            if value:  # 'S/N: PF3ABCDE' - an inline label and its value
                found[label.field].append(FieldReading(value, word_confidence(rest[:1])))
            else:  # a column header: read the column under it
                header = Cell(cell.page, header_row, (word,))
                found[label.field].extend(column_values(header, cells, check[label.field]))
    return found["part"], found["serial"]


def lenovo_codes(cells: Sequence[Cell]) -> list[FieldReading]:
    """Every Lenovo machine-type-model code on the pages, wherever it stands."""
    return [FieldReading(mtm, word_confidence([w]))
            for cell in cells for w in cell.words if (mtm := lenovo_mtm_fuzzy(w.text))]


def row_serials(cells: Sequence[Cell], parts: Sequence[FieldReading]) -> list[FieldReading]:
    """Serial-shaped tokens right of a part number on its table row (no serial header read)."""
    codes = {p.value.upper() for p in parts}
    out: list[FieldReading] = []
    rows: dict[tuple[int, int], list[Word]] = {}
    for cell in cells:
        rows.setdefault((cell.page, cell.row), []).extend(cell.words)
    for words in rows.values():
        anchor = next((i for i, w in enumerate(words) if (code_like(w.text) or "") in codes),
                      None)
        if anchor is None:
            continue
        for w in words[anchor + 1:]:
            value = serial_like(w.text)
            if (value and value not in codes and any(c.isalpha() for c in value)
                    and not lenovo_mtm_fuzzy(value)):
                out.append(FieldReading(value, word_confidence([w])))
    return out


def dedupe(readings: Sequence[FieldReading]) -> tuple[FieldReading, ...]:
    """One reading per value (case-insensitive), first-seen order, highest confidence."""
    best: dict[str, FieldReading] = {}
    for r in readings:
        key = r.value.upper()
        if key not in best:
            best[key] = r
        elif r.confidence > best[key].confidence:
            best[key] = FieldReading(best[key].value, r.confidence)
    return tuple(best.values())
