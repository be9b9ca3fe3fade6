"""A document's reading plan: what was settled by opening the file, and which pages need OCR.

:func:`ocr.document.plan_document` makes a plan (cheap: type and size checks, page count,
PDF text layer); each :class:`PageJob` is read on its own by :func:`ocr.document.read_page`
(so that the pages of one document can be OCR'd in parallel), and
:func:`ocr.document.assemble` grades the pages into the DocumentReading.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ocr.poppler import PageImage
from ocr.types import PageReading


@dataclass(frozen=True)
class PageJob:
    """One page to OCR: its 0-based index in the file and what the PDF says about its image."""

    index: int
    pdf_image: PageImage | None = None  # the page's largest embedded image (PDF only)


@dataclass(frozen=True)
class DocumentPlan:
    """The file's type and language, the pages already read (text layer) and those to OCR.

    ``unreadable`` holds the reason when the file cannot be opened at all; the plan then
    has no pages and no jobs.
    """

    path: str
    media_type: str
    lang: str  # tesseract's language string, e.g. 'deu+eng'
    total_pages: int
    read: tuple[PageReading, ...] = ()
    jobs: tuple[PageJob, ...] = ()
    notes: tuple[str, ...] = ()
    unreadable: str | None = None

    @property
    def name(self) -> str:
        """The file's name (in the content store: its hash), for logs and task names."""
        return Path(self.path).name

    @property
    def parallel(self) -> bool:
        """Whether the document has more than one page to OCR (worth a task per page)."""
        return len(self.jobs) > 1
