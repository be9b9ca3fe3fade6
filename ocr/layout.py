"""Words to visual rows and cells: the geometry that invoice field extraction reads.

A *row* is the words whose vertical centres line up; a *cell* is a run of words in a row
with no wide horizontal gap (a label and a far right-aligned value are two cells).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import mean, median

from ocr.types import Word

# Punctuation that clings to a word's ends without being part of what it says.
WORD_PUNCTUATION = ".,:;!?()[]'\"‘’“”«»"


def word_confidence(words: Iterable[Word]) -> float:
    """Mean confidence of the words a value came from (0 when there are none)."""
    values = [w.confidence for w in words]
    return round(mean(values), 1) if values else 0.0


@dataclass(frozen=True)
class Cell:
    """Adjacent words of one visual row."""

    page: int
    row: int  # index of the row on its page, top to bottom
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        """The words joined with single spaces."""
        return " ".join(w.text for w in self.words)

    @property
    def left(self) -> int:
        """Left edge in pixels."""
        return min(w.left for w in self.words)

    @property
    def right(self) -> int:
        """Right edge in pixels."""
        return max(w.left + w.width for w in self.words)

    @property
    def top(self) -> int:
        """Top edge in pixels."""
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        """Bottom edge in pixels."""
        return max(w.top + w.height for w in self.words)

    @property
    def height(self) -> float:
        """Median word height: a proxy for the font size."""
        return float(median(w.height for w in self.words))

    def tail(self, start: int) -> Cell | None:
        """The cell made of the words from index start on (None when nothing is left)."""
        rest = self.words[start:]
        return Cell(self.page, self.row, rest) if rest else None


TALL_WORD = 1.6  # a word this many times the page's median word height: a heading, or a
# box tesseract drew lines tall around print it garbled


def rows(words: Sequence[Word]) -> list[list[Word]]:
    """Group words into visual rows (top to bottom), each sorted left to right.

    Words of body size make the rows; tall words join afterwards the row within their
    height whose print stands nearest beside them. Taken first, a heading spanned two rows
    of the smaller print beside it and wove them into one ('Rechnungsanschrift' into the
    buyer's name printed under it).
    """
    if not words:
        return []
    tall = TALL_WORD * median(w.height for w in words)
    body, body_centres = _grouped([w for w in words if w.height < tall])
    alone = []
    for w in (w for w in words if w.height >= tall):
        beside = _row_beside(w, body, body_centres)
        if beside is None:
            alone.append(w)
        else:
            body[beside].append(w)
    large, large_centres = _grouped(alone)
    out, centres = body + large, body_centres + large_centres
    order = sorted(range(len(out)), key=lambda i: centres[i])
    return [sorted(out[i], key=lambda w: w.left) for i in order]


def _grouped(words: Sequence[Word]) -> tuple[list[list[Word]], list[float]]:
    """Words grouped top to bottom into rows whose middles lie within half the taller
    height of one another, with each row's running middle."""
    out: list[list[Word]] = []
    centres: list[float] = []
    for w in sorted(words, key=lambda w: (w.top + w.height / 2, w.left)):
        centre = w.top + w.height / 2
        for i in range(len(out) - 1, max(-1, len(out) - 4), -1):
            row_h = median(x.height for x in out[i])
            if abs(centre - centres[i]) <= 0.5 * max(row_h, w.height):
                out[i].append(w)
                centres[i] += (centre - centres[i]) / len(out[i])
                break
        else:
            out.append([w])
            centres.append(centre)
    return out, centres


def _row_beside(word: Word, rows: Sequence[Sequence[Word]], centres: Sequence[float]) -> int | None:
    """The row within a tall word's height whose print stands nearest beside it (None: no
    row lies within its height)."""
    centre = word.top + word.height / 2
    within = [i for i in range(len(rows)) if abs(centres[i] - centre) <= 0.5 * word.height]
    def fit(i: int) -> tuple[bool, float, float]:  # print under or over it is no print beside it
        gap = _gap(word, rows[i])
        return gap <= 0, gap, abs(centres[i] - centre)
    return min(within, key=fit, default=None)


def _gap(word: Word, row: Sequence[Word]) -> float:
    """How far across the page a word stands from the nearest word of a row (0: it stands
    over or under one of them)."""
    return min(max(0, w.left - (word.left + word.width), word.left - (w.left + w.width)) for w in row)


def cells(page: int, words: Sequence[Word], gap_factor: float = 1.2) -> list[Cell]:
    """Split each row at gaps wider than gap_factor x the row's median word height."""
    out: list[Cell] = []
    for index, row in enumerate(rows(words)):
        h = median(w.height for w in row) or 1
        current = [row[0]]
        for w in row[1:]:
            prev = current[-1]
            if w.left - (prev.left + prev.width) > gap_factor * h:
                out.append(Cell(page, index, tuple(current)))
                current = [w]
            else:
                current.append(w)
        out.append(Cell(page, index, tuple(current)))
    return out


def right_of(cell: Cell, all_cells: Sequence[Cell]) -> Cell | None:
    """The nearest cell to the right of cell on the same row."""
    same = [c for c in all_cells if c.page == cell.page and c.row == cell.row
            and c.left >= cell.right]
    return min(same, key=lambda c: c.left, default=None)


def band_right_of(cell: Cell, all_cells: Sequence[Cell], reach: float = 0.6) -> Cell | None:
    """The words right of cell whose middles lie within reach x its height of its middle,
    left to right, whatever row they were put in: a value printed a little off its label's
    line ('21 de' 'mayo' 'de 2025' beside 'Fecha', split across two rows by a line of the
    next column)."""
    middle = (cell.top + cell.bottom) / 2
    words = sorted((w for c in all_cells if c.page == cell.page for w in c.words
                    if w.left >= cell.right and abs(w.top + w.height / 2 - middle) <= reach * cell.height),
                   key=lambda w: w.left)
    return Cell(cell.page, cell.row, tuple(words)) if words else None


def below(cell: Cell, all_cells: Sequence[Cell], max_rows: int = 2) -> list[Cell]:
    """Cells in the next rows whose horizontal span overlaps cell's, nearest first."""
    limit = cell.bottom + max_rows * 2.2 * cell.height + 10
    found = []
    for c in all_cells:
        if c.page != cell.page or c.row <= cell.row or c.top > limit:
            continue
        overlap = min(c.right, cell.right) - max(c.left, cell.left)
        if overlap > 0 or abs(c.left - cell.left) <= cell.height:
            found.append(c)
    return sorted(found, key=lambda c: (c.row, abs(c.left - cell.left)))


def split_colons(words: Sequence[Word]) -> tuple[Word, ...]:
    """Split 'Label:value' words in two (boxes shared in proportion), leaving '10:30' alone."""
    out: list[Word] = []
    for w in words:
        head, sep, tail = w.text.partition(":")
        if sep and head and tail and not tail[0].isdigit():
            cut = round(w.width * (len(head) + 1) / len(w.text))
            out.append(Word(head + ":", w.confidence, w.left, w.top, cut, w.height, w.line))
            out.append(Word(tail, w.confidence, w.left + cut, w.top, w.width - cut, w.height,
                            w.line))
        else:
            out.append(w)
    return tuple(out)
