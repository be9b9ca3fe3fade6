"""Reading one document file: plan it, read each page, grade the whole.

The stages, top to bottom: :func:`plan_document` (engine check -> size and type checks ->
page count; PDF pages with a usable text layer are read here, the others become page jobs)
-> :func:`read_page` for each job (rasterise or decode, prepare, OCR; independent of the
other pages, so the pages of a document can be read in parallel) -> :func:`assemble` (the
document grade). A file that cannot be opened is an UNREADABLE reading, never an exception;
a missing engine is an EngineMissingError.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import filetype

from ocr import page as page_reader
from ocr import poppler, quality, rasterise, tesseract
from ocr.images import RawPage, count_pages, open_page
from ocr.media import PDF, UNKNOWN, sniff_media_type
from ocr.plan import DocumentPlan, PageJob
from ocr.types import (
    DocumentReading,
    OcrSettings,
    PageReading,
    Quality,
    UnreadableFile,
    worst,
)

__all__ = [
    "DEFAULT_SETTINGS",
    "assemble",
    "plan_document",
    "read_document",
    "read_page",
    "read_planned",
    "sniff_media_type",
]

DEFAULT_SETTINGS = OcrSettings()

_PDF_TAIL = 4096  # readers look for %%EOF near the end; a cut-off upload has none


def read_document(
    path: Path, languages: Sequence[str], settings: OcrSettings = DEFAULT_SETTINGS
) -> DocumentReading:
    """Read a document file into graded pages; a broken file grades UNREADABLE.

    Never raises for a bad file (zero-byte, truncated, encrypted, oversized, not a document).
    Raises EngineMissingError when tesseract or poppler is absent, EngineError when an
    engine fails on input it should have handled.
    """
    return read_planned(plan_document(path, languages, settings), settings)


def read_planned(plan: DocumentPlan, settings: OcrSettings = DEFAULT_SETTINGS) -> DocumentReading:
    """Read every page job of a plan, one after the other, and grade the document."""
    return assemble(plan, [read_page(plan, job, settings) for job in plan.jobs], settings)


def plan_document(
    path: Path, languages: Sequence[str], settings: OcrSettings = DEFAULT_SETTINGS
) -> DocumentPlan:
    """Open a file far enough to know its pages: the PDF text layer is read here, every other
    page becomes a job for :func:`read_page`. Never raises for a bad file."""
    path = Path(path)
    lang, missing = tesseract.resolve_languages(languages, settings)
    notes = [f"no tesseract data for {', '.join(missing)}"] if missing else []
    media_type = sniff_media_type(path)
    bare = DocumentPlan(str(path), media_type, lang, 0, notes=tuple(notes))
    try:
        size = path.stat().st_size
    except OSError as e:
        return replace(bare, unreadable=f"the file cannot be read ({e.strerror or e})")
    if size == 0:
        return replace(bare, unreadable="the file is empty (0 bytes)")
    if size > settings.max_file_bytes:
        return replace(bare, unreadable=(
            f"the file has {size:,} bytes, above the {settings.max_file_bytes:,} byte limit"))
    if media_type == UNKNOWN:
        return replace(bare, unreadable=_not_a_document(path))
    try:
        planner = _plan_pdf if media_type == PDF else _plan_image
        plan = planner(bare, path, settings)
    except UnreadableFile as e:
        return replace(bare, unreadable=str(e))
    shown = len(plan.read) + len(plan.jobs)
    if plan.total_pages > shown:
        plan = replace(plan, notes=(*plan.notes,
                                    f"only the first {shown} of {plan.total_pages} pages were read"))
    return plan


def read_page(plan: DocumentPlan, job: PageJob, settings: OcrSettings = DEFAULT_SETTINGS) -> PageReading:
    """OCR one page of a planned document; a page that cannot be decoded grades UNREADABLE."""
    try:
        if plan.media_type == PDF:
            dpi = _raster_dpi(job.pdf_image, settings)
            raster = rasterise.rasterise_page(Path(plan.path), job.index + 1, settings, dpi)
            raw = RawPage(raster, float(dpi), float(dpi), 8, "pdf")
        else:
            raw = open_page(Path(plan.path), job.index, settings)
    except UnreadableFile as e:
        return PageReading(job.index, "ocr", "", (), None, Quality.UNREADABLE, str(e))
    reading = page_reader.read_image_page(raw, job.index, plan.lang, settings)
    if job.pdf_image is not None:
        reading = _with_pdf_image_facts(reading, job.pdf_image, settings)
    return reading


def _raster_dpi(image: poppler.PageImage | None, settings: OcrSettings) -> int:
    """The resolution to render a PDF page at: fax_dpi for a page that is a 1-bit scan (a fax
    sent as PDF), settings.dpi for anything else."""
    scanned = image is not None and image.width / max(image.ppi_x, 1.0) >= settings.scan_min_width_in
    return settings.fax_dpi if scanned and image.bits == 1 else settings.dpi


def assemble(
    plan: DocumentPlan, pages: Iterable[PageReading], settings: OcrSettings = DEFAULT_SETTINGS
) -> DocumentReading:
    """Grade the document from the plan's pages and the pages read for its jobs."""
    if plan.unreadable is not None:
        return _unreadable(plan.media_type, plan.unreadable)
    every = tuple(sorted((*plan.read, *pages), key=lambda p: p.index))
    if not every:
        return _unreadable(plan.media_type, "the document has no pages")
    broken = [p for p in every if p.quality is Quality.UNREADABLE]
    if len(broken) == len(every):
        return _unreadable(plan.media_type, broken[0].reason)
    return _summarise(plan.media_type, every, list(plan.notes), settings)


