"""The pipeline the nightly run uses: files in the content store, ``read_all`` in a flow on the
nightly flow's task runner, readings cached in a fresh database.

Only the reading is timed (plan, OCR, assemble and cache writes), not the Prefect API's
start-up nor the database migration.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

from prefect import flow

from bench.raw import cpu_seconds
from flows.nightly import nightly, read_all
from models.migrate import upgrade
from ocr.types import DocumentReading
from tradein.settings import get_settings
from tradein.store import ContentStore

Key = tuple[str, str]


def use_data_dir(directory: Path) -> None:
    """Point tradein's settings at a fresh data directory and migrated SQLite database."""
    directory.mkdir(parents=True, exist_ok=True)
    os.environ["TRADEIN_DATA_DIR"] = str(directory)
    os.environ["TRADEIN_DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    upgrade(get_settings().resolved_database_url)


def store(files: Sequence[tuple[Path, str]]) -> list[Key]:
    """Put each file into the content store; its (sha256, languages) reading key."""
    content = ContentStore(get_settings().store_dir)
    return [(content.put_bytes(path.read_bytes()), languages) for path, languages in files]


@flow(name="bench-ocr", task_runner=nightly.task_runner.duplicate(), log_prints=False)
def read_keys(keys: list[Key]) -> tuple[dict[Key, DocumentReading], dict[Key, str], float, float]:
    """Read every key as the nightly flow does; the readings, errors, wall and CPU seconds
    (this process and its engines; not the Prefect API server's)."""
    start, cpu = time.perf_counter(), cpu_seconds()
    readings, errors, _ = read_all(keys)
    return readings, errors, time.perf_counter() - start, cpu_seconds() - cpu
