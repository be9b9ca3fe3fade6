"""The long-running side: deployments served by ``tradein serve`` (same as prefect.yaml)."""

from __future__ import annotations

from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.nightly import nightly
from flows.review import review_claim

NIGHTLY_CRON = "0 2 * * *"
NIGHTLY_TIMEZONE = "Europe/Berlin"


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
    ]
