"""The nightly run's summary: counts per status, frequent reasons, quarantine, failures."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ClaimOutcome:
    """How one claim left this run."""

    claim_ref: str
    status: str  # a decision status, or 'failed'
    reasons: tuple[str, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class NightlyReport:
    """Everything a run did, for the command line and the Prefect artifact."""

    ingested: tuple[str, ...] = ()
    duplicate_deliveries: tuple[str, ...] = ()
    conflicts: tuple[tuple[str, str], ...] = ()  # (bundle, detail)
    quarantined: tuple[tuple[str, str, str], ...] = ()  # (bundle, code, detail)
    left_in_place: tuple[tuple[str, str], ...] = ()  # (entry, code)
    outcomes: tuple[ClaimOutcome, ...] = ()
    documents_read: int = 0
    documents_cached: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def failed(self) -> tuple[ClaimOutcome, ...]:
        """Claims that failed to process (retried by the next run)."""
        return tuple(o for o in self.outcomes if o.status == "failed")

    def status_counts(self) -> Counter:
        """Claims decided this run, per status (and failed)."""
        return Counter(o.status for o in self.outcomes)

    def top_reasons(self, n: int = 8) -> list[tuple[str, int]]:
        """The most frequent reason codes among this run's decisions."""
        return Counter(code for o in self.outcomes for code in set(o.reasons)).most_common(n)


def render_markdown(report: NightlyReport) -> str:
    """The report as Markdown (Prefect artifact and terminal alike)."""
    lines = ["# Nightly trade-in run", ""]
    lines += [
        f"- bundles ingested: **{len(report.ingested)}**, duplicate deliveries: {len(report.duplicate_deliveries)}, "
        f"quarantined: {len(report.quarantined)}, refused (claim_ref conflict): {len(report.conflicts)}, "
        f"left in place: {len(report.left_in_place)}",
        f"- documents OCR'd: {report.documents_read}, taken from cache: {report.documents_cached}",
        "",
        "## Claims decided",
        "",
        "| status | claims |",
        "|---|---:|",
    ]
    counts = report.status_counts()
    for status in ("approved", "partially_approved", "needs_review", "rejected", "failed"):
        lines.append(f"| {status} | {counts.get(status, 0)} |")
    if report.top_reasons():
        lines += ["", "## Most frequent reasons", "", "| reason | claims |", "|---|---:|"]
        lines += [f"| {code} | {n} |" for code, n in report.top_reasons()]
    if report.quarantined:
        lines += ["", "## Quarantined bundles", "", "| bundle | code | detail |", "|---|---|---|"]
        lines += [f"| {b} | {c} | {_cell(d)} |" for b, c, d in report.quarantined]
    if report.conflicts or report.left_in_place:
        lines += ["", "## Left in the inbox", "", "| entry | why |", "|---|---|"]
        lines += [f"| {b} | {_cell(d)} |" for b, d in (*report.conflicts, *report.left_in_place)]
    if report.notes:
        lines += ["", "## Notes", ""] + [f"- {note}" for note in report.notes]
    if report.failed:
        lines += ["", "## Failed (retried by the next run)", "", "| claim | error |", "|---|---|"]
        lines += [f"| {o.claim_ref} | {_cell(o.error or '')} |" for o in report.failed]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")[:200]
