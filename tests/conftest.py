"""Shared test fixtures: database backends (SQLite and PostgreSQL), settings, Prefect harness."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

POSTGRES_ADMIN_URL = os.environ.get(
    "TRADEIN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = [b for b in os.environ.get("TRADEIN_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]


def _postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_ADMIN_URL)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgres_ok() -> bool:
    """Whether the PostgreSQL server answers; CI requires it (TRADEIN_REQUIRE_POSTGRES=1)."""
    ok = _postgres_available()
    if not ok and os.environ.get("TRADEIN_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required but not reachable at {POSTGRES_ADMIN_URL}")
    return ok


def _create_postgres_database(name: str) -> str:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
    admin.dispose()
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(name: str) -> None:
    from models.db import get_engine

    get_engine.cache_clear()
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def make_database(backend: str, directory: Path, postgres_ok: bool) -> tuple[str, str | None]:
    """A fresh, empty database of the backend: (url, postgres database name or None)."""
    if backend == "sqlite":
        return f"sqlite:///{directory / 'tradein.sqlite3'}", None
    if not postgres_ok:
        pytest.skip("PostgreSQL not reachable")
    name = f"tradein_test_{uuid.uuid4().hex[:12]}"
    return _create_postgres_database(name), name


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path: Path, postgres_ok: bool) -> Iterator[str]:
    """A fresh, migrated database on each backend."""
    from models.migrate import upgrade

    url, pg_name = make_database(request.param, tmp_path, postgres_ok)
    upgrade(url)
    yield url
    if pg_name:
        _drop_postgres_database(pg_name)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> Path:
    """Settings pointing at a fresh data directory and database; returns the data directory."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    monkeypatch.setenv("TRADEIN_DATA_DIR", str(data_dir))
    monkeypatch.setenv("TRADEIN_DATABASE_URL", database_url)
    monkeypatch.delenv("TRADEIN_INBOX", raising=False)
    return data_dir


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[None]:
    """A real Prefect API (the test harness: a temporary server on SQLite)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
