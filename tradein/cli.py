"""The ``tradein`` command line (contract section 3)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from tradein.errors import TradeinError, UsageError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Trade-in claims: ingest, OCR, decide, review, pay.")
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
app.add_typer(db_app, name="db")

for _name, _help in (
    ("catalogue", "The eligible catalogue (country,part_number,product_name,reward_amount,currency)."),
    ("devices", "Eligible trade-in devices (brand,model,category)."),
    ("partners", "The partner register (partner_id,name,country,vat_id,status)."),
    ("receipts", "Old devices received at the auditing centre (claim_ref,serial,received_at)."),
):
    app.add_typer(typer.Typer(no_args_is_help=True, help=_help), name=_name)


def _quiet_prefect() -> None:
    """Keep the command's own output readable: Prefect's logs only when asked for."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_LOGGING_SERVER_LEVEL", "WARNING")
    import logging

    import prefect  # noqa: F401  (configures Prefect's loggers; quieten the temporary server's after)

    if os.environ.get("PREFECT_LOGGING_LEVEL") == "WARNING":
        # The temporary local API on SQLite logs retried 'database is locked' writes as
        # tracebacks (PrefectHQ/prefect#18934); they are noise to a reader of the summary.
        for name in ("prefect.server", "uvicorn", "uvicorn.error", "prefect._internal"):
            logging.getLogger(name).setLevel(logging.CRITICAL)


