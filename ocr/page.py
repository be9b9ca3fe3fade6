"""One page image to a graded PageReading: prepare, recognise, retry once if it read badly."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image

from ocr import (
    code_pass,
    lone_words,
    lost_glyphs,
    missed_lines,
    nested_words,
    preprocess,
    quality,
    tesseract,
    weak_runs,
    woven_columns,
)
from ocr.images import RawPage
from ocr.types import OcrSettings, PageReading, Quality, Word


def page_text(words: Sequence[Word]) -> str:
    """Join words into text: one output line per engine line, in reading order."""
    lines: list[str] = []
    current: int | None = None
    for w in words:
        if w.line != current:
            lines.append(w.text)
            current = w.line
        else:
            lines[-1] += " " + w.text
    return "\n".join(lines)


def _score(words: Sequence[Word]) -> float:
    return sum(w.confidence for w in quality.counted(words) if quality.is_plausible(w.text))


def _rounded(metrics: dict[str, float]) -> tuple[tuple[str, float], ...]:
    return tuple((k, round(float(v), 3)) for k, v in metrics.items())


def _upright_retry(
    image: Image.Image, words: tuple[Word, ...], lang: str, settings: OcrSettings
) -> tuple[Image.Image, tuple[Word, ...], int | None]:
    """Ask OSD whether the page is turned; if so, read it again upright and keep the better."""
    found = tesseract.orientation(image, settings)
    if found is None or found.rotate == 0 or found.confidence < settings.osd_min_confidence:
        return image, words, None
    turned = image.rotate(-found.rotate, expand=True, fillcolor=255)
    again = tesseract.recognise(turned, lang, settings)
    if _score(again) > _score(words):
        return turned, again, found.rotate
    return image, words, None


def _weak(words: tuple[Word, ...], settings: OcrSettings) -> bool:
    """Whether a reading scores below the confidence that calls for another look."""
    return quality.word_stats(words).get("mean_conf", 0.0) < settings.retry_below_confidence


def _second_look(
    image: Image.Image, words: tuple[Word, ...], metrics: dict[str, float], lang: str,
    settings: OcrSettings,
) -> tuple[Word, ...]:
    """Read again the columns tesseract wove together, the runs of words it garbled and the
    lone words it misread, then the lines it left out, then the words that lost a glyph;
    drop the words read twice and join the words cut onto two lines; how many of each goes
    into metrics."""
    for counted in ("columns_reread", "runs_reread", "lone_words_reread", "lines_added", "glyphs_recovered"):
        metrics[counted] = 0
    try:
        words, metrics["columns_reread"] = woven_columns.reread_woven_columns(image, words, lang, settings)
        words, metrics["runs_reread"] = weak_runs.reread_weak_runs(image, words, lang, settings)
        words, metrics["lone_words_reread"] = lone_words.reread_lone_words(image, words, lang, settings)
        words, metrics["lines_added"] = missed_lines.read_missed_lines(
            image, words, metrics.get("glyph_px", 0.0) * metrics.get("enlarged", 1.0), lang,
            settings)
        words, metrics["glyphs_recovered"] = lost_glyphs.read_lost_glyphs(image, words, lang, settings)
    except tesseract.OcrTimeout:
        pass
    words, metrics["words_read_twice"] = nested_words.drop_nested(words, settings)
    words, metrics["split_words_joined"] = nested_words.join_split_words(words, settings)
    return words


def _turn_first(image: Image.Image, settings: OcrSettings) -> tuple[Image.Image, int | None]:
    """Turn a page whose lines run up and down the way OSD says, before reading it."""
    found = tesseract.orientation(image, settings)
    if found is None or found.rotate not in (90, 270) or found.confidence < settings.osd_min_confidence:
        return image, None
    return image.rotate(-found.rotate, expand=True, fillcolor=255), found.rotate


def read_image_page(raw: RawPage, index: int, lang: str, settings: OcrSettings) -> PageReading:
    """OCR one page and grade it; a page tesseract gives up on grades illegible."""
    prepared = preprocess.prepare(raw, settings)
    metrics = dict(prepared.metrics)
    metrics.update(page_width_px=prepared.image.width, page_height_px=prepared.image.height)
    try:
        image = prepared.image
        if settings.extra_passes and preprocess.looks_quarter_turned(np.asarray(image), settings):
            image, turned = _turn_first(image, settings)
            if turned:
                metrics["turned_deg"] = float(turned)
        elif settings.extra_passes and raw.bit_depth == 8 and preprocess.looks_upside_down(
            np.asarray(image), settings
        ):
            image = image.rotate(180, fillcolor=255)
            metrics["turned_deg"] = 180.0
        words = tesseract.recognise(image, lang, settings)
        if metrics.get("turned_deg") == 180.0 and _weak(words, settings):  # a wrong guess?
            again = tesseract.recognise(prepared.image, lang, settings)
            if _score(again) > _score(words):
                image, words = prepared.image, again
                del metrics["turned_deg"]
        stats = quality.word_stats(words)
        if (
            settings.extra_passes
            and stats.get("mean_conf", 0.0) < settings.retry_below_confidence
            and stats["plausible_words"] >= settings.min_words
            and metrics.get("sharpness", 1e9) >= settings.poor_max_sharpness  # blur explains it
        ):
            image, words, turned = _upright_retry(image, words, lang, settings)
            if turned:
                metrics["turned_deg"] = float((metrics.get("turned_deg", 0.0) + turned) % 360)
                stats = quality.word_stats(words)
    except tesseract.OcrTimeout as e:
        metrics["timeout_s"] = settings.page_timeout_s
        return PageReading(index, "ocr", "", (), None, Quality.ILLEGIBLE, str(e), _rounded(metrics))
    metrics["glyph_px"] = preprocess.print_size(np.asarray(image)) / metrics.get("enlarged", 1.0)
    metrics.update(stats)
    grade, reason = quality.grade_ocr_page(metrics, settings)
    if settings.extra_passes and grade is Quality.OK:  # graded on the first reading
        words = _second_look(image, words, metrics, lang, settings)
    words, metrics["codes_resolved"] = code_pass.second_pass(image, words, settings)
    kept = tuple(w for w in words if w.confidence >= settings.word_min_confidence)
    return PageReading(
        index=index,
        source="ocr",
        text=page_text(kept),
        words=kept,
        mean_confidence=round(stats["mean_conf"], 2) if "mean_conf" in stats else None,
        quality=grade,
        reason=reason,
        metrics=_rounded(metrics),
    )
