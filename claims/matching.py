"""Fuzzy matching with rapidfuzz that explains itself: best, score, runner-up, reason."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from claims.names import normalise_code, normalise_company

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/.]*[A-Za-z0-9]|[A-Za-z0-9]")
_DIGIT_RUN = re.compile(r"\d+")


@dataclass(frozen=True)
class Match:
    """Outcome of one fuzzy lookup, kept for the reviewer."""

    query: str
    best: str | None
    score: float
    runner_up: str | None
    runner_up_score: float | None
    cutoff: float
    reason: str

    @property
    def accepted(self) -> bool:
        """Whether the best candidate reached the cut-off."""
        return self.best is not None and self.score >= self.cutoff

    def explain(self) -> str:
        """One line for a reason's detail."""
        runner = f", runner-up {self.runner_up} ({self.runner_up_score:.1f})" if self.runner_up else ""
        best = f"{self.best} ({self.score:.1f})" if self.best else "nothing"
        return f"{self.query!r}: best {best}{runner}, cut-off {self.cutoff:.0f}: {self.reason}"


def _ranked(query: str, choices: Sequence[str], scorer) -> list[tuple[str, float]]:
    hits = process.extract(query, list(dict.fromkeys(choices)), scorer=scorer, limit=2)
    return [(choice, round(float(score), 1)) for choice, score, _ in hits]


def _match(query: str, choices: Sequence[str], scorer, cutoff: float, labels: Sequence[str]) -> Match:
    """Rank normalised ``choices`` against ``query``; report with the original labels."""
    label_of = dict(zip(choices, labels, strict=True))
    ranked = _ranked(query, choices, scorer) if choices and query else []
    if not ranked:
        return Match(query, None, 0.0, None, None, cutoff, "no candidates")
    best, score = ranked[0]
    runner = ranked[1] if len(ranked) > 1 else (None, None)
    reason = "exact" if score >= 100 else ("above cut-off" if score >= cutoff else "below cut-off")
    return Match(
        query,
        label_of[best],
        score,
        label_of[runner[0]] if runner[0] else None,
        runner[1],
        cutoff,
        reason,
    )


_OCR_CONFUSABLE = str.maketrans("OQDILBSZG", "001118526")
CONFUSABLE_SCORE = 96.0


def _code_scorer(query: str, choice: str, **kwargs) -> float:
    """Character ratio; codes equal up to OCR-confusable characters (O/0, I/1, B/8...) score 96."""
    score = fuzz.ratio(query, choice, **kwargs)
    if score < 100 and query.translate(_OCR_CONFUSABLE) == choice.translate(_OCR_CONFUSABLE):
        return max(score, CONFUSABLE_SCORE)
    return score


def match_code(query: str, candidates: Sequence[str], cutoff: float) -> Match:
    """Match a product code or serial against candidate codes (character-level ratio)."""
    normalised = [normalise_code(c) for c in candidates]
    return _match(normalise_code(query), normalised, _code_scorer, cutoff, list(candidates))


def match_code_in_text(query: str, text: str, cutoff: float, extra: Iterable[str] = ()) -> Match:
    """Find a code among the tokens of a text (and extra pre-extracted codes)."""
    wanted = normalise_code(query)
    tokens = [t for t in (*extra, *_TOKEN.findall(text)) if abs(len(normalise_code(t)) - len(wanted)) <= 2]
    return match_code(query, tokens, cutoff)


def match_name(query: str, candidates: Sequence[str], cutoff: float, legal_forms: Sequence[str]) -> Match:
    """Match a company name against candidate names, legal forms and accents ignored."""
    normalised = [normalise_company(c, legal_forms) for c in candidates]
    return _match(normalise_company(query, legal_forms), normalised, fuzz.token_sort_ratio, cutoff, list(candidates))


