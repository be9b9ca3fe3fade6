"""The two parties of an invoice: seller and buyer names, and which VAT id is whose.

Names come from a label's value (``Kunde``, ``Bill to``), the letterhead, the 'name · address'
lines an invoice repeats (return address over the window, footer) and the window address.
The seller is the reading most of these agree on; when they differ, the one with fewer
OCR-broken words ('ofi ina', 'BRIGHTSID E') wins. A buyer name wrapped onto a second line
is joined back; a value that ran into the buyer's cell (the invoice number of a box beside
it) is cut off.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from rapidfuzz import fuzz

from ocr import invoice_labels as vocabulary
from ocr import layout
from ocr.codes import EDGE
from ocr.labels import is_label, normalise
from ocr.layout import Cell, word_confidence
from ocr.line_items import is_money
from ocr.types import FieldReading, Word
from ocr.vat import FoundVat

__all__ = ["PartySettings", "assign_vat_ids", "choose_seller", "letterhead_seller",
           "name_lines", "named_company_buyer", "read_name", "repair_legal_form", "repair_name", "window_address_buyer"]


@dataclass(frozen=True)
class PartySettings:
    """Where the parties are looked for and when two readings are the same name."""

    letterhead_fraction: float = 0.35  # of the first page's height, from the top
    header_fraction: float = 0.45  # the window address is looked for above this
    footer_fraction: float = 0.85  # 'name · address' footer lines are below this
    letterhead_scale: float = 1.3  # print this much larger than the body marks a letterhead
    same_name: float = 80.0  # fuzzy ratio (0-100) of two readings of one name
    # In line heights of the name:
    buyer_vat_rows: float = 8.0  # a VAT id this far under the buyer name (and left-aligned
    buyer_vat_indent: float = 2.0  # with it within this) is the buyer's
    wrap_gap: tuple[float, float] = (0.7, 1.9)  # a wrapped name's second line is this far down
    align: float = 1.5  # lines of one block start within this of each other
    speck_confidence: float = 60.0  # a lone digit read with less inside a name is a speck
    speck_height: float = 0.4  # letters in a box less than this of the name's print height: a speck


_NAME_EDGE = EDGE.replace(".", "")  # a name keeps its final dot (S.r.l., B.V.)
_LEGAL_SPELLING = {f.replace(".", "").lower(): f for f in vocabulary.LEGAL_FORM_SPELLINGS}
_PARTICLES = frozenset((
    "de", "di", "du", "da", "del", "della", "dei", "degli", "des", "der", "den", "van", "von",
    "zu", "y", "e", "et", "und", "and", "of", "the", "la", "le", "les", "el", "los", "las",
    "het", "en", "do", "dos", "das", "st", "&", "+",
))
_SEPARATORS = frozenset("·•|-–—:«»*")
_NUMBERISH = re.compile(r"^[\w\-/.]*\d[\w\-/.]*$")


_SPLIT_UMLAUT = re.compile(r"(?<=[^\W\d_])ii(?=[^\W\d_])(?!ng\b)")


def repair_name(name: str) -> str:
    """Fix the OCR slips a printed name is prone to: a u-umlaut read as 'ii' inside a word
    ('Ingenieurbiiro', 'Griinwald'; 'ii' between letters is all but unknown in the six
    languages' names, the English '-iing' aside), and its legal form (:func:`repair_legal_form`)."""
    return repair_legal_form(_SPLIT_UMLAUT.sub("ü", name))


def repair_legal_form(name: str) -> str:
    """Fix one OCR slip in a name's final legal form ('Water pic' -> 'Water plc', 'GmhH'), or
    a legal form split in two ('Gm bH', 'A G': a glyph gap read as a space)."""
    name = _rejoined_legal_form(name)
    head, _, last = name.rpartition(" ")
    key = last.replace(".", "").lower()
    if not head or len(key) < 3 or key in _LEGAL_SPELLING:
        return name
    for plain, spelling in _LEGAL_SPELLING.items():
        if len(plain) == len(key) and sum(a != b for a, b in zip(plain, key, strict=True)) == 1:
            return f"{head} {spelling}"
    return name


def _rejoined_legal_form(name: str) -> str:
    """The name with its last two words joined when only together they are a legal form."""
    parts = name.rsplit(" ", 2)
    if len(parts) < 3:
        return name
    first, second = (p.replace(".", "").lower() for p in parts[1:])
    joined = first + second
    if (max(len(first), len(second)) > 3 or joined not in vocabulary.LEGAL_FORMS
            or {first, second} & vocabulary.LEGAL_FORMS):
        return name
    return f"{parts[0]} {_LEGAL_SPELLING.get(joined, parts[1] + parts[2])}"


def _reading(words: Sequence[Word]) -> FieldReading | None:
    words = [w for w in words if w.text.strip(EDGE)]
    text = repair_name(" ".join(w.text for w in words).strip(_NAME_EDGE))
    letters = sum(c.isalpha() for c in text)
    if letters < 3 or letters < len(text) / 2 or "@" in text:
        return None
    return FieldReading(text, word_confidence(words), tuple(words))


def _trimmed(words: Sequence[Word], settings: PartySettings) -> list[Word]:
    """A name's words without what ran into its cell: a leading number ('RE-2025-6866
    Schäfer Logistik GmbH'), a doubtful lone digit read from a speck ('Gemeinde 2
    Oberzell'; 'Stadtwerke Aurora 1 GmbH' keeps its 1), or letters read from a speck far
    smaller than the name's print ('Meridian pees Esterhaz': a box a fifth of its height)."""
    words = [w for w in words if w.text.strip(EDGE)]
    if words:
        tall = median(w.height for w in words)
        words = [w for w in words if w.height >= settings.speck_height * tall or not w.text.isalpha()]
    while len(words) > 2 and _NUMBERISH.match(words[0].text.strip(EDGE + "!?")) and (
            len(words[0].text) >= 5 or is_money(words[0].text)):
        words = words[1:]
    return [w for i, w in enumerate(words)
            if not (0 < i < len(words) - 1 and w.text.isdigit() and len(w.text) == 1
                    and w.confidence < settings.speck_confidence)]


def _centre(cell: Cell) -> float:
    words = [w for w in cell.words if any(ch.isalnum() for ch in w.text)] or list(cell.words)
    return median(w.top + w.height / 2 for w in words)


def _continuation(cell: Cell, cells: Sequence[Cell], settings: PartySettings) -> Cell | None:
    """The second line of a name wrapped in its block ('Communauté de Communes du Pays' /
    'Basque'): the next line, left-aligned, a few words without digits."""
    h, centre = cell.height, _centre(cell)
    low, high = settings.wrap_gap
    for c in cells:
        if (c.page == cell.page and c.row > cell.row and low * h <= _centre(c) - centre <= high * h
                and abs(c.left - cell.left) <= settings.align * h and len(c.words) <= 3
                and not any(ch.isdigit() for ch in c.text) and not is_label(c.words)
                and (sum(ch.isalpha() for ch in c.text) >= 3 or _legal_form(c.text))
                and "@" not in c.text):
            return c
    return None


def read_name(cell: Cell, cells: Sequence[Cell], wrapped: bool = True,
              settings: PartySettings = PartySettings()) -> FieldReading | None:
    """A company name from a cell (joined with a close next cell, and with its wrapped second
    line when wrapped); None when the cell holds no name (a label, an e-mail, a number)."""
    if is_label(cell.words):
        return None
    nxt = layout.right_of(cell, cells)
    if nxt is not None and nxt.left - cell.right <= 4 * cell.height and not is_label(nxt.words):
        cell = Cell(cell.page, cell.row, cell.words + nxt.words)
    words = _trimmed(cell.words, settings)
    if wrapped and (more := _continuation(cell, cells, settings)) is not None:
        words += list(more.words)
    return _reading(words)


# --------------------------------------------------------------------------- the seller


def _legal_form(text: str) -> bool:
    """Tell whether a name carries a legal form (GmbH, S.r.l., 'S. r. l.', B.V., plc ...)."""
    tokens = [re.sub(r"[^a-z]", "", t) for t in text.lower().split()]
    if any(t in vocabulary.LEGAL_FORMS or t == "limited" for t in tokens):
        return True
    tail = ""
    for t in reversed(tokens):  # 'S. r. l.' spelt with spaces
        if len(t) != 1:
            break
        tail = t + tail
    return tail in vocabulary.LEGAL_FORMS


def similar(a: str, b: str | None, cutoff: float) -> bool:
    """Whether two names read alike (folded, fuzzy ratio at least cutoff)."""
    return b is not None and fuzz.ratio(normalise(a), normalise(b)) >= cutoff


def letterhead_seller(
    cells: Sequence[Cell], page_height: float, buyer: str | None,
    settings: PartySettings = PartySettings(),
) -> FieldReading | None:
    """The most prominent company-like line at the top of page 1: a name with a legal form
    or in print clearly larger than the body text, the largest first."""
    first = [c.height for c in cells if c.page == 0]
    body = median(first) if first else 0.0
    best: tuple[float, Cell] | None = None
    for cell in cells:
        if cell.page != 0 or cell.top > settings.letterhead_fraction * page_height:
            continue
        text = repair_name(cell.text.strip(_NAME_EDGE))
        letters = sum(ch.isalpha() for ch in text)
        if (letters < 4 or "@" in text or "www" in text.lower() or is_label(cell.words)
                or sum(ch.isdigit() for ch in text) > letters / 2
                or similar(text, buyer, settings.same_name)):
            continue
        legal = _legal_form(text)
        if not legal and cell.height < settings.letterhead_scale * body:
            continue
        score = cell.height * (1.6 if legal else 1.0)
        score *= 1.2 if cell.top <= 0.15 * page_height else 1.0
        if best is None or score > best[0]:
            best = (score, cell)
    if best is None:
        return None
    words = list(best[1].words)
    cut = next((i for i, w in enumerate(words) if w.text in _SEPARATORS and i > 0), len(words))
    return _reading(words[:cut])


def name_lines(
    cells: Sequence[Cell], page_height: float, settings: PartySettings = PartySettings()
) -> list[FieldReading]:
    """Names from 'name · address' lines at the top (return address) and the bottom (footer)
    of a page: the words before the first lone separator, an address (digits) after it."""
    out = []
    for cell in cells:
        if settings.letterhead_fraction * page_height < cell.top < (
                settings.footer_fraction * page_height) and cell.page == 0:
            continue
        words = list(cell.words)
        cut = next((i for i, w in enumerate(words) if w.text.strip() and all(
            ch in _SEPARATORS for ch in w.text)), None)
        if cut is None or cut < 1 or not any(ch.isdigit() for w in words[cut:] for ch in w.text):
            continue
        if any(ch.isdigit() for w in words[:cut] for ch in w.text) or _street(words[0].text):
            continue  # an address or a phone number before the separator, not a name
        if (reading := _reading(words[:cut])) is not None and not is_label(cell.words):
            out.append(reading)
    return out


def _street(word: str) -> bool:
    """Whether a word opens a street address ('Calle Alfonso I', 'Via Torino')."""
    return word.lower().rstrip(".") in vocabulary.STREET_WORDS


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def _broken_words(reading: FieldReading) -> int:
    """Words of a name that look OCR-broken: a lower-case start that is no particle ('ofi
    ina'), a lone letter that is no particle ('BRIGHTSID E'), stray symbols."""
    count = 0
    for token in reading.value.split():
        core = re.sub(r"^(?:dell|all|d|l)['’]", "", _plain(token).strip(".,;:'\"()"),
                      flags=re.IGNORECASE)  # d'Avocats, l'Ouest
        letters = re.sub(r"[^A-Za-z]", "", core)
        if not core or core.lower() in _PARTICLES or letters.lower() in vocabulary.LEGAL_FORMS:
            continue
        if (core[0].islower() or len(letters) == 1 or re.search(r"[^\w.&'\-/+]", core)):
            count += 1
    return count


def choose_seller(
    readings: Sequence[FieldReading], buyer: str | None,
    settings: PartySettings = PartySettings(),
) -> FieldReading | None:
    """The seller among its readings (the labelled or letterhead one first): the name most
    readings agree on, spelt by its least broken, most confident reading."""
    readings = [r for r in readings if not similar(r.value, buyer, settings.same_name)]
    if not readings:
        return None
    groups: list[list[FieldReading]] = []
    for r in readings:
        group = next((g for g in groups if similar(r.value, g[0].value, settings.same_name)),
                     None)
        if group is None:
            groups.append([r])
        else:
            group.append(r)
    def spelling(group: list[FieldReading]) -> FieldReading:  # a footer may leave the legal form out
        return min(group, key=lambda r: (_broken_words(r), r.value.isupper(), not _legal_form(r.value),
                                         -r.confidence))

    # the most readings; then a company-like name (legal form, nothing broken); then the first
    best = max(enumerate(groups), key=lambda ig: (
        len(ig[1]), _legal_form(spelling(ig[1]).value), -_broken_words(spelling(ig[1])), -ig[0]))
    return spelling(best[1])


# --------------------------------------------------------------------------- the buyer

_POSTCODE = re.compile(  # '70173 Stuttgart', '..., 47300' (city below), '1015 AA', 'M2 4LQ'
    r"(?:^|\s)\d{4,5}(?:\s+[^\W\d_]{2,}|$)|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"
)


def window_address_buyer(
    cells: Sequence[Cell], page_height: float, seller: str | None,
    settings: PartySettings = PartySettings(),
) -> FieldReading | None:
    """The name line over a postcode line, not the seller's: the customer's window address."""
    top = [c for c in cells if c.page == 0 and c.top <= settings.header_fraction * page_height]
    for address in top:
        if (not _POSTCODE.search(address.text) or "@" in address.text
                or "+" in address.text or is_label(address.words) or _legal_form(address.text)):
            continue  # not an address line (phone, e-mail, labelled line, a name with a number)
        named = [c for c in top if address.row - 2 <= c.row < address.row and _legal_form(c.text)
                 and c.left <= address.left + settings.align * address.height and c.right >= address.left]
        for above in named or sorted(top, key=lambda c: -c.row):  # a name with a legal form first
            if (not address.row - 2 <= above.row < address.row
                    or (abs(above.left - address.left) > settings.align * address.height and above not in named)
                    or (_POSTCODE.search(above.text) and not _legal_form(above.text)) or "·" in above.text
                    or above.text[:1].isdigit()):
                continue
            value = read_name(above, cells, wrapped=False, settings=settings)
            if value is None or similar(value.value, seller, settings.same_name):
                break
            return value
    return None


def named_company_buyer(
    cells: Sequence[Cell], page_height: float, seller: str | None,
    settings: PartySettings = PartySettings(),
) -> FieldReading | None:
    """A name with a legal form over an address line, not the seller's: the customer block
    when its label and the alignment of its lines were lost (a fax)."""
    top = [c for c in cells if c.page == 0 and c.top <= settings.header_fraction * page_height]
    for name in top:
        if (not _legal_form(name.text) or "·" in name.text or "@" in name.text or is_label(name.words)
                or similar(name.text, seller, settings.same_name)):
            continue
        if any(name.row < c.row <= name.row + 2 and _POSTCODE.search(c.text)
               and c.left <= name.left + settings.align * name.height and c.right >= name.left
               for c in top):
            value = read_name(name, cells, wrapped=False, settings=settings)
            if value is not None and not similar(value.value, seller, settings.same_name):
                return value
    return None


# --------------------------------------------------------------------------- VAT ids


def _in_buyer_block(vat: FoundVat, buyer: FieldReading, settings: PartySettings) -> bool:
    words = buyer.words
    if not words or vat.cell.page != 0:
        return False
    h = median(w.height for w in words)
    left = min(w.left for w in words)
    bottom = max(w.top + w.height for w in words)
    return (abs(vat.cell.left - left) <= settings.buyer_vat_indent * h
            and 0 <= vat.cell.top - bottom <= settings.buyer_vat_rows * h)


def assign_vat_ids(
    found: Sequence[FoundVat], buyer: FieldReading | None,
    settings: PartySettings = PartySettings(),
) -> tuple[FieldReading | None, FieldReading | None]:
    """(seller's VAT id, buyer's VAT id): the buyer's is labelled as the customer's or stands
    in the buyer's block; the seller's is the id the rest of the page repeats most."""
    buyer_vat = next((f.reading for f in found if f.buyer_label), None)
    if buyer_vat is None and buyer is not None:
        buyer_vat = next((f.reading for f in found if _in_buyer_block(f, buyer, settings)), None)
    others = [f.reading for f in found
              if buyer_vat is None or f.reading.value != buyer_vat.value]
    if not others:
        return None, buyer_vat
    counts = {r.value: sum(o.value == r.value for o in others) for r in others}
    best = max(others, key=lambda r: (counts[r.value], not r.doubtful))
    return best, buyer_vat
