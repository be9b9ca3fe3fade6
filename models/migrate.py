"""Schema migrations with Alembic: ``tradein db upgrade``."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy.exc import SQLAlchemyError

from models.db import get_engine
from tradein.errors import ConfigurationError


def alembic_config(url: str) -> Config:
    """An Alembic configuration for the packaged migrations and this database."""
    config = Config()
    config.set_main_option("script_location", "models:migrations")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Create or migrate the schema to ``revision``."""
    try:
        with get_engine(url).begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except SQLAlchemyError as e:
        raise ConfigurationError(f"cannot migrate database: {e.__class__.__name__}: {str(e).splitlines()[0]}") from e


def current_revision(url: str) -> str | None:
    """The revision the database is at, or None when it has no schema."""
    from alembic.runtime.migration import MigrationContext

    with get_engine(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
