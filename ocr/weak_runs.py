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


def _on_row(word: Word, top: int, height: float) -> bool:
    """Whether a word stands on the row of print starting at top, height tall (by at least
    half the lower of the two heights)."""
    down = min(word.top + word.height, top + height) - max(word.top, top)
    return down >= 0.5 * min(word.height, height)


def _beside(words: Sequence[Word], run: Sequence[int]) -> tuple[int | None, int | None]:
    """The nearest word on either side of a run, on its row (on whatever line tesseract put
    it), that the run's band would cut into: nearer than the words' height, or overlapping."""
    height = median(words[i].height for i in run)
    top = min(words[i].top for i in run)
    left, right = min(words[i].left for i in run), max(words[i].left + words[i].width for i in run)
    before: int | None = None
    after: int | None = None
    for k, w in enumerate(words):
        if k in run or not _on_row(w, top, height):
            continue
        if w.left < left and w.left + w.width > left - height and (
                before is None or w.left > words[before].left):
            before = k
        elif w.left >= left and w.left < right + height and w.left + w.width > right and (
                after is None or w.left < words[after].left):
            after = k
    return before, after


def grown_runs(words: Sequence[Word], runs: Sequence[tuple[int, int]]) -> list[list[int]]:
    """The runs, as word indexes, each grown by the words beside it that its band would cut
    into: such a word is read again with the run, whole, rather than leaving a piece of it
    beside the new reading ('Uni' 'Jniversitat' 'ität' for 'Universität'). Runs that come to
    share a word are joined."""
    grown: list[list[int]] = []
    for start, end in runs:
        run = list(range(start, end))
        run += [k for k in _beside(words, run) if k is not None]
        for other in [g for g in grown if set(g) & set(run)]:
            grown.remove(other)
            run += other
        grown.append(sorted(set(run)))
    return grown


def _box(words: Sequence[Word], run: Sequence[int], image: Image.Image) -> tuple[int, int, int, int]:
    """The band of a run: from its top down by its words' median height (a garbled word's box
    often reaches into the next line), widened by that height at both ends, short of the
    words beside it on its row."""
    height = int(median(words[i].height for i in run))
    pad = max(2, height // 5)
    row_top = min(words[i].top for i in run)
    top = max(0, row_top - pad)
    left = min(words[i].left for i in run) - height
    right = max(words[i].left + words[i].width for i in run) + height
    for k, w in enumerate(words):
        if k not in run and _on_row(w, row_top, height):
            if w.left + w.width <= left + height:
                left = max(left, w.left + w.width + 1)
            elif w.left >= right - height:
                right = min(right, w.left - 1)
    return max(0, left), top, min(image.width, right), min(image.height, top + height + 2 * pad)


def reread_weak_runs(
    image: Image.Image, words: Sequence[Word], lang: str, settings: OcrSettings
) -> tuple[tuple[Word, ...], int]:
    """Read each weak run again as one line; the words and how many runs were replaced."""
    placed: dict[int, list[Word]] = {}  # first index of a replaced run: its new words
    dropped: set[int] = set()
    for run in grown_runs(words, weak_runs(words, settings)[: settings.max_weak_rereads]):
        left, top, right, bottom = _box(words, run, image)
        if right - left < 2 * (bottom - top):
            continue  # a speck or a stray mark, not a stretch of print
        old = [words[i] for i in run]
        again = tesseract.recognise_line(image.crop((left, top, right, bottom)), lang, settings)
        if not again or word_confidence(again) < word_confidence(old) + settings.weak_reread_gain:
            continue
        line = min(old, key=lambda w: w.confidence).line  # the weak words' line
        placed[run[0]] = [replace(w, left=w.left + left, top=w.top + top, line=line) for w in again]
        dropped.update(run)
    out: list[Word] = []
    for i, w in enumerate(words):
        out.extend(placed.get(i, ()))
        if i not in dropped:
            out.append(w)
    return tuple(out), len(placed)
