"""The command line on a real database: imports, errors as one line with an exit code, schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from typer.testing import CliRunner

from models.db import get_engine, session_scope
from models.schema import Base, CatalogueEntry
from tradein.cli import app
from tradein.settings import get_settings

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]

CATALOGUE = """country,part_number,product_name,reward_amount,currency
DE,11LN0004GE,ThinkSmart Core,250.00,EUR
DE,12C3000AGE,ThinkSmart Bar,abc,EUR
FR,12C3000AGE,ThinkSmart Bar,150.00,EUR
"""


def test_import_reports_bad_rows_by_line_and_loads_the_rest(env: Path, tmp_path: Path):
    csv = tmp_path / "catalogue.csv"
    csv.write_text(CATALOGUE)
    strict = runner.invoke(app, ["catalogue", "import", str(csv), "--strict"])
    assert strict.exit_code == 2
    assert '"line": 3' in strict.stderr
    with session_scope(get_settings().resolved_database_url) as session:
        assert session.query(CatalogueEntry).count() == 0
    result = runner.invoke(app, ["catalogue", "import", str(csv)])
    assert result.exit_code == 0
    assert "2 row(s) loaded, 1 bad row(s) skipped" in result.stdout
    csv.write_text(CATALOGUE.replace("250.00", "275.00"))
    runner.invoke(app, ["catalogue", "import", str(csv)])  # upsert: same rows, new amount
    with session_scope(get_settings().resolved_database_url) as session:
        rows = session.query(CatalogueEntry).order_by(CatalogueEntry.country).all()
        assert [(r.country, str(r.reward_amount)) for r in rows] == [("DE", "275.00"), ("FR", "150.00")]


def test_migrations_match_the_models(database_url: str):
    with get_engine(database_url).connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_errors_are_one_line_with_exit_code(tmp_path: Path):
    env = {"TRADEIN_DATA_DIR": str(tmp_path), "TRADEIN_DATABASE_URL": "nosuchdb://x", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "tradein", "db", "upgrade"], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 2
    assert result.stderr.startswith("tradein: error: CONFIGURATION_ERROR") and len(result.stderr.splitlines()) == 1
    env["TRADEIN_DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-m", "tradein", "partners", "import", "missing.csv"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_prefect_yaml_declares_the_nightly_deployment():
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    nightly = next(d for d in config["deployments"] if d["name"] == "nightly")
    assert nightly["entrypoint"] == "flows/nightly.py:nightly"
    assert nightly["schedules"][0] == {"cron": "0 2 * * *", "timezone": "Europe/Berlin", "active": True}
    module, _, name = nightly["entrypoint"].partition(":")
    assert (ROOT / module).exists()
