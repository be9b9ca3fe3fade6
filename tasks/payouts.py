"""Prefect tasks of payouts, and the SEPA export every caller (CLI, flow) goes through."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from prefect import task
from prefect.artifacts import create_markdown_artifact

from claims.payouts import batch_total
from models import payouts as repo
from models.db import session_scope
from tradein import sepa
from tradein.errors import ConfigurationError
from tradein.settings import Settings, get_settings

STALE_EXPORT = dt.timedelta(minutes=5)  # a claimed export not recorded after this: its writer died


@dataclass(frozen=True)
class WrittenFile:
    """A SEPA file on disk and what it holds."""

    path: str
    msg_id: str
    currency: str
    count: int
    total: str
    recovered: bool  # rewritten from an export whose writer died before recording it


@dataclass(frozen=True)
class ExportResult:
    """Files written, and exports claimed moments ago by another writer (left to it, or to a later run)."""

    written: tuple[WrittenFile, ...]
    in_progress: int


def write_atomically(path: Path, data: bytes) -> str:
    """Write bytes to path via a synced temporary file and a rename; return their SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return hashlib.sha256(data).hexdigest()


def _write(settings: Settings, plan: repo.ExportPlan, recovered: bool) -> WrittenFile:
    payer = settings.programme.payer
    document = sepa.credit_transfer(payer, plan.payments, plan.msg_id, plan.created_at, plan.currency)
    sha = write_atomically(Path(plan.path), document)
    repo.confirm_export(settings.resolved_database_url, plan.export_id, sha)
    total = batch_total(plan.payments)
    return WrittenFile(plan.path, plan.msg_id, plan.currency, len(plan.payments), str(total), recovered)


def export_payouts(
    out: Path, reexport: tuple[str, ...] = (), settings: Settings | None = None, today: dt.date | None = None
) -> ExportResult:
    """Write scheduled payouts not yet exported as SEPA files (one per currency), each payout once.

    Exports a previous writer claimed but never recorded (older than STALE_EXPORT) are written again
    first, with the same MsgId and the same payouts, and never enter a new file.
    """
    settings = settings or get_settings()
    if settings.programme.payer is None:
        raise ConfigurationError("the programme names no payer (debtor account): add a payer block to its file")
    today = today or dt.date.today()
    url = settings.resolved_database_url
    stale, busy = repo.pending_exports(url, today, dt.datetime.now(dt.UTC) - STALE_EXPORT)
    written = [_write(settings, plan, True) for plan in stale]
    for plan in repo.claim_for_export(url, out, today, reexport):
        written.append(_write(settings, plan, False))
    return ExportResult(tuple(written), busy)


@task(name="schedule-due-payouts")
def schedule_due_payouts() -> list[tuple[str, dt.date]]:
    """Schedule payouts whose approved lines' devices have all been received."""
    settings = get_settings()
    with session_scope(settings.resolved_database_url) as session:
        return repo.schedule_ready(session, settings.programme)


@task(name="flag-overdue-payouts")
def flag_overdue_payouts(today: dt.date | None = None) -> list[repo.OverduePayout]:
    """Mark payouts unpaid past receipt + 50 days overdue (PAYOUT_OVERDUE); return every overdue payout."""
    settings = get_settings()
    with session_scope(settings.resolved_database_url) as session:
        return repo.flag_overdue(session, settings.programme, today or dt.date.today())


def overdue_markdown(overdue: list[repo.OverduePayout], scheduled: list[tuple[str, dt.date]]) -> str:
    """The finance page: payouts scheduled today and every overdue payout."""
    lines = ["# Payouts", "", f"Scheduled in this run: **{len(scheduled)}**", ""]
    for ref, due in scheduled:
        lines.append(f"- `{ref}` due {due.isoformat()}")
    lines += ["", f"## Overdue (PAYOUT_OVERDUE): {len(overdue)}", ""]
    if overdue:
        lines += ["| claim_ref | amount | devices received | due | exported | was |", "|---|---|---|---|---|---|"]
        for o in overdue:
            exported = o.exported_at.date().isoformat() if o.exported_at else "not exported"
            due = o.due_date.isoformat() if o.due_date else "-"
            lines.append(
                f"| {o.claim_ref} | {o.amount} {o.currency or ''} | {o.devices_received_on.isoformat()} "
                f"| {due} | {exported} | {o.status_before} |"
            )
    else:
        lines.append("Nothing overdue.")
    return "\n".join(lines) + "\n"


@task(name="publish-payouts-report")
def publish_payouts_report(markdown: str) -> str:
    """Publish the payouts page as a Markdown artifact for finance."""
    create_markdown_artifact(key="payouts-overdue", markdown=markdown, description="Payouts scheduled and overdue")
    return markdown
