"""Reading again the stretches of a line that tesseract's page layout garbled.

Tesseract sometimes cuts a line wrongly on a photographed or scanned page: a label and its
value far apart in a boxed table ('Facture n° ... F0020157' read as 'eserent Ion ESA', all
at confidence 0), or a value glued to a table rule beside it. Read alone, as one line, the
same pixels read right. So each run of weak words on a line is cropped and read again as a
single line; the new words replace the run only when they are clearly more confident.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from statistics import median

from PIL import Image

from ocr import tesseract
from ocr.layout import word_confidence
from ocr.types import OcrSettings, Word


def weak_runs(words: Sequence[Word], settings: OcrSettings) -> list[tuple[int, int]]:
    """(start, end) index ranges of consecutive words of one line all read with less than
    settings.weak_word_confidence."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, w in enumerate(words):
        weak = w.confidence < settings.weak_word_confidence
        if start is not None and (not weak or w.line != words[start].line):
            runs.append((start, i))
            start = None
        if weak and start is None:
            start = i
    if start is not None:
        runs.append((start, len(words)))
    return runs


def _box(run: Sequence[Word], image: Image.Image) -> tuple[int, int, int, int]:
    """The run's band: from its top down by its words' median height (a garbled word's box
    often reaches into the next line), widened by that height at both ends."""
    height = int(median(w.height for w in run))
    pad = max(2, height // 5)
    left = max(0, min(w.left for w in run) - height)
    right = min(image.width, max(w.left + w.width for w in run) + height)
    top = max(0, min(w.top for w in run) - pad)
    return left, top, right, min(image.height, top + height + 2 * pad)


def reread_weak_runs(
    image: Image.Image, words: Sequence[Word], lang: str, settings: OcrSettings
) -> tuple[tuple[Word, ...], int]:
    """Read each weak run again as one line; the words and how many runs were replaced."""
    out = list(words)
    replaced = 0
    runs = weak_runs(words, settings)[: settings.max_weak_rereads]
    for start, end in reversed(runs):  # from the end: earlier indexes stay valid
        run = words[start:end]
        left, top, right, bottom = _box(run, image)
        if right - left < 2 * (bottom - top):
            continue  # a speck or a stray mark, not a stretch of print
        again = tesseract.recognise_line(image.crop((left, top, right, bottom)), lang, settings)
        if not again or word_confidence(again) < word_confidence(run) + settings.weak_reread_gain:
            continue
        line = run[0].line
        out[start:end] = [replace(w, left=w.left + left, top=w.top + top, line=line) for w in again]
        replaced += 1
    return tuple(out), replaced
