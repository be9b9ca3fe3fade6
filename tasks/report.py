"""Prefect task that publishes a run's summary as a Markdown artifact."""

from __future__ import annotations

from prefect import task
from prefect.artifacts import create_markdown_artifact

from tradein.summary import NightlyReport, render_markdown


@task(name="publish-summary")
def publish_summary(report: NightlyReport) -> str:
    """Create the run's Markdown artifact and return its text."""
    markdown = render_markdown(report)
    create_markdown_artifact(key="nightly-summary", markdown=markdown, description="Claims decided in this run")
    return markdown
