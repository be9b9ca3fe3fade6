"""Finding invoice labels in OCR'd words: fuzzy, accent- and abbreviation-tolerant.

The vocabulary is data (:mod:`ocr.invoice_labels`); this module only matches it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from ocr import invoice_labels as vocabulary
from ocr.types import Word

# 'n.º' as OCR reads it too: 'n.2', 'n.9', 'n.o'
_ABBREVIATIONS = re.compile(
    r"\bn\s*[°º]|\bn\s*\.\s*[°º29o]\b|\bnr\b\.?|\bno\b\.?|\bn\b\.|\bnum\b\.?|#"
)


def normalise(text: str) -> str:
    """Fold text for label matching: lower case, no accents, 'N°/Nr./No./#' -> 'no'."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c) or c in "°º").lower()
    t = _ABBREVIATIONS.sub(" no ", t)
    t = re.sub(r"[^\w\s]|_", " ", t.replace("°", " ").replace("º", " "))
    return " ".join(t.split())


@dataclass(frozen=True)
class Label:
    """One label of the vocabulary: the field it announces and its folded text."""

    field: str  # number, date, buyer, seller, part, serial, title, other, totals
    text: str
    norm: str


@lru_cache(maxsize=1)
def all_labels() -> tuple[Label, ...]:
    """Every label of every language, once per (field, folded text)."""
    tables = {
        "number": vocabulary.NUMBER, "date": vocabulary.DATE, "buyer": vocabulary.BUYER,
        "seller": vocabulary.SELLER, "part": vocabulary.PART, "serial": vocabulary.SERIAL,
        "title": vocabulary.TITLE, "other": vocabulary.OTHER, "totals": vocabulary.TOTALS,
    }
    found: dict[tuple[str, str], Label] = {}
    for field, per_language in tables.items():
        for names in per_language.values():
            for name in names:
                norm = normalise(name)
                found.setdefault((field, norm), Label(field, name, norm))
    return tuple(found.values())


def cutoff(norm: str) -> float:
    """The fuzzy score a label needs: short labels must match exactly, long ones survive
    a few OCR errors (calibrated so that no label of one field matches another's)."""
    n = len(norm)
    return 100.0 if n <= 4 else 85.0 if n <= 11 else 80.0


def match_label(
    words: Sequence[Word], fields: Iterable[str] | None = None
) -> tuple[Label, int, float] | None:
    """Find the best label at the start of a word run: (label, words used, score) or None."""
    texts = tuple(w.text for w in words[:5])
    return _match_texts(texts, tuple(sorted(fields)) if fields is not None else None)


@lru_cache(maxsize=8192)
def _match_texts(
    texts: tuple[str, ...], fields: tuple[str, ...] | None
) -> tuple[Label, int, float] | None:
    best: tuple[Label, int, float] | None = None
    prefixes = [normalise(" ".join(texts[:j])) for j in range(1, len(texts) + 1)]
    for label in all_labels():
        if fields is not None and label.field not in fields:
            continue
        for used, prefix in enumerate(prefixes, start=1):
            if abs(len(prefix) - len(label.norm)) > max(3, len(label.norm) // 4):
                continue
            score = fuzz.ratio(prefix, label.norm)
            if score < cutoff(label.norm):
                continue
            if best is None or (score, len(label.norm)) > (best[2], len(best[0].norm)):
                best = (label, used, score)
    return best


def is_label(words: Sequence[Word]) -> bool:
    """Tell whether a word run starts with any known label."""
    return match_label(words) is not None


def glued_label(word: Word, fields: tuple[str, ...]) -> Label | None:
    """A long label glued to the next word by the text layer ('ArtikelnummerBeschreibung')."""
    squashed = normalise(word.text).replace(" ", "")
    for label in all_labels():
        norm = label.norm.replace(" ", "")
        if label.field in fields and len(norm) >= 8 and squashed.startswith(norm):
            return label
    return None
