"""Matching words against a vocabulary of column and VAT labels (fuzzy, accent-tolerant).

The invoice field labels have their matcher in :mod:`ocr.labels`; this one serves the other
vocabularies of :mod:`ocr.invoice_labels` (table columns, VAT ids) with the same folding
(:func:`ocr.labels.normalise`) and the same length-dependent cut-offs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from ocr.labels import cutoff, normalise
from ocr.types import Word

Vocabulary = Mapping[str, Mapping[str, Sequence[str]]]  # field -> language -> labels


@dataclass(frozen=True)
class Term:
    """One label of a vocabulary: its field, language and folded text."""

    field: str
    language: str
    norm: str


@dataclass(frozen=True)
class TermMatch:
    """A label found at the start of a word run."""

    term: Term
    used: int  # words of the run the label took
    score: float


def terms_of(vocabulary: Vocabulary) -> tuple[Term, ...]:
    """Every (field, language, folded label) of a vocabulary, once."""
    found: dict[tuple[str, str, str], Term] = {}
    for field, per_language in vocabulary.items():
        for language, labels in per_language.items():
            for label in labels:
                norm = normalise(label)
                found.setdefault((field, language, norm), Term(field, language, norm))
    return tuple(found.values())


def match_term(words: Sequence[Word], terms: tuple[Term, ...]) -> TermMatch | None:
    """The best label of terms at the start of words (at most five words), or None."""
    return _match(tuple(w.text for w in words[:5]), terms)


@lru_cache(maxsize=16384)
def _match(texts: tuple[str, ...], terms: tuple[Term, ...]) -> TermMatch | None:
    best: TermMatch | None = None
    norms = _norms(terms)
    floor = min((cutoff(t.norm) for t in terms), default=100.0)
    for used in range(1, len(texts) + 1):
        prefix = normalise(" ".join(texts[:used]))
        if not prefix:
            continue
        for _, score, i in process.extract(prefix, norms, scorer=fuzz.ratio, limit=None,
                                           score_cutoff=floor):
            term = terms[i]
            if (score < cutoff(term.norm)
                    or abs(len(prefix) - len(term.norm)) > max(3, len(term.norm) // 4)):
                continue
            if best is None or (score, len(term.norm)) > (best.score, len(best.term.norm)):
                best = TermMatch(term, used, score)
    return best


@lru_cache(maxsize=16)
def _norms(terms: tuple[Term, ...]) -> list[str]:
    return [t.norm for t in terms]
