"""Review end to end against a real `prefect server start` on loopback and a served runner.

A nightly run flags claims and opens suspended `review-<claim_ref>` runs; a resume through the
Prefect API and `tradein review resolve` decide them; a second decision is refused.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from fixtures.samples import generate_samples

STARTUP_S = 180
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"prefect server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("prefect server did not become healthy")


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory) -> dict[str, str]:
    """A real Prefect server on loopback with its own database; returns the env to reach it."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": api,
        "PREFECT_UI_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home / 'prefect.db'}",
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    log = open(home / "server.log", "w")  # noqa: SIM115 (closed in finally)
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_healthy(api, server)
        yield env
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture
def served(prefect_server, tmp_path: Path) -> dict[str, str]:
    """A data directory and `tradein serve` running against the server."""
    env = {**prefect_server, "TRADEIN_DATA_DIR": str(tmp_path / "data")}
    env.pop("TRADEIN_DATABASE_URL", None)
    tradein = [sys.executable, "-m", "tradein"]
    subprocess.run(tradein + ["db", "upgrade"], env=env, check=True, capture_output=True)
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 (closed in finally)
    runner = subprocess.Popen(tradein + ["serve"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    env["_SERVE_LOG"] = str(tmp_path / "serve.log")
    try:
        yield env
    finally:
        time.sleep(3)  # let a just-finished run settle before the runner stops
        runner.terminate()
        try:
            runner.wait(timeout=30)
        except subprocess.TimeoutExpired:
            runner.kill()
        log.close()


def run(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tradein", *args], env=env, capture_output=True, text=True, check=check, cwd=ROOT
    )


def record(env, ref: str) -> dict:
    return json.loads(run(env, "decisions", "--format", "jsonl", "--claim", ref).stdout)


def flow_run(env, run_id: str):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: env["PREFECT_API_URL"]}), get_client(sync_client=True) as c:
        return c.read_flow_run(uuid.UUID(run_id)), c.filter_flow_run_input(
            uuid.UUID(run_id), "suspended-review", 20, set()
        )


def wait_for(env, run_id: str, predicate, timeout: float = 240):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run_, inputs = flow_run(env, run_id)
        if run_.state is not None and predicate(run_.state):
            return run_, inputs
        time.sleep(1)
    raise AssertionError(
        f"run {run_id} stuck in {run_.state.name if run_.state else None}; serve log:\n"
        + Path(env["_SERVE_LOG"]).read_text()[-3000:]
    )


def test_flagged_claims_are_decided_through_their_suspended_review_runs(served, tmp_path: Path):
    samples = tmp_path / "samples"
    generate_samples(samples)
    for kind in ("partners", "catalogue", "devices"):
        run(served, kind, "import", str(samples / "reference" / f"{kind}.csv"))
    inbox = tmp_path / "inbox"
    for bundle in (samples / "inbox").iterdir():
        if bundle.name.endswith(("TI25-DE-000118", "TI25-DE-000119", "TI25-DE-000101")):
            shutil.copytree(bundle, inbox / bundle.name)
    nightly = run(served, "nightly", "--inbox", str(inbox))
    assert "2 review run(s) opened" in nightly.stdout, nightly.stdout + nightly.stderr

    listed = run(served, "review", "list").stdout
    ids = {line.split()[0]: line.rsplit("review run ", 1)[1].rstrip(")") for line in listed.splitlines()}
    assert set(ids) == {"TI25-DE-000118", "TI25-DE-000119"}

    third_party, inputs = wait_for(served, ids["TI25-DE-000118"], lambda s: s.is_paused())
    assert third_party.name == "review-TI25-DE-000118"
    description = " ".join(i.value for i in inputs if i.key.endswith("description"))
    assert "THIRD_PARTY_PAYEE" in description and "Invoice as read" in description

    # a reviewer resumes through the Prefect API (what the UI's Resume form does)
    from prefect.flow_runs import resume_flow_run
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: served["PREFECT_API_URL"]}):
        resume_flow_run(
            uuid.UUID(ids["TI25-DE-000118"]),
            run_input={"decision": "reject", "reason": "", "reviewer": "ana"},
            _sync=True,
        )
    again, inputs = wait_for(
        served,
        ids["TI25-DE-000118"],
        lambda s: (
            s.is_paused()
            and any(i.key.startswith("suspended-review-1") for i in flow_run(served, ids["TI25-DE-000118"])[1])
        ),
    )
    assert any(
        "refused" in i.value for i in inputs if i.key.startswith("suspended-review-1") and i.key.endswith("description")
    )
    with temporary_settings({PREFECT_API_URL: served["PREFECT_API_URL"]}):
        resume_flow_run(
            uuid.UUID(ids["TI25-DE-000118"]),
            run_input={"decision": "approve", "reviewer": "ana", "reason": "payee is the partner's owner"},
            _sync=True,
        )
    wait_for(served, ids["TI25-DE-000118"], lambda s: s.is_completed())
    decided = record(served, "TI25-DE-000118")
    assert decided["status"] == "approved" and decided["review"]["reviewer"] == "ana"
    assert decided["payout"]["status"] == "awaiting_device_receipt"

    # the terminal resumes the other run; a second decision is refused
    wait_for(served, ids["TI25-DE-000119"], lambda s: s.is_paused())
    out = run(
        served, "review", "resolve", "TI25-DE-000119", "--reject", "--reason", "distributor invoice", "--reviewer", "bo"
    )
    assert "TI25-DE-000119: rejected (review run" in out.stdout
    assert record(served, "TI25-DE-000119")["review"]["decision"] == "reject"
    second = run(served, "review", "resolve", "TI25-DE-000119", "--approve", check=False)
    assert second.returncode == 2 and "already decided" in second.stderr
