"""Quality grades of pages from measured signals (thresholds come from OcrSettings)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence

from ocr.types import OcrSettings, Quality, Word

_VOWELS = set("aeiouyäöüéèêëàáâíìîïóòôúùûœæåøAEIOUYÄÖÜÉÈÊËÀÁÂÍÌÎÏÓÒÔÚÙÛŒÆÅØ")
_EDGE = ".,:;!?()[]{}\"'«»„“”‘’*"
_NUMBER = re.compile(r"^[+\-]?[\d€$£%]*\d[\d.,/:\-'’€$£%]*$")
_CODE = re.compile(r"^[A-Z0-9][A-Za-z0-9]*(?:[-/.][A-Za-z0-9]+)*$")
_WORD = re.compile(r"^[^\W\d_]+$")
_REPEAT = re.compile(r"(.)\1\1\1")
# Vowel-less words that are still words on invoices.
_NO_VOWEL = frozenset(("gmbh", "mbh", "nr", "str", "tel", "kg", "bv", "nv", "btw", "ltd", "plc",
                       "srl", "sl", "mwst", "ust", "qty", "pcs", "st", "sn", "pn", "cv", "vv"))


def _plausible_part(part: str) -> bool:
    if not part:
        return False
    if _NUMBER.match(part):
        return True
    if _WORD.match(part):
        if len(part) == 1:
            return part.isupper() or part in "aàyoeé"  # 'A', 'à', 'y', 'o', 'e'
        if _REPEAT.search(part.lower()):
            return False
        if part.lower() in _NO_VOWEL:
            return True
        humps = sum(1 for a, b in itertools.pairwise(part) if a.islower() and b.isupper())
        return (bool(_VOWELS & set(part)) and humps <= 1) or (part.isupper() and len(part) <= 4)
    # product codes, VAT ids, invoice numbers
    return bool(_CODE.match(part)) and sum(c.isdigit() for c in part) >= 2


def is_plausible(token: str) -> bool:
    """Tell whether a token looks like a word, number, date or code (not OCR noise)."""
    t = token.strip(_EDGE)
    if not t:
        return False
    if "@" in t or t.lower().startswith("www."):
        return True
    if _plausible_part(t):
        return True
    parts = re.split(r"[-/.'’]", t)
    return len(parts) > 1 and all(_plausible_part(p) for p in parts if p) and any(parts)


def counted(words: Sequence[Word]) -> list[Word]:
    """Words that count in the statistics: not lone punctuation marks (table rules, bullets)."""
    return [w for w in words if len(w.text) > 1 or w.text.isalnum()]


def word_stats(words: Sequence[Word]) -> dict[str, float]:
    """Return mean confidence, word count and dictionary-like word ratio of a page's words."""
    kept = counted(words)
    if not kept:
        return {"words": 0.0, "plausible_words": 0.0, "dict_ratio": 0.0}
    plausible = sum(1 for w in kept if is_plausible(w.text))
    return {
        "words": float(len(kept)),
        "plausible_words": float(plausible),
        "dict_ratio": plausible / len(kept),
        "mean_conf": sum(w.confidence for w in kept) / len(kept),
    }


def fax_reason(metrics: Mapping[str, float], settings: OcrSettings) -> str | None:
    """Return why a page is a fax (1-bit, low or anisotropic resolution), None if it is not."""
    if metrics.get("bit_depth") != 1:
        return None
    dpi_x, dpi_y = metrics.get("dpi_x"), metrics.get("dpi_y")
    if dpi_x and dpi_y:
        low = max(dpi_x, dpi_y) <= settings.fax_max_dpi
        anisotropic = min(dpi_x, dpi_y) / max(dpi_x, dpi_y) <= settings.fax_max_aspect
        if low or anisotropic:
            return f"1-bit {dpi_x:.0f}x{dpi_y:.0f} dpi page"
        return None
    width = metrics.get("raw_width_px", 0)
    if any(abs(width - w) <= w * 0.01 for w in settings.fax_widths_px):
        return f"1-bit page {width:.0f} px wide (fax line length), resolution unknown"
    return None


def is_blank(metrics: Mapping[str, float], settings: OcrSettings) -> bool:
    """Tell whether a wordless page is flat paper (a blank back side), not a washed-out page."""
    return (metrics.get("words", 0) == 0
            and metrics.get("ink_separation", 255.0) <= settings.blank_max_separation)


def grade_ocr_page(metrics: Mapping[str, float], settings: OcrSettings) -> tuple[Quality, str]:
    """Grade an OCR'd page from its measured signals; returns the grade and why."""
    fax = fax_reason(metrics, settings)
    base = Quality.FAX if fax else Quality.OK
    words = metrics.get("plausible_words", 0)
    conf = metrics.get("mean_conf", 0.0)
    ratio = metrics.get("dict_ratio", 0.0)
    if metrics.get("words", 0) == 0:
        grade, reason = Quality.ILLEGIBLE, "no text found"
    elif words < settings.min_words:
        grade, reason = Quality.ILLEGIBLE, f"only {words:.0f} readable words"
    elif conf < settings.poor_min_confidence:
        grade, reason = Quality.ILLEGIBLE, f"mean word confidence {conf:.0f}"
    elif ratio < settings.poor_min_dict_ratio:
        grade, reason = Quality.ILLEGIBLE, f"only {ratio:.0%} of the words look like words"
    elif conf < settings.ok_min_confidence:
        grade, reason = Quality.POOR, f"mean word confidence {conf:.0f}"
    elif ratio < settings.ok_min_dict_ratio:
        grade, reason = Quality.POOR, f"{ratio:.0%} of the words look like words"
    else:
        grade, reason = Quality.OK, f"mean word confidence {conf:.0f}"
    if grade.rank <= Quality.POOR.rank and (doubts := _image_doubts(metrics, settings)):
        grade, reason = Quality.POOR, ", ".join(doubts if grade is Quality.OK else [reason, *doubts])
    if base is Quality.FAX:
        return as_fax(grade), f"{fax}, {reason}"
    return grade, reason


def _image_doubts(metrics: Mapping[str, float], settings: OcrSettings) -> list[str]:
    """Why a legible page's image cannot be trusted to the letter: blur, print too small."""
    doubts = []
    if metrics.get("sharpness", 1e9) < settings.poor_max_sharpness:
        doubts.append(f"blurred (sharpness {metrics['sharpness']:.1f})")
    if 0 < metrics.get("glyph_px", 1e9) <= settings.poor_max_glyph_px:
        doubts.append(f"small print (median glyph {metrics['glyph_px']:.0f} px)")
    return doubts


def as_fax(grade: Quality) -> Quality:
    """The grade of a fax page: FAX while legible (the fax is the reason to look twice,
    whatever its confidence), ILLEGIBLE or worse otherwise."""
    return Quality.FAX if grade.rank < Quality.ILLEGIBLE.rank else grade
