"""A real `prefect server start` on loopback and `tradein serve` against it, for the review tests.

Import the fixtures into a test module (``from tests.integration.prefect_server import
prefect_server, served``); the modules of one test session share one server. The helpers run the
`tradein` command, write sample bundles and read review runs through the Prefect API.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from fixtures.reference import write_reference_csvs
from fixtures.samples import SCENARIOS, claim_ref, sample_of, write_bundle

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


_server: dict[str, str] | None = None
_server_process: subprocess.Popen | None = None


def _start_server(tmp_path_factory, config) -> dict[str, str]:
    global _server, _server_process
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
        # the SQLite-backed server can answer 500 "database is locked" under load (PrefectHQ/prefect#18934):
        # the runner and the `tradein` commands retry such a request as they retry a 503
        "PREFECT_CLIENT_RETRY_EXTRA_CODES": "500",
    }
    log = open(home / "server.log", "w")  # noqa: SIM115 (closed by stop)
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def stop() -> None:
        global _server, _server_process
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        if _server_process is server:
            _server, _server_process = None, None

    config.add_cleanup(stop)
    _wait_healthy(api, server)
    _server, _server_process = {**env, "_UI_URL": f"http://127.0.0.1:{port}"}, server
    return _server


@pytest.fixture(scope="session")
def prefect_server(request, tmp_path_factory) -> dict[str, str]:
    """A real Prefect server (API and UI) on loopback with its own database; returns the env to reach it.

    Started once per test session and shared by the modules that import this fixture (each test
    still has its own data directory and runner); stopped when the session ends. ``_UI_URL`` is
    the UI's base address; ``PREFECT_UI_API_URL`` points the UI at this port.
    """
    if _server is None or _server_process is None or _server_process.poll() is not None:
        return _start_server(tmp_path_factory, request.config)
    return _server


@pytest.fixture
def served(prefect_server, tmp_path: Path) -> dict[str, str]:
    """A data directory and `tradein serve` running against the server."""
    env = {**prefect_server, "TRADEIN_DATA_DIR": str(tmp_path / "data")}
    env.pop("TRADEIN_DATABASE_URL", None)
    tradein = [sys.executable, "-m", "tradein"]
    subprocess.run(tradein + ["db", "upgrade"], env=env, check=True, capture_output=True, cwd=ROOT)
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
    """`tradein ARGS` in the served environment."""
    return subprocess.run(
        [sys.executable, "-m", "tradein", *args], env=env, capture_output=True, text=True, check=check, cwd=ROOT
    )


def record(env, ref: str) -> dict:
    """The claim's decision record (`tradein decisions --format jsonl --claim REF`)."""
    return json.loads(run(env, "decisions", "--format", "jsonl", "--claim", ref).stdout)


def flag_claims(env: dict[str, str], out_dir: Path, refs: tuple[str, ...]) -> tuple[dict[str, str], str]:
    """Import the reference CSVs and run a nightly over the sample bundles of ``refs``.

    Returns {claim_ref: review run id} from `tradein review list`, and the nightly's output.

    Only the wanted bundles are rendered (the same bytes `generate_samples` writes for them).
    """
    write_reference_csvs(out_dir / "reference", [])
    for kind in ("partners", "catalogue", "devices"):
        run(env, kind, "import", str(out_dir / "reference" / f"{kind}.csv"))
    wanted = [s for s in SCENARIOS if claim_ref(s) in refs]
    missing = set(refs) - {claim_ref(s) for s in wanted}
    assert not missing, f"no sample scenario for {sorted(missing)}"
    inbox = out_dir / "inbox"
    for s in wanted:
        write_bundle(inbox / sample_of(s).bundle, s)
    nightly = run(env, "nightly", "--inbox", str(inbox), check=False)
    assert nightly.returncode == 0, nightly.stdout + nightly.stderr
    listed = run(env, "review", "list").stdout
    ids = {line.split()[0]: line.rsplit("review run ", 1)[1].rstrip(")") for line in listed.splitlines()}
    return ids, nightly.stdout


def flow_run(env, run_id: str):
    """The flow run and its saved inputs (the review form's schema and description)."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: env["PREFECT_API_URL"]}), get_client(sync_client=True) as c:
        return c.read_flow_run(uuid.UUID(run_id)), c.filter_flow_run_input(
            uuid.UUID(run_id), "suspended-review", 20, set()
        )


def wait_for(env, run_id: str, predicate, timeout: float = 240):
    """Poll the run until ``predicate(state)``; fail with the tail of the serve log."""
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
