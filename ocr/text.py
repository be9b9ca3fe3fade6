"""Plain text as a DocumentReading, for extraction from text that did not come from a file.

Each line becomes a row of words on a fixed grid (one character = 20 px, one line = 60 px),
so runs of three or more spaces separate cells as a wide gap does on a page.
"""

from __future__ import annotations

import re

from ocr.page import page_text
from ocr.quality import word_stats
from ocr.types import DocumentReading, PageReading, Quality, Word

CHAR_PX = 20
LINE_PX = 60


def _page_words(text: str, confidence: float) -> tuple[Word, ...]:
    words: list[Word] = []
    for row, line in enumerate(text.splitlines()):
        for m in re.finditer(r"\S+", line):
            width = CHAR_PX * len(m.group())
            words.append(Word(m.group(), confidence, CHAR_PX * m.start(), LINE_PX * row,
                              width, 40, row))
    return tuple(words)


def reading_from_text(text: str, confidence: float = 100.0) -> DocumentReading:
    """Wrap text (pages split on form feeds) as an OK reading whose words all have confidence."""
    pages = []
    for index, chunk in enumerate(text.split("\f")):
        words = _page_words(chunk, confidence)
        stats = word_stats(words)
        pages.append(PageReading(
            index=index, source="text_layer", text=page_text(words), words=words,
            mean_confidence=confidence, quality=Quality.OK, reason="plain text",
            metrics=tuple((k, round(v, 3)) for k, v in stats.items()),
        ))
    return DocumentReading("text/plain", tuple(pages), Quality.OK, "plain text", confidence)
