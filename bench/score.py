"""Scoring readings against what the corpus says they are: grades by kind, codes found."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bench.corpus import Sample
from ocr.types import DocumentReading, Quality

FAX_OR_WORSE = {Quality.FAX, Quality.POOR, Quality.ILLEGIBLE, Quality.UNREADABLE}
UNTRUSTED = {Quality.ILLEGIBLE, Quality.UNREADABLE}


@dataclass(frozen=True)
class KindScore:
    """What the pipeline made of the documents of one kind."""

    kind: str
    group: str
    documents: int
    pages: int
    grades: Counter  # page grades
    codes_ok: int  # documents whose invoice numbers and part numbers all appear in the text
    ok_but_wrong: int  # documents graded ok whose codes do not all appear


def missing_codes(sample: Sample, reading: DocumentReading) -> list[str]:
    """The sample's invoice numbers and part numbers that do not appear in the OCR text."""
    return [code for code in sample.codes if code not in reading.text]


def score(pairs: Sequence[tuple[Sample, DocumentReading]]) -> list[KindScore]:
    """One score per kind, in corpus order."""
    kinds: dict[str, list[tuple[Sample, DocumentReading]]] = {}
    for sample, reading in pairs:
        kinds.setdefault(sample.kind, []).append((sample, reading))
    scores = []
    for kind, items in kinds.items():
        grades: Counter = Counter()
        codes_ok = ok_but_wrong = 0
        for sample, reading in items:
            page_grades = [p.quality for p in reading.pages] or [reading.quality] * sample.pages
            grades.update(page_grades)
            right = not missing_codes(sample, reading)
            codes_ok += right
            ok_but_wrong += reading.quality is Quality.OK and not right
        scores.append(KindScore(kind, items[0][0].group, len(items), sum(grades.values()), grades,
                                codes_ok, ok_but_wrong))
    return scores


def share(scores: Sequence[KindScore], group: str, good: set[Quality]) -> tuple[int, int]:
    """(pages of the group graded in ``good``, pages of the group)."""
    chosen = [s for s in scores if s.group == group]
    return (sum(n for s in chosen for q, n in s.grades.items() if q in good),
            sum(s.pages for s in chosen))
