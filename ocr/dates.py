"""Dates as invoices print them, in six languages, tolerant to OCR noise.

A numeric date whose day and month could be swapped (03/07/2025) is read in the order the
page uses: the order its unambiguous dates show (14/07/2025), else its locale's (day first
everywhere but in US English). :func:`date_order` says which order, and whether it is
settled or only a default.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
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
    r"(?<![0-9A-Za-z])(\d{1,2})(?:er|st|nd|rd|th|º|°)?\.?(?:\s*|-)(?:de\s+)?([^\W\d_]{3,12})\.?"
    r"(?:,?\s*|-)(?:de\s+|del\s+)?(\d{4})(?![0-9])"
)
_US_WORDY = re.compile(r"(?<![0-9A-Za-z])([^\W\d_]{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")


@dataclass(frozen=True)
class FoundDate:
    """A date found in a text, with where it was and how it was written."""

    date: datetime.date
    start: int
    end: int
    style: str = "numeric"  # iso | numeric | day_month_name | month_name_day
    swapped: datetime.date | None = None  # the other reading of an ambiguous numeric date
    order: str = ""  # numeric dates: 'dmy' or 'mdy' when the numbers settle it, else ''


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


def find_dates(text: str, day_first: bool = True) -> list[FoundDate]:
    """Find every date in a text, in order of appearance; a numeric date is read day first
    (or month first when day_first is False) unless that reading is impossible."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []

    def add(date: datetime.date | None, m: re.Match, style: str,
            swapped: datetime.date | None = None, order: str = "") -> None:
        if date is None or any(a < m.end() and m.start() < b for a, b in taken):
            return
        taken.append((m.start(), m.end()))
        found.append(FoundDate(date, m.start(), m.end(), style, swapped, order))

    for m in _ISO.finditer(text):
        add(_make(_num(m.group(1)), _num(m.group(3)), _num(m.group(4))), m, "iso")
    for m in _NUMERIC.finditer(text):
        a, b, y = _num(m.group(1)), _num(m.group(3)), _num(m.group(4))
        dmy, mdy = _make(y, b, a), _make(y, a, b)
        first, second = (dmy, mdy) if day_first else (mdy, dmy)
        order = "" if (dmy is None) == (mdy is None) else ("dmy" if dmy else "mdy")
        swapped = second if first and second and first != second else None
        add(first or second, m, "numeric", swapped, order)
    for m in _WORDY.finditer(text):
        month = month_number(m.group(2))
        if month:
            add(_make(int(m.group(3)), month, int(m.group(1))), m, "day_month_name")
    for m in _US_WORDY.finditer(text):
        month = month_number(m.group(1))
        if month:
            add(_make(int(m.group(3)), month, int(m.group(2))), m, "month_name_day")
    return sorted(found, key=lambda f: f.start)


DAY_FIRST_LOCALES = frozenset(("de", "fr", "it", "es", "nl"))


@dataclass(frozen=True)
class DateOrder:
    """How a page writes numeric dates, and whether that is settled or only a default."""

    day_first: bool
    settled: bool


def date_order(dates: Iterable[FoundDate], locale: str | None) -> DateOrder:
    """The numeric date order of a page: what its unambiguous numeric dates show (14/07 or
    07/14), else its locale's (day first; English too unless the page writes 'July 14, 2025',
    which leaves it open); without a locale it is day first but not settled."""
    dates = list(dates)
    orders = {d.order for d in dates if d.order}
    if len(orders) == 1:
        return DateOrder(orders == {"dmy"}, True)
    mixed = len(orders) > 1
    if locale in DAY_FIRST_LOCALES:
        return DateOrder(True, not mixed)
    if locale == "en":
        us = any(d.style == "month_name_day" for d in dates)
        return DateOrder(not us, not (us or mixed))
    return DateOrder(True, False)


def first_date(text: str) -> FoundDate | None:
    """Return the first date in a text, None when there is none."""
    dates = find_dates(text)
    return dates[0] if dates else None
