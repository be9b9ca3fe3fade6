"""Process settings from the environment (TRADEIN_*), with an embedded SQLite default."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from claims.programme import Programme, load_programme


class Settings(BaseSettings):
    """Where data lives and which programme applies."""

    model_config = SettingsConfigDict(env_prefix="TRADEIN_", extra="ignore")

    data_dir: Path = Field(default=Path("./var"))
    database_url: str | None = None
    inbox: str | None = None
    programme_file: Path | None = None
    ocr_dpi: int = 300
    ocr_page_timeout_s: float = 60.0

    @property
    def resolved_database_url(self) -> str:
        """The database URL; an SQLite file under the data directory by default."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'tradein.sqlite3').resolve()}"

    @property
    def inbox_url(self) -> str:
        """The inbox (a local path or fsspec URL); ``<data_dir>/inbox`` by default."""
        return self.inbox or str((self.data_dir / "inbox").resolve())

    @property
    def store_dir(self) -> Path:
        """The content-addressed document store."""
        return (self.data_dir / "store").resolve()

    @property
    def quarantine_dir(self) -> Path:
        """Where malformed bundles are moved, each beside its error.json."""
        return (self.data_dir / "quarantine").resolve()

    @cached_property
    def programme(self) -> Programme:
        """The programme configuration in force."""
        return load_programme(self.programme_file)


def get_settings() -> Settings:
    """Read settings from the environment now (no process-wide cache: tests change it)."""
    return Settings()
