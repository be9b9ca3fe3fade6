"""Dates as invoices print them, in six languages, tolerant to OCR noise."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

# Month names and usual abbreviations (accents stripped, lower case) -> month number.
MONTHS: dict[str, int] = {}
for _month, _names in enumerate(
    (
        "january jan januar janvier janv gennaio genn gen enero ene januari",
        "february feb februar fevrier fevr fev febbraio febr febrero februari",
        "march mar marz maerz mrz mars marzo maart mrt",
        "april apr avril avr aprile abril abr",
        "may mai maggio mag mayo mei",
        "june jun juni juin giugno giu junio",
        "july jul juli juillet juil luglio lug julio",
        "august aug august aout agosto ago augustus",
        "september sep sept septembre settembre set septiembre septiem",
        "october oct oktober octobre ottobre ott octubre okt",
        "november nov novembre noviembre",
        "december dec dezember dez decembre dicembre dic diciembre",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS.setdefault(_name, _month)

_FULL_MONTHS = [m for m in MONTHS if len(m) >= 5]

# OCR confusions inside numbers.
_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1",
                            "i": "1", "|": "1", "S": "5", "s": "5", "B": "8", "Z": "2",
                            "z": "2"})
_D = r"[0-9OoDQlIi|SsBZz]"
_NUMERIC = re.compile(
    rf"(?<![0-9A-Za-z])({_D}{{1,2}})\s?([./\-])\s?({_D}{{1,2}})\s?\2\s?({_D}{{4}}|{_D}{{2}})"
    rf"(?![0-9A-Za-z])"
)
_ISO = re.compile(rf"(?<![0-9A-Za-z])({_D}{{4}})([./\-])({_D}{{1,2}})\2({_D}{{1,2}})(?![0-9A-Za-z])")
_WORDY = re.compile(
    r"(?<![0-9A-Za-z])(\d{1,2})(?:er|st|nd|rd|th|º|°)?\.?\s*(?:de\s+)?([^\W\d_]{3,12})\.?,?\s*"
    r"(?:de\s+|del\s+)?(\d{4})(?![0-9])"
)
_US_WORDY = re.compile(r"(?<![0-9A-Za-z])([^\W\d_]{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")


@dataclass(frozen=True)
class FoundDate:
    """A date found in a text, with where it was."""

    date: datetime.date
    start: int
    end: int


def _plain(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).lower()


def month_number(name: str) -> int | None:
    """Return the month (1-12) for a month name in any of the six languages, OCR-tolerant."""
    plain = _plain(name).strip(".")
    if plain in MONTHS:
        return MONTHS[plain]
    if len(plain) < 4:
        return None
    best = process.extractOne(plain, _FULL_MONTHS, scorer=fuzz.ratio, score_cutoff=80)
    return MONTHS[best[0]] if best else None


def _make(year: int, month: int, day: int) -> datetime.date | None:
    if year < 100:
        year += 2000
    if not 1990 <= year <= 2100:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _num(s: str) -> int:
    return int(s.translate(_DIGIT_FIX))


def find_dates(text: str) -> list[FoundDate]:
    """Find every date in a text, in order of appearance (day-first unless impossible)."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []

    def add(date: datetime.date | None, m: re.Match) -> None:
        if date is None or any(a < m.end() and m.start() < b for a, b in taken):
            return
        taken.append((m.start(), m.end()))
        found.append(FoundDate(date, m.start(), m.end()))

    for m in _ISO.finditer(text):
        add(_make(_num(m.group(1)), _num(m.group(3)), _num(m.group(4))), m)
    for m in _NUMERIC.finditer(text):
        a, b, y = _num(m.group(1)), _num(m.group(3)), _num(m.group(4))
        add(_make(y, b, a) or _make(y, a, b), m)
    for m in _WORDY.finditer(text):
        month = month_number(m.group(2))
        if month:
            add(_make(int(m.group(3)), month, int(m.group(1))), m)
    for m in _US_WORDY.finditer(text):
        month = month_number(m.group(1))
        if month:
            add(_make(int(m.group(3)), month, int(m.group(2))), m)
    return sorted(found, key=lambda f: f.start)


def first_date(text: str) -> FoundDate | None:
    """Return the first date in a text, None when there is none."""
    dates = find_dates(text)
    return dates[0] if dates else None
