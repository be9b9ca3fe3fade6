"""Documents for the ocr tests, rendered by fixtures.documents into a session directory.

Every document is generated once per session and read once (``read``): the OCR tests share
readings, which keeps the whole tests/ocr run well under a minute on two cores.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ocr import DocumentReading, OcrSettings, read_document


class DocumentStore:
    """Writes generated documents once and reads each once per session."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._readings: dict[str, DocumentReading] = {}

    def file(self, name: str, make: Callable[[], bytes]) -> Path:
        """The path of a generated file, written on first use."""
        path = self.root / name
        if not path.exists():
            path.write_bytes(make())
        return path

    def read(self, name: str, make: Callable[[], bytes], languages: tuple[str, ...],
             settings: OcrSettings | None = None) -> DocumentReading:
        """The reading of a generated file, read on first use."""
        if name not in self._readings:
            path = self.file(name, make)
            self._readings[name] = read_document(path, languages, settings or OcrSettings())
        return self._readings[name]


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> DocumentStore:
    """The session's generated documents and their readings."""
    return DocumentStore(tmp_path_factory.mktemp("ocr-documents"))
