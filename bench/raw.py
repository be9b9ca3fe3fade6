"""Raw tesseract, the way a user without this pipeline runs it: the CLI on every page.

PDFs are rasterised with ``pdftoppm -r 300 -gray`` first (that time counts); images (JPEG,
PNG, TIFF with all its pages) go to tesseract as they are. One tesseract process per worker,
``OMP_THREAD_LIMIT=1``, plain text to stdout (discarded), default page segmentation.
"""

from __future__ import annotations

import os
import resource
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ocr.media import PDF, sniff_media_type

_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _tesseract(image: Path, lang: str) -> None:
    subprocess.run(["tesseract", str(image), "-", "-l", lang], env=_ENV, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def read_file(path: Path, lang: str) -> None:
    """OCR every page of one file with the tesseract CLI (PDFs through pdftoppm)."""
    if sniff_media_type(path) != PDF:
        _tesseract(path, lang)
        return
    with tempfile.TemporaryDirectory(prefix="bench-raw-") as tmp:
        subprocess.run(["pdftoppm", "-r", "300", "-gray", str(path), str(Path(tmp, "page"))],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for page in sorted(Path(tmp).glob("page*.pgm")):
            _tesseract(page, lang)


def cpu_seconds() -> float:
    """CPU time of this process and its finished children so far (user + system)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run(files: list[tuple[Path, str]], workers: int) -> tuple[float, float]:
    """Read every (path, languages) with ``workers`` tesseract processes at a time; wall and
    CPU seconds."""
    start, cpu = time.perf_counter(), cpu_seconds()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda item: read_file(*item), files))
    return time.perf_counter() - start, cpu_seconds() - cpu
