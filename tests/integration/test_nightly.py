"""The whole path, end to end: sample bundles -> nightly flow (real Prefect API, real OCR) -> records.

Runs on SQLite and PostgreSQL. Every record validates against the shipped JSON Schema.
"""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from fixtures.check import compare, render
from fixtures.samples import generate_samples
from models.db import session_scope
from models.schema import Claim
from tradein.cli import app
from tradein.settings import get_settings

pytestmark = pytest.mark.usefixtures("prefect_api")
runner = CliRunner()


@pytest.fixture(scope="session")
def samples(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    generate_samples(out)
    return out


@pytest.fixture(scope="session")
def record_schema() -> dict:
    return json.loads(resources.files("claims.schemas").joinpath("decision_record.schema.json").read_text())


def cli(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def records() -> dict[str, dict]:
    code, out, _ = cli("decisions", "--format", "jsonl")
    assert code == 0
    return {r["claim_ref"]: r for r in (json.loads(line) for line in out.splitlines() if line.strip())}


def load_references(samples: Path) -> None:
    for kind in ("partners", "catalogue", "devices"):
        code, out, err = cli(kind, "import", str(samples / "reference" / f"{kind}.csv"))
        assert code == 0, err
        assert "0 bad row(s)" in out


def fresh_inbox(samples: Path, data_dir: Path) -> Path:
    inbox = data_dir / "inbox"
    shutil.copytree(samples / "inbox", inbox)
    return inbox


def test_nightly_decides_every_sample_as_its_scenario_says(env: Path, samples: Path, record_schema: dict):
    load_references(samples)
    inbox = fresh_inbox(samples, env)
    code, out, err = cli("nightly", "--inbox", str(inbox))
    assert code == 0, out + err
    assert "# Nightly trade-in run" in out

    got = records()
    for record in got.values():
        jsonschema.validate(record, record_schema)
    expected = json.loads((samples / "expected.json").read_text())
    results = compare(expected, got, get_settings().quarantine_dir, inbox)
    assert all(r.ok for r in results), render(results)
    assert not any(inbox.iterdir()), "every bundle ends as a claim or in quarantine"


def test_second_run_creates_nothing_and_changes_no_decision(env: Path, samples: Path):
    load_references(samples)
    cli("nightly", "--inbox", str(fresh_inbox(samples, env)))
    first = records()
    shutil.rmtree(env / "inbox")
    inbox = fresh_inbox(samples, env)  # the same bundles delivered again
    code, out, _ = cli("nightly", "--inbox", str(inbox))
    assert code == 0
    assert records() == first
    with session_scope(get_settings().resolved_database_url) as session:
        assert session.query(Claim).count() == len(first)
    assert "bundles ingested: **0**" in out
    assert "| approved |" in latest_summary_artifact()


def latest_summary_artifact() -> str:
    """The Markdown the last run published to the Prefect API."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["nightly-summary"]))
        )
    assert artifacts, "the run published no summary artifact"
    return max(artifacts, key=lambda a: a.created).data


def test_a_failing_claim_is_recorded_does_not_stop_the_others_and_is_retried(env: Path, samples: Path):
    load_references(samples)
    inbox = fresh_inbox(samples, env)
    for bundle in sorted(inbox.iterdir())[3:]:
        shutil.rmtree(bundle)  # a small night: three bundles
    cli("nightly", "--inbox", str(inbox))
    refs = list(records())
    with session_scope(get_settings().resolved_database_url) as session:  # corrupt one stored claim
        claims = session.query(Claim).order_by(Claim.claim_ref).all()
        broken, good = claims[0], claims[1]
        broken.status, broken.decision, broken.payout = "pending", None, None
        good_json, broken.bundle_json = broken.bundle_json, {"claim_ref": broken.claim_ref}
        good.status = "pending"
    code, out, _ = cli("nightly")
    assert code == 1
    assert "Failed (retried by the next run)" in out and broken.claim_ref in out
    after = records()
    assert after[broken.claim_ref]["status"] == "pending"
    assert "MISSING_FIELD" in after[broken.claim_ref]["processing_error"]["error"]
    assert after[good.claim_ref]["status"] != "pending"
    with session_scope(get_settings().resolved_database_url) as session:  # repaired: the next run decides it
        session.query(Claim).filter_by(claim_ref=broken.claim_ref).one().bundle_json = good_json
    code, _, _ = cli("nightly")
    assert code == 0
    assert records()[broken.claim_ref]["status"] != "pending"
    assert set(records()) == set(refs)


def test_hostile_files_end_as_claims_needing_review(env: Path, samples: Path):
    load_references(samples)
    inbox = env / "inbox"
    source = next(p for p in sorted((samples / "inbox").iterdir()) if p.name.endswith("TI25-DE-000101"))
    hostile = {
        "zero.pdf": b"",
        "truncated.pdf": (source / "rechnung.pdf").read_bytes()[:400]
        if (source / "rechnung.pdf").exists()
        else b"%PDF-1.7\n1 0 obj",
        "random.jpg": bytes(range(256)) * 40,
        "not-an-image.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    }
    for i, (name, data) in enumerate(hostile.items()):
        bundle = inbox / f"hostile-{i}"
        shutil.copytree(source, bundle)
        claim = json.loads((bundle / "claim.json").read_text())
        claim["claim_ref"] = f"TI25-HOSTILE-{i}"
        claim["lines"][0]["replaced_device"]["serial"] = f"HOSTILE{i}"
        claim["lines"][0]["qualifying_product"]["serial"] = f"HOSTILE{i}P"
        for doc in claim["documents"]:
            if doc["kind"] == "proof_of_sale":
                doc["file"] = name
        (bundle / name).write_bytes(data)
        (bundle / "claim.json").write_text(json.dumps(claim))
    code, out, err = cli("nightly", "--inbox", str(inbox))
    assert code == 0, out + err
    got = records()
    for i, name in enumerate(hostile):
        record = got[f"TI25-HOSTILE-{i}"]
        assert record["status"] == "needs_review", (name, record)
        assert "UNREADABLE_FILE" in {r["code"] for r in record["reasons"]}, (name, record["reasons"])
        assert next(d for d in record["documents"] if d["file"] == name)["quality"] == "unreadable"
