"""The long-running side: deployments served by ``tradein serve`` (same as prefect.yaml)."""

from __future__ import annotations

from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.nightly import nightly
from flows.payouts import payouts
from flows.review import review_claim

NIGHTLY_CRON = "0 2 * * *"
NIGHTLY_TIMEZONE = "Europe/Berlin"
PAYOUTS_CRON = "0 6 * * *"


def deployments() -> list[RunnerDeployment]:
    """Every deployment ``tradein serve`` runs."""
    return [
        nightly.to_deployment(
            name="nightly",
            schedule=Cron(NIGHTLY_CRON, timezone=NIGHTLY_TIMEZONE),
            concurrency_limit=1,
            description="Ingest new claim bundles, OCR every document, decide pending claims.",
            tags=["tradein", "nightly"],
        ),
        review_claim.to_deployment(
            name="review-claim",
            description="One run per flagged claim, suspended until a reviewer decides in the form.",
            tags=["tradein", "review"],
        ),
        payouts.to_deployment(
            name="payouts",
            schedule=Cron(PAYOUTS_CRON, timezone=NIGHTLY_TIMEZONE),
            concurrency_limit=1,
            description="Daily: schedule due payouts, flag those unpaid past 50 days overdue for finance.",
            tags=["tradein", "payouts"],
        ),
    ]