def _settings():
    from tradein.settings import get_settings

    return get_settings()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema."""
    from models.migrate import upgrade

    settings = _settings()
    upgrade(settings.resolved_database_url)
    typer.echo(f"database at head: {_safe_url(settings.resolved_database_url)}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _import(kind: str, file: Path, strict: bool) -> None:
    from claims import reference as parsers
    from models import reference as repo
    from models.db import session_scope

    parse, upsert = {
        "catalogue": (parsers.parse_catalogue, repo.upsert_catalogue),
        "devices": (parsers.parse_devices, repo.upsert_devices),
        "partners": (parsers.parse_partners, repo.upsert_partners),
        "receipts": (parsers.parse_receipts, repo.upsert_receipts),
    }[kind]
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"cannot read {file}: {e}", code="BAD_REFERENCE_FILE") from e
    parsed = parse(text)
    for error in parsed.errors:
        typer.echo(json.dumps({"file": str(file), "line": error.line, "error": error.message}), err=True)
    if strict and parsed.errors:
        typer.echo(f"{kind}: {len(parsed.errors)} bad row(s); --strict: nothing loaded", err=True)
        raise typer.Exit(2)
    if kind == "receipts":
        _import_receipts([row for _, row in parsed.rows], len(parsed.errors))
        return
    with session_scope(_settings().resolved_database_url) as session:
        count = upsert(session, [row for _, row in parsed.rows])
    typer.echo(f"{kind}: {count} row(s) loaded, {len(parsed.errors)} bad row(s) skipped")


def _import_receipts(rows: list, bad: int) -> None:
    """Receipts matched to claim lines; payouts whose devices are all in are scheduled."""
    from models import payouts as payout_repo
    from models.db import session_scope

    settings = _settings()
    with session_scope(settings.resolved_database_url) as session:
        report = payout_repo.record_receipts(session, rows)
        refs = sorted({r.claim_ref for r in rows})
        scheduled = payout_repo.schedule_ready(session, settings.programme, refs)
    for ref, serial, why in report.unknown:
        typer.echo(json.dumps({"claim_ref": ref, "serial": serial, "unknown": why}), err=True)
    for ref, serial, line in report.rejected_lines:
        typer.echo(json.dumps({"claim_ref": ref, "serial": serial, "line": line, "warning": "line rejected"}), err=True)
    for ref, serial, line in report.ocr_matched:
        typer.echo(f"{ref}: serial {serial} matched line {line} up to OCR confusions")
    for ref, due in scheduled:
        typer.echo(f"{ref}: payout scheduled, due {due.isoformat()}")
    typer.echo(
        f"receipts: {len(rows)} row(s) loaded, {report.matched} matched, {len(report.unknown)} unknown serial(s), "
        f"{len(report.rejected_lines)} for rejected lines, {len(scheduled)} payout(s) scheduled, "
        f"{bad} bad row(s) skipped"
    )


def _import_command(kind: str) -> Callable[..., None]:
    def command(
        file: Annotated[Path, typer.Argument(help="CSV file, UTF-8, header row.")],
        strict: Annotated[bool, typer.Option("--strict", help="Load nothing if any row is bad.")] = False,
    ) -> None:
        _import(kind, file, strict)

    command.__doc__ = f"Load (upsert) the {kind} CSV; bad rows are reported with their line number."
    return command


for _group in app.registered_groups:
    if _group.name in ("catalogue", "devices", "partners", "receipts"):
        _group.typer_instance.command("import")(_import_command(_group.name))


@app.command()
def nightly(
    inbox: Annotated[str | None, typer.Option("--inbox", help="Inbox directory or fsspec URL.")] = None,
) -> None:
    """Run the nightly flow once, now: ingest, OCR, decide; exit 1 if some claims failed."""
    from models import claims as claim_repo
    from models.db import session_scope
    from tradein.inbox import Inbox
    from tradein.summary import NightlyReport, render_markdown

    settings = _settings()
    inbox_url = inbox or settings.inbox_url
    if inbox and not Inbox(inbox_url).fs.exists(Inbox(inbox_url).root):
        raise UsageError(f"inbox {inbox} does not exist")
    with session_scope(settings.resolved_database_url) as session:
        idle = not claim_repo.has_work(session) and not Inbox(inbox_url).entries()
    if idle:
        report = NightlyReport(notes=("nothing new in the inbox and no pending claim",))
    else:
        _quiet_prefect()
        from flows.nightly import nightly as nightly_flow

        report = nightly_flow(inbox=inbox_url)
    typer.echo(render_markdown(report))
    if report.failed:
        raise typer.Exit(1)


review_app = typer.Typer(no_args_is_help=True, help="The review queue (the Prefect UI is the main place).")
app.add_typer(review_app, name="review")


@review_app.command("list")
def review_list() -> None:
    """Claims waiting for a reviewer, with their reasons and review run."""
    from models.db import session_scope
    from models.records import claim_record
    from models.reviews import review_queue

    with session_scope(_settings().resolved_database_url) as session:
        for claim in review_queue(session):
            codes = ", ".join(dict.fromkeys(r["code"] for r in claim_record(claim)["reasons"]))
            run = f"review run {claim.review_flow_run_id}" if claim.review_flow_run_id else "no review run"
            typer.echo(f"{claim.claim_ref}  {codes}  ({run})")


@review_app.command("resolve")
def review_resolve(
    claim_ref: Annotated[str, typer.Argument(help="The claim to decide.")],
    approve: Annotated[bool, typer.Option("--approve")] = False,
    reject: Annotated[bool, typer.Option("--reject")] = False,
    approve_lines: Annotated[str | None, typer.Option("--approve-lines", help="e.g. 0,2")] = None,
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    reviewer: Annotated[str | None, typer.Option("--reviewer")] = None,
) -> None:
    """Decide a flagged claim: resumes its review run when a Prefect API is configured, else records directly."""
    from claims.review import ReviewChoice, review_problem
    from tradein.review_client import resolve

    chosen = [
        c
        for c, on in (
            (ReviewChoice.APPROVE, approve),
            (ReviewChoice.REJECT, reject),
            (ReviewChoice.APPROVE_LINES, approve_lines is not None),
        )
        if on
    ]
    if len(chosen) != 1:
        raise UsageError("give exactly one of --approve, --reject, --approve-lines")
    try:
        lines = [int(x) for x in (approve_lines or "").split(",") if x.strip()]
    except ValueError as e:
        raise UsageError(f"--approve-lines takes line indexes like 0,2: {e}") from e
    problem = review_problem(chosen[0], lines, reason, 99)
    if problem:
        raise UsageError(problem, code="INVALID_REVIEW")
    reviewer = reviewer or os.environ.get("USER") or "terminal"
    status, how = resolve(_settings(), claim_ref, chosen[0], lines, reason, reviewer)
    typer.echo(f"{claim_ref}: {status} ({how})")


bank_app = typer.Typer(no_args_is_help=True, help="Bank details of a claim (customer service, P15).")
app.add_typer(bank_app, name="bank")
payouts_app = typer.Typer(no_args_is_help=True, help="Payouts: SEPA export and payment.")
app.add_typer(payouts_app, name="payouts")


@bank_app.command("set")
def bank_set(
    claim_ref: Annotated[str, typer.Argument(help="The claim whose bank details customer service took.")],
    iban: Annotated[str, typer.Option("--iban", help="IBAN, print format accepted.")],
    holder: Annotated[str, typer.Option("--holder", help="Account holder (must be the partner).")],
    bic: Annotated[str | None, typer.Option("--bic", help="BIC; derived from the IBAN where omitted.")] = None,
) -> None:
    """Record or correct a claim's bank details: re-checked (IBAN, BIC, holder), they unblock its payout."""
    from models import payouts as payout_repo
    from models.db import session_scope

    settings = _settings()
    with session_scope(settings.resolved_database_url) as session:
        status = payout_repo.set_bank_details(session, claim_ref, holder, iban, bic, settings.programme)
    typer.echo(f"{claim_ref}: bank details recorded; payout {status}")


@payouts_app.command("export")
def payouts_export(
    out: Annotated[Path, typer.Option("--out", help="The SEPA file (EUR); other currencies beside it.")],
    reexport: Annotated[
        list[str] | None, typer.Option("--reexport", help="Export this exported, unpaid claim again (same id).")
    ] = None,
) -> None:
    """Write scheduled payouts not yet exported as SEPA credit transfers (pain.001), validated, each once."""
    from tasks.payouts import export_payouts

    result = export_payouts(out, tuple(reexport or ()))
    if not result.written:
        typer.echo("payouts: nothing to export")
    if result.in_progress:
        typer.echo(
            f"payouts: {result.in_progress} export(s) claimed moments ago are not recorded yet (another writer at "
            "work, or one that died: a run after 5 minutes writes them again, same MsgId)"
        )
    for f in result.written:
        how = " (recovered: written again, same MsgId)" if f.recovered else ""
        typer.echo(f"{f.path}: {f.count} payment(s), {f.total} {f.currency}, MsgId {f.msg_id}{how}")


