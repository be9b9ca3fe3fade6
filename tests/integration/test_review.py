"""Review end to end against a real `prefect server start` on loopback and a served runner.

A nightly run flags claims and opens suspended `review-<claim_ref>` runs; a resume through the
Prefect API and `tradein review resolve` decide them; a second decision is refused.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from tests.integration import prefect_server as harness
from tests.integration.prefect_server import flag_claims, flow_run, record, run, wait_for

prefect_server, served = harness.prefect_server, harness.served  # the fixtures, requested by name


def test_flagged_claims_are_decided_through_their_suspended_review_runs(served, tmp_path: Path):
    ids, nightly = flag_claims(served, tmp_path / "samples", ("TI25-DE-000118", "TI25-DE-000119", "TI25-DE-000101"))
    assert "2 review run(s) opened" in nightly, nightly
    assert set(ids) == {"TI25-DE-000118", "TI25-DE-000119"}

    third_party, inputs = wait_for(
        served, ids["TI25-DE-000118"],
        lambda s: s.is_paused()
        and any(i.key.endswith("description") for i in flow_run(served, ids["TI25-DE-000118"])[1]),
    )  # the run pauses before its review's description is written: wait for the description
    inputs = flow_run(served, ids["TI25-DE-000118"])[1]  # as read once it was there
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
            and any(i.key.startswith("suspended-review-1") and i.key.endswith("description")
                    for i in flow_run(served, ids["TI25-DE-000118"])[1])
        ),
    )  # the run pauses before its review's description is written: wait for the description
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