def _not_a_document(path: Path) -> str:
    try:
        kind = filetype.guess(str(path))
    except OSError:
        kind = None
    if kind is not None:
        return f"not a supported document ({kind.mime})"
    return "not a document (no PDF, JPEG, PNG or TIFF signature)"


def _unreadable(media_type: str, reason: str) -> DocumentReading:
    return DocumentReading(media_type, (), Quality.UNREADABLE, reason, None)


def _check_pdf_end(path: Path) -> None:
    with open(path, "rb") as f:
        f.seek(0, 2)
        f.seek(max(0, f.tell() - _PDF_TAIL))
        if b"%%EOF" not in f.read():
            raise UnreadableFile("the PDF is truncated (no end-of-file marker)")


def _plan_pdf(plan: DocumentPlan, path: Path, settings: OcrSettings) -> DocumentPlan:
    _check_pdf_end(path)
    info = poppler.pdf_info(path, settings)
    last = min(info.pages, settings.max_pages)
    layer = poppler.text_layer(path, last, settings)
    images = poppler.page_images(path, last, settings)
    read: list[PageReading] = []
    jobs: list[PageJob] = []
    for index in range(last):
        page = layer[index] if index < len(layer) else poppler.LayerPage((), 0, 0)
        image = images.get(index + 1)
        scanned = (image is not None
                   and image.width / max(image.ppi_x, 1.0) >= settings.scan_min_width_in)
        if _usable_layer(page.words, scanned, settings):
            reading = _text_layer_page(index, page)
            if image is not None:
                reading = _with_pdf_image_facts(reading, image, settings)
            read.append(reading)
        else:
            jobs.append(PageJob(index, image))
    return replace(plan, total_pages=info.pages, read=tuple(read), jobs=tuple(jobs))


def _plan_image(plan: DocumentPlan, path: Path, settings: OcrSettings) -> DocumentPlan:
    total = count_pages(path)
    if total < 1:
        raise UnreadableFile("the image has no pages")
    jobs = tuple(PageJob(index) for index in range(min(total, settings.max_pages)))
    return replace(plan, total_pages=total, jobs=jobs)


def _usable_layer(words: Sequence, scanned: bool, settings: OcrSettings) -> bool:
    stats = quality.word_stats(words)
    if stats["plausible_words"] == 0 or stats["dict_ratio"] < settings.min_text_layer_dict_ratio:
        return False
    return not scanned or stats["plausible_words"] >= settings.min_text_layer_words


def _text_layer_page(index: int, page: poppler.LayerPage) -> PageReading:
    words = page.words
    stats = quality.word_stats(words)
    metrics = {"text_layer": 1.0, **stats, "page_width_px": page.width_px,
               "page_height_px": page.height_px}
    return PageReading(
        index=index,
        source="text_layer",
        text=page_reader.page_text(words),
        words=words,
        mean_confidence=100.0,
        quality=Quality.OK,
        reason=f"text layer, {stats['words']:.0f} words",
        metrics=tuple((k, round(float(v), 3)) for k, v in metrics.items()),
    )


def _with_pdf_image_facts(
    reading: PageReading, image: poppler.PageImage, settings: OcrSettings
) -> PageReading:
    facts = {
        "pdf_image_bits": float(image.bits),
        "pdf_image_ppi_x": image.ppi_x,
        "pdf_image_ppi_y": image.ppi_y,
    }
    fax = quality.fax_reason(
        {"bit_depth": image.bits, "dpi_x": image.ppi_x, "dpi_y": image.ppi_y,
         "raw_width_px": image.width},
        settings,
    )
    grade, reason = reading.quality, reading.reason
    if fax:
        grade = quality.as_fax(grade)
        reason = f"{fax}, {reason}"
    metrics = reading.metrics + tuple((k, round(v, 3)) for k, v in facts.items())
    return replace(reading, quality=grade, reason=reason, metrics=metrics)


def _blank_pages_ok(pages: tuple[PageReading, ...], settings: OcrSettings) -> tuple[PageReading, ...]:
    """A flat wordless page next to pages with text is a blank back side, not an illegible one."""
    if not any(p.words for p in pages):
        return pages
    return tuple(
        replace(p, quality=Quality.OK, reason="blank page")
        if p.source == "ocr" and quality.is_blank(dict(p.metrics), settings) else p
        for p in pages
    )


def _summarise(
    media_type: str, pages: tuple[PageReading, ...], notes: list[str], settings: OcrSettings
) -> DocumentReading:
    pages = _blank_pages_ok(pages, settings)
    grade = worst(*(p.quality for p in pages))
    ocr_words = [w.confidence for p in pages if p.source == "ocr"
                 for w in quality.counted(p.words)]
    if ocr_words:
        confidence: float | None = round(sum(ocr_words) / len(ocr_words), 2)
    elif any(p.source == "text_layer" for p in pages):
        confidence = 100.0
    else:
        confidence = None
    if not any(p.words for p in pages) and grade.rank < Quality.ILLEGIBLE.rank:
        grade = Quality.ILLEGIBLE
        reason = "no text found on any page"
    else:
        reason = _reason(pages, grade)
    return DocumentReading(media_type, pages, grade, "; ".join([reason, *notes]), confidence)


def _reason(pages: tuple[PageReading, ...], grade: Quality) -> str:
    if len(pages) == 1:
        return pages[0].reason
    if grade is Quality.OK:
        sources = sorted({p.source.replace("_", " ") for p in pages})
        return f"{len(pages)} pages ok ({', '.join(sources)})"
    bad = [p for p in pages if p.quality is grade]
    shown = "; ".join(f"page {p.index + 1}: {p.reason}" for p in bad[:3])
    more = f" (+{len(bad) - 3} more)" if len(bad) > 3 else ""
    return shown + more