@payouts_app.command("mark-paid")
def payouts_mark_paid(
    target: Annotated[str, typer.Argument(help="A SEPA file the bank executed, or one claim_ref.")],
) -> None:
    """Record payment of the payouts in an executed SEPA file (or of one claim); never twice."""
    from models import payouts as payout_repo
    from models.db import session_scope
    from tradein.sepa import read_credit_transfer

    path = Path(target)
    with session_scope(_settings().resolved_database_url) as session:
        if path.is_file():
            summary = read_credit_transfer(path.read_bytes())
            if payout_repo.export_of(session, summary.msg_id) is None:
                raise UsageError(f"{path}: MsgId {summary.msg_id} was not written by tradein", code="UNKNOWN_FILE")
            refs, reference = summary.end_to_end_ids, summary.msg_id
        else:
            refs, reference = [target], "manual"
        report = payout_repo.mark_paid(session, refs, reference)
    for ref in report.paid:
        typer.echo(f"{ref}: paid")
    for ref in report.already_paid:
        typer.echo(f"{ref}: already paid, unchanged")
    for ref, why in report.refused:
        typer.echo(f"{ref}: not marked paid: {why}", err=True)
    if report.refused and not report.paid and not report.already_paid:
        raise typer.Exit(2)


@app.command()
def serve() -> None:
    """Serve the deployments (nightly at 02:00 Europe/Berlin, review-claim, payouts daily) against PREFECT_API_URL."""
    if not os.environ.get("PREFECT_API_URL"):
        raise UsageError("PREFECT_API_URL is not set: tradein serve needs a Prefect server", code="NO_PREFECT_API")
    _quiet_prefect()
    from prefect import serve as prefect_serve

    from flows.deployments import deployments

    prefect_serve(*deployments())


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


@app.command()
def decisions(
    format: Annotated[OutputFormat, typer.Option("--format", help="jsonl or table.")] = OutputFormat.jsonl,
    claim: Annotated[str | None, typer.Option("--claim", help="Only this claim_ref.")] = None,
) -> None:
    """Print the decision records (contract section 4)."""
    from models.db import session_scope
    from models.records import decision_records

    with session_scope(_settings().resolved_database_url) as session:
        records = decision_records(session, claim)
    if claim and not records:
        raise UsageError(f"no claim {claim}", code="UNKNOWN_CLAIM")
    if format == OutputFormat.jsonl:
        for record in records:
            typer.echo(json.dumps(record, ensure_ascii=False))
    else:
        typer.echo(render_table(records))


@app.command("quarantine")
def quarantine_list() -> None:
    """List bundles moved to quarantine, with their codes."""
    from models.db import session_scope
    from models.records import quarantined

    with session_scope(_settings().resolved_database_url) as session:
        for row in quarantined(session):
            typer.echo(json.dumps(row, ensure_ascii=False))


def render_table(records: list[dict[str, Any]]) -> str:
    """Decision records as a fixed-width table for people."""
    header = ("claim_ref", "status", "lines a/r/n", "reward", "payout", "reasons")
    rows = [header]
    for r in records:
        statuses = [ln["status"] for ln in r["lines"]]
        counts = "/".join(str(statuses.count(s)) for s in ("approved", "rejected", "needs_review"))
        reward = f"{r['reward_total']} {r['currency'] or ''}".strip()
        codes = ", ".join(dict.fromkeys(x["code"] for x in r["reasons"])) or "-"
        rows.append((r["claim_ref"], r["status"], counts, reward, r["payout"]["status"], codes))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(header) - 1)]
    out = []
    for i, row in enumerate(rows):
        out.append("  ".join(str(c).ljust(w) for c, w in zip(row[:-1], widths, strict=False)) + "  " + str(row[-1]))
        if i == 0:
            out.append("  ".join("-" * w for w in widths) + "  " + "-" * 7)
    return "\n".join(out)


def main() -> None:
    """Entry point: run the app; errors become one line on stderr and an exit code."""
    try:
        app(standalone_mode=False)
    except TradeinError as e:
        typer.echo(f"tradein: error: {e}", err=True)
        sys.exit(e.exit_code)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except typer.Abort:
        typer.echo("tradein: aborted", err=True)
        sys.exit(1)
    except Exception as e:  # click usage errors and anything unexpected: one line, no traceback
        import click

        if isinstance(e, click.ClickException):
            e.show()
            sys.exit(2)
        typer.echo(f"tradein: error: {type(e).__name__}: {e}", err=True)
        sys.exit(1)