def name_in_text(name: str, text: str, cutoff: float, legal_forms: Sequence[str]) -> Match:
    """Whether a company name appears in a text: best line by partial ratio."""
    query = normalise_company(name, legal_forms)
    lines = [line for line in text.splitlines() if line.strip()]
    normalised = [normalise_company(line, legal_forms) for line in lines]
    keep = [i for i, n in enumerate(normalised) if len(n) >= max(3, len(query) // 2)]
    return _match(query, [normalised[i] for i in keep], _partial_name_scorer, cutoff, [lines[i].strip() for i in keep])


def _partial_name_scorer(query: str, choice: str, **kwargs) -> float:
    if len(choice) < len(query):
        return fuzz.ratio(query, choice, **kwargs)
    return fuzz.partial_ratio(query, choice, **kwargs)


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9+]+", text.lower()))


def match_product_name(name: str, catalogue_names: Sequence[str], lines: Sequence[str], cutoff: float) -> Match:
    """Find a catalogue product's name on the lines of an invoice (second to its part number).

    A line counts for ``name`` when the name appears in it (partial ratio at or above the
    cut-off, for OCR slips) and is not followed there by the words that make a longer
    catalogue name: a line naming 'ThinkSmart View Plus' never counts for 'ThinkSmart View'.
    """
    query = _words(name)
    extensions = [_words(n)[len(query):].strip() for n in catalogue_names
                  if _words(n) != query and _words(n).startswith(query + " ")]
    kept, set_aside = [], 0
    for line in lines:
        words = _words(line)
        if len(words) < len(query):
            continue
        if _names_longer(query, words, extensions, cutoff):
            set_aside += 1
        else:
            kept.append(line)
    found = _match(query, [_words(line) for line in kept], fuzz.partial_ratio, cutoff, [line.strip() for line in kept])
    if set_aside and not found.accepted:
        return Match(query, found.best, found.score, found.runner_up, found.runner_up_score, cutoff,
                     f"{found.reason}; {set_aside} line(s) naming a longer product set aside")
    return found


def other_code_on_line(code: str, line: str) -> str | None:
    """A code on the line as long as ``code`` (both normalised) that is not it, even up to OCR
    confusions: the line names another product's code, which its name cannot outweigh.
    Codes of another length are OCR slips (a glyph read twice or lost) and do not count."""
    wanted = normalise_code(code)
    for token in _TOKEN.findall(line):
        found = normalise_code(token)
        if (len(found) == len(wanted) and any(c.isdigit() for c in found) and any(c.isalpha() for c in found)
                and _code_scorer(wanted, found) < CONFUSABLE_SCORE):
            return token
    return None


def _names_longer(query: str, words: str, extensions: Sequence[str], cutoff: float) -> bool:
    """Whether the name in ``words`` goes on into one of the longer names' extra words."""
    if not extensions:
        return False
    where = fuzz.partial_ratio_alignment(query, words)
    if where is None or where.score < cutoff:
        return False
    after = words[where.dest_end:].strip()
    return any(fuzz.ratio(extra, after[: len(extra)]) >= cutoff for extra in extensions)


def match_device(brand: str, model: str, candidates: Sequence[tuple[str, str]], cutoff: float) -> Match:
    """Match a declared old device against eligible (brand, model) pairs.

    Model numbers must agree exactly (digits are compared as they are), so that a
    'Studio X30' is never taken for a 'Studio X50'.
    """
    query = " ".join(dict.fromkeys(f"{brand} {model}".lower().split()))  # 'Logitech' + 'Logitech Rally Bar'
    same_numbers = [c for c in candidates if _digit_runs(f"{c[0]} {c[1]}") == _digit_runs(query)]
    labels = [f"{b} {m}" for b, m in same_numbers]
    normalised = [normalise_company(label) for label in labels]
    found = _match(normalise_company(query), normalised, fuzz.token_sort_ratio, cutoff, labels)
    if found.best is None and candidates:
        return Match(query, None, 0.0, None, None, cutoff, "no eligible device with the same model number")
    return found


def _digit_runs(text: str) -> tuple[str, ...]:
    return tuple(_DIGIT_RUN.findall(text))
