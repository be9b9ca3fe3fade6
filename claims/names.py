"""Normalisation of company names, codes and VAT ids for comparison."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")
_CODE_CHARS = re.compile(r"[^A-Z0-9]")


def fold_accents(text: str) -> str:
    """Strip diacritics: 'Société' -> 'Societe'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise_company(name: str, legal_forms: Iterable[str] = ()) -> str:
    """Lower-case, accent-free, punctuation-free name without legal-form suffixes."""
    text = fold_accents(name).lower().replace("&", " ").replace(".", "")  # G.m.b.H. -> gmbh
    text = _PUNCTUATION.sub(" ", text)
    plain = {_PUNCTUATION.sub("", form.replace(".", "")).strip() for form in legal_forms}
    words = [w for w in _SPACES.split(text) if w and w not in plain]
    return " ".join(words)


def normalise_code(code: str) -> str:
    """Upper-case alphanumerics only: ' 11ln-0004 ge' -> '11LN0004GE'."""
    return _CODE_CHARS.sub("", fold_accents(code).upper())


def normalise_vat_id(vat_id: str | None) -> str | None:
    """Upper-case VAT id without spaces or punctuation, or None when empty."""
    if not vat_id:
        return None
    return normalise_code(vat_id) or None


def customer_key(name: str, vat_id: str | None, legal_forms: Iterable[str]) -> tuple[str | None, str]:
    """Identity of an end customer: (normalised VAT id, normalised name)."""
    return normalise_vat_id(vat_id), normalise_company(name, legal_forms)


def same_customer(a: tuple[str | None, str], b: tuple[str | None, str]) -> bool:
    """Contract 7: equal VAT ids, or equal normalised names where either lacks a VAT id."""
    if a[0] and b[0]:
        return a[0] == b[0]
    return a[1] == b[1] and a[1] != ""
