"""Payouts on a real database (SQLite and PostgreSQL): receipts, bank details, SEPA export, payment, exactly once."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from claims.bundle import parse_claim_json
from claims.programme import load_programme
from claims.reference import ReceiptRow
from claims.rules import evaluate_claim
from models import claims as claim_repo
from models import payouts as repo
from models.db import session_scope
from models.reference import upsert_catalogue, upsert_partners
from models.schema import Payout, PayoutExport
from tests.domain.factories import CATALOGUE, PARTNER, bundle, facts
from tests.domain.test_bundle import VALID
from tradein.cli import app
from tradein.errors import TradeinError
from tradein.sepa import read_credit_transfer
from tradein.settings import get_settings

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
RECORD_SCHEMA = json.loads((ROOT / "claims" / "schemas" / "decision_record.schema.json").read_text())
BANK = ("Musterhaus IT GmbH", "DE89370400440532013000", "COBADEFFXXX")


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def cli(*args: str) -> Result:
    """The command as `tradein` runs it: a TradeinError becomes one stderr line and its exit code."""
    result = runner.invoke(app, list(args))
    if isinstance(result.exception, TradeinError):
        return Result(
            result.exception.exit_code, result.stdout, result.stderr + f"tradein: error: {result.exception}\n"
        )
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)


def add_claim(url: str, ref: str, *, bank=BANK, status: str | None = None, currency: str | None = None) -> None:
    """A decided claim (rules on factory facts, no OCR) with one line whose old device is 'OLD-<ref>'."""
    data = json.loads(json.dumps(VALID))
    data["claim_ref"], data["partner"]["partner_id"] = ref, PARTNER.partner_id
    data["lines"][0]["replaced_device"]["serial"] = f"OLD-{ref}"
    parsed, raw = parse_claim_json(json.dumps(data).encode())
    account = None if bank is None else parsed.bank_account
    decision = evaluate_claim(facts(bundle=bundle(claim_ref=ref, bank_account=account)), load_programme())
    if status:
        decision = replace(decision, status=status)
    if currency:
        decision = replace(decision, currency=currency)
    with session_scope(url) as session:
        upsert_partners(session, [PARTNER])
        upsert_catalogue(session, CATALOGUE)
        claim = claim_repo.record_claim(
            session, parsed, raw, ref, ref, {d.file: ("0" * 64, 1) for d in parsed.documents}, ()
        )
        claim.lines[0].device_serial = f"OLD-{ref}"
        claim_repo.store_decision(session, claim, decision, bank if bank else (None, None, None))


def receipts(tmp_path: Path, *rows: tuple[str, str, str]) -> Path:
    path = tmp_path / f"receipts-{len(list(tmp_path.glob('receipts-*')))}.csv"
    path.write_text("claim_ref,serial,received_at\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows))
    return path


def payout(url: str, ref: str) -> Payout:
    with session_scope(url) as session:
        claim = claim_repo.find_claim(session, ref)
        return claim.payout


def scheduled(url: str, tmp_path: Path, *refs: str, received: str = "2025-08-04") -> None:
    for ref in refs:
        add_claim(url, ref)
    result = cli("receipts", "import", str(receipts(tmp_path, *[(r, f"OLD-{r}", received) for r in refs])))
    assert result.exit_code == 0, result.stderr


def end_to_end_ids(*files: Path) -> list[str]:
    return [e for f in files if f.exists() for e in read_credit_transfer(f.read_bytes()).end_to_end_ids]


def test_receipts_are_matched_and_a_claim_whose_devices_are_all_in_is_scheduled(env: Path, tmp_path: Path):
    url = get_settings().resolved_database_url
    add_claim(url, "TI25-A")
    with session_scope(url) as session:
        claim = claim_repo.find_claim(session, "TI25-A")
        claim.lines[0].device_serial, claim.lines[0].replaced_serial_read = "2215LZ0A1B2C", "2215LZOA1B2C"
    result = cli(
        "receipts",
        "import",
        str(
            receipts(
                tmp_path,
                ("TI25-A", "2215LZ0AIB2C", "2025-08-04"),
                ("TI25-A", "ZZZ", "2025-08-04"),
                ("TI25-NOPE", "X1", "2025-08-01"),
            )
        ),
    )
    assert result.exit_code == 0, result.stderr
    assert "TI25-A: serial 2215LZ0AIB2C matched line 0 up to OCR confusions" in result.stdout
    assert "TI25-A: payout scheduled, due 2025-09-18" in result.stdout
    assert '"TI25-NOPE"' in result.stderr and '"ZZZ"' in result.stderr
    p = payout(url, "TI25-A")
    assert (p.status, p.due_date, p.amount, p.idempotency_key) == (
        "scheduled",
        dt.date(2025, 9, 18),
        Decimal("250.00"),
        "payout:TI25-A",
    )
    again = cli("receipts", "import", str(receipts(tmp_path, ("TI25-A", "2215LZ0A1B2C", "2025-08-04"))))
    assert "0 payout(s) scheduled" in again.stdout and payout(url, "TI25-A").due_date == dt.date(2025, 9, 18)
    record = json.loads(cli("decisions", "--claim", "TI25-A").stdout)
    assert record["payout"] == {"status": "scheduled", "due_date": "2025-09-18"}


def test_missing_bank_details_block_until_customer_service_records_them(env: Path, tmp_path: Path):
    url = get_settings().resolved_database_url
    add_claim(url, "TI25-B", bank=None)
    assert payout(url, "TI25-B").status == "blocked"
    cli("receipts", "import", str(receipts(tmp_path, ("TI25-B", "OLD-TI25-B", "2025-08-10"))))
    assert payout(url, "TI25-B").status == "blocked"  # received, still visibly blocked
    record = json.loads(cli("decisions", "--claim", "TI25-B").stdout)
    assert record["status"] == "approved" and "MISSING_BANK_DETAILS" in {r["code"] for r in record["reasons"]}

    bad = cli("bank", "set", "TI25-B", "--iban", "DE89370400440532013001", "--holder", "Musterhaus IT GmbH")
    assert bad.exit_code == 2 and "INVALID_BANK_DETAILS" in bad.stderr and len(bad.stderr.splitlines()) == 1
    third = cli("bank", "set", "TI25-B", "--iban", "DE89 3704 0044 0532 0130 00", "--holder", "Markus Schneider")
    assert third.exit_code == 2 and "THIRD_PARTY_PAYEE" in third.stderr
    assert payout(url, "TI25-B").status == "blocked"

    ok = cli(
        "bank",
        "set",
        "TI25-B",
        "--iban",
        "de89 3704 0044 0532 0130 00",
        "--bic",
        "COBADEFFXXX",
        "--holder",
        "Musterhaus IT",
    )
    assert ok.exit_code == 0, ok.stderr
    assert "payout scheduled" in ok.stdout
    p = payout(url, "TI25-B")
    assert (p.status, p.due_date, p.iban, p.bic) == ("scheduled", dt.date(2025, 9, 24), BANK[1], BANK[2])
    record = json.loads(cli("decisions", "--claim", "TI25-B").stdout)
    assert "MISSING_BANK_DETAILS" not in {r["code"] for r in record["reasons"]}


def test_the_same_export_run_twice_writes_each_payout_once(env: Path, tmp_path: Path):
    url = get_settings().resolved_database_url
    scheduled(url, tmp_path, "TI25-C1", "TI25-C2")
    out = tmp_path / "sepa" / "payouts.xml"
    first = cli("payouts", "export", "--out", str(out))
    assert first.exit_code == 0, first.stderr
    assert "2 payment(s), 500.00 EUR" in first.stdout
    second = cli("payouts", "export", "--out", str(tmp_path / "sepa" / "again.xml"))
    assert second.exit_code == 0 and "nothing to export" in second.stdout
    assert not (tmp_path / "sepa" / "again.xml").exists()
    assert end_to_end_ids(out) == ["TI25-C1", "TI25-C2"]
    assert payout(url, "TI25-C1").status == "exported"
    exists = cli("payouts", "export", "--out", str(out), "--reexport", "TI25-C2")
    assert exists.exit_code == 2 and "OUTPUT_EXISTS" in exists.stderr
    again = tmp_path / "sepa" / "reexport.xml"
    redo = cli("payouts", "export", "--out", str(again), "--reexport", "TI25-C2")
    assert redo.exit_code == 0, redo.stderr
    assert end_to_end_ids(again) == ["TI25-C2"]  # explicitly re-exported, same end-to-end id


def test_payouts_in_another_currency_go_to_a_file_beside(env: Path, tmp_path: Path):
    url = get_settings().resolved_database_url
    add_claim(url, "TI25-GB", currency="GBP")
    scheduled(url, tmp_path, "TI25-EU")
    cli("receipts", "import", str(receipts(tmp_path, ("TI25-GB", "OLD-TI25-GB", "2025-08-04"))))
    out = tmp_path / "payouts.xml"
    result = cli("payouts", "export", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert read_credit_transfer(out.read_bytes()).payments == [("TI25-EU", "250.00", "EUR")]
    assert read_credit_transfer((tmp_path / "payouts.GBP.xml").read_bytes()).payments == [("TI25-GB", "250.00", "GBP")]


KILLED_WRITER = """
import os, signal, sys
import models.payouts
def die(*a, **k):
    os.kill(os.getpid(), signal.SIGKILL)
models.payouts.confirm_export = die
from tradein.cli import main
sys.argv = ["tradein", "payouts", "export", "--out", sys.argv[1]]
main()
"""


def test_a_writer_killed_between_writing_the_file_and_recording_it(env: Path, tmp_path: Path):
    url = get_settings().resolved_database_url
    scheduled(url, tmp_path, "TI25-K1", "TI25-K2")
    out = tmp_path / "payouts.xml"
    crashed = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert crashed.returncode == -9, crashed.stderr
    assert out.exists() and payout(url, "TI25-K1").status == "scheduled"  # written, not recorded
    msg_id = read_credit_transfer(out.read_bytes()).msg_id
    later = tmp_path / "later.xml"
    busy = cli("payouts", "export", "--out", str(later))  # it might be another writer still at work
    assert busy.exit_code == 0 and "1 export(s) claimed moments ago are not recorded yet" in busy.stdout
    assert not later.exists()
    with session_scope(url) as session:  # ... until it is older than a writer can take
        for export in session.scalars(select(PayoutExport)):
            export.created_at -= dt.timedelta(minutes=10)
    result = cli("payouts", "export", "--out", str(later))
    assert result.exit_code == 0, result.stderr
    assert "recovered" in result.stdout and not later.exists()
    summary = read_credit_transfer(out.read_bytes())
    assert summary.msg_id == msg_id and summary.end_to_end_ids == ["TI25-K1", "TI25-K2"]  # the same message
    assert end_to_end_ids(out, later) == ["TI25-K1", "TI25-K2"]
    assert {payout(url, r).status for r in ("TI25-K1", "TI25-K2")} == {"exported"}
    with session_scope(url) as session:
        assert [e.status for e in session.scalars(select(PayoutExport))] == ["written"]


def test_two_workers_exporting_at_once_take_each_payout_once(env: Path, tmp_path: Path):
    url = get_settings().resolved_database_url
    refs = [f"TI25-W{i:02d}" for i in range(12)]
    scheduled(url, tmp_path, *refs)
    from tasks.payouts import export_payouts

    barrier, errors = threading.Barrier(2), []
    outs = [tmp_path / "w1.xml", tmp_path / "w2.xml"]

    def worker(out: Path) -> None:
        try:
            barrier.wait()
            export_payouts(out)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(o,)) for o in outs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert sorted(end_to_end_ids(*outs)) == refs
    with session_scope(url) as session:
        rows = session.scalars(select(Payout)).all()
        assert {p.status for p in rows} == {"exported"} and len(rows) == len(refs)


def test_a_reviewer_approving_twice_creates_one_payout(env: Path, tmp_path: Path):
    from claims.review import ReviewChoice
    from models.reviews import apply_review
    from tradein.errors import ReviewError

    url = get_settings().resolved_database_url
    add_claim(url, "TI25-R", status="needs_review")
    assert payout(url, "TI25-R").idempotency_key == "payout:TI25-R"  # keyed from its creation
    with session_scope(url) as session:
        assert apply_review(session, "TI25-R", ReviewChoice.APPROVE, [], None, "ana") == "approved"
    with pytest.raises(ReviewError), session_scope(url) as session:
        apply_review(session, "TI25-R", ReviewChoice.APPROVE, [], None, "bob")
    cli("receipts", "import", str(receipts(tmp_path, ("TI25-R", "OLD-TI25-R", "2025-08-04"))))
    with session_scope(url) as session:
        assert repo.payouts_count(session, "TI25-R") == 1
    p = payout(url, "TI25-R")
    assert (p.status, p.amount, p.idempotency_key) == ("scheduled", Decimal("250.00"), "payout:TI25-R")


def test_mark_paid_records_payment_once(env: Path, tmp_path: Path):
    url = get_settings().resolved_database_url
    scheduled(url, tmp_path, "TI25-P1", "TI25-P2")
    add_claim(url, "TI25-P3")
    early = cli("payouts", "mark-paid", "TI25-P1")
    assert early.exit_code == 2 and "not exported" in early.stderr
    out = tmp_path / "payouts.xml"
    cli("payouts", "export", "--out", str(out))
    paid = cli("payouts", "mark-paid", str(out))
    assert paid.exit_code == 0 and "TI25-P1: paid" in paid.stdout and "TI25-P2: paid" in paid.stdout
    twice = cli("payouts", "mark-paid", str(out))
    assert "TI25-P1: already paid, unchanged" in twice.stdout
    first_paid = payout(url, "TI25-P1").paid_at
    cli("payouts", "mark-paid", "TI25-P1")
    assert payout(url, "TI25-P1").paid_at == first_paid and payout(url, "TI25-P1").status == "paid"
    assert cli("payouts", "export", "--out", str(tmp_path / "x.xml"), "--reexport", "TI25-P1").exit_code == 2
    record = json.loads(cli("decisions", "--claim", "TI25-P1").stdout)
    assert record["payout"]["status"] == "paid"


def test_unpaid_payouts_past_50_days_are_overdue_with_payout_overdue(env: Path, tmp_path: Path):
    url = get_settings().resolved_database_url
    scheduled(url, tmp_path, "TI25-O1", received="2025-08-04")
    scheduled(url, tmp_path, "TI25-O2", received="2025-09-01")
    programme = load_programme()
    with session_scope(url) as session:
        assert repo.flag_overdue(session, programme, dt.date(2025, 9, 23)) == []
        late = repo.flag_overdue(session, programme, dt.date(2025, 9, 24))
    assert [o.claim_ref for o in late] == ["TI25-O1"]
    with session_scope(url) as session:
        again = repo.flag_overdue(session, programme, dt.date(2025, 9, 25))
    assert [o.claim_ref for o in again] == ["TI25-O1"]
    record = json.loads(cli("decisions", "--claim", "TI25-O1").stdout)
    jsonschema.validate(record, RECORD_SCHEMA)
    assert record["payout"]["status"] == "overdue"
    assert [r["code"] for r in record["reasons"]].count("PAYOUT_OVERDUE") == 1
    out = tmp_path / "payouts.xml"
    cli("payouts", "export", "--out", str(out))  # overdue and not exported yet: exported now, stays overdue
    assert sorted(end_to_end_ids(out)) == ["TI25-O1", "TI25-O2"]
    assert payout(url, "TI25-O1").status == "overdue"
    assert cli("payouts", "mark-paid", "TI25-O1").exit_code == 0
    assert payout(url, "TI25-O1").status == "paid"


# --- acceptance: from bundle to paid, through the nightly flow (real OCR, real Prefect API) -------


@pytest.fixture(scope="module")
def two_bundles(tmp_path_factory) -> Path:
    """Sample scenario 01 (clean German claim) and 17 (approved, no bank details), with the reference CSVs."""
    from fixtures.reference import write_reference_csvs
    from fixtures.samples import SCENARIOS, _bundle_name, _receipt_rows, write_bundle

    out = tmp_path_factory.mktemp("payout-samples")
    by_no = {s.no: s for s in SCENARIOS}
    write_reference_csvs(out / "reference", _receipt_rows(by_no))
    for no in (1, 17):
        write_bundle(out / "inbox" / _bundle_name(by_no[no]), by_no[no])
    return out


@pytest.mark.usefixtures("prefect_api")
def test_a_claim_from_bundle_to_paid_and_one_from_blocked_to_scheduled(env: Path, tmp_path: Path, two_bundles: Path):
    import shutil

    import xmlschema

    for kind in ("partners", "catalogue", "devices"):
        assert cli(kind, "import", str(two_bundles / "reference" / f"{kind}.csv")).exit_code == 0
    inbox = tmp_path / "inbox"
    shutil.copytree(two_bundles / "inbox", inbox)
    night = cli("nightly", "--inbox", str(inbox))
    assert night.exit_code == 0, night.stdout + night.stderr
    clean, blocked = "TI25-DE-000101", "TI25-IT-000117"
    first = json.loads(cli("decisions", "--claim", clean).stdout)
    assert first["status"] == "approved" and first["payout"] == {"status": "awaiting_device_receipt", "due_date": None}
    assert json.loads(cli("decisions", "--claim", blocked).stdout)["payout"]["status"] == "blocked"

    imported = cli("receipts", "import", str(two_bundles / "reference" / "receipts.csv"))
    assert imported.exit_code == 0, imported.stderr
    assert f"{clean}: payout scheduled, due 2025-09-18" in imported.stdout  # received 2025-08-04 + 45 days
    assert "TI25-NL-000105" in imported.stderr  # receipts of claims this database does not hold: reported
    assert json.loads(cli("decisions", "--claim", blocked).stdout)["payout"]["status"] == "blocked"

    unblock = cli(
        "bank",
        "set",
        blocked,
        "--iban",
        "IT60 X054 2811 1010 0000 0123 456",
        "--holder",
        "Sistemi Ufficio S.r.l.",
    )
    assert unblock.exit_code == 0, unblock.stderr
    assert json.loads(cli("decisions", "--claim", blocked).stdout)["payout"] == {
        "status": "scheduled",
        "due_date": "2025-11-09",
    }  # received 2025-09-25 + 45 days

    out = tmp_path / "finance" / "payouts.xml"
    exported = cli("payouts", "export", "--out", str(out))
    assert exported.exit_code == 0, exported.stderr
    schema = xmlschema.XMLSchema(str(Path(__import__("sepaxml").__file__).parent / "schemas" / "pain.001.001.03.xsd"))
    schema.validate(str(out))
    summary = read_credit_transfer(out.read_bytes())
    rewards = {
        clean: first["reward_total"],
        blocked: json.loads(cli("decisions", "--claim", blocked).stdout)["reward_total"],
    }
    assert dict((e, a) for e, a, _ in summary.payments) == rewards
    catalogue = (two_bundles / "reference" / "catalogue.csv").read_text().splitlines()
    line = first["lines"][0]
    assert f"DE,{line['part_number']},{line['product_name']},{line['reward']},EUR" in catalogue  # P13
    assert Decimal(summary.control_sum) == sum(Decimal(v) for v in rewards.values())
    paid = cli("payouts", "mark-paid", str(out))
    assert paid.exit_code == 0 and f"{clean}: paid" in paid.stdout
    record = json.loads(cli("decisions", "--claim", clean).stdout)
    jsonschema.validate(record, RECORD_SCHEMA)
    assert record["payout"]["status"] == "paid"


@pytest.mark.usefixtures("prefect_api")
def test_the_daily_payout_flow_schedules_and_lists_overdue_payouts_for_finance(env: Path, tmp_path: Path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.payouts import payouts

    url = get_settings().resolved_database_url
    add_claim(url, "TI25-D1")
    add_claim(url, "TI25-D2")
    with session_scope(url) as session:  # receipts recorded before the claims were approved: nothing scheduled yet
        repo.record_receipts(session, [ReceiptRow("TI25-D1", "OLD-TI25-D1", dt.date(2025, 8, 1))])
        repo.record_receipts(session, [ReceiptRow("TI25-D2", "OLD-TI25-D2", dt.date(2025, 9, 1))])
    markdown = payouts(today=dt.date(2025, 9, 25))
    assert "Scheduled in this run: **2**" in markdown
    assert "| TI25-D1 | 250.00 EUR | 2025-08-01 |" in markdown and "TI25-D2 |" not in markdown
    assert payout(url, "TI25-D1").status == "overdue" and payout(url, "TI25-D2").status == "scheduled"
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["payouts-overdue"]))
        )
    assert "TI25-D1" in max(artifacts, key=lambda a: a.created).data


def test_a_second_payout_for_a_claim_is_refused_by_the_database(env: Path):
    from sqlalchemy.exc import IntegrityError

    url = get_settings().resolved_database_url
    add_claim(url, "TI25-U")
    with pytest.raises(IntegrityError), session_scope(url) as session:
        claim = claim_repo.find_claim(session, "TI25-U")
        session.add(Payout(claim_id=claim.id, status="scheduled", amount=Decimal("250.00"), idempotency_key="x"))
    with pytest.raises(IntegrityError), session_scope(url) as session:
        other = claim_repo.find_claim(session, "TI25-U")
        session.execute(
            Payout.__table__.update().where(Payout.claim_id != other.id).values(idempotency_key="payout:TI25-U")
        )
        add = Payout(claim_id=other.id + 1000, status="none", amount=0, idempotency_key="payout:TI25-U")
        session.add(add)
        session.flush()


def test_two_reviewers_approving_at_once_decide_once_and_create_one_payout(env: Path):
    from claims.review import ReviewChoice
    from models.reviews import apply_review

    url = get_settings().resolved_database_url
    add_claim(url, "TI25-RR", status="needs_review")
    barrier, outcomes = threading.Barrier(2), []

    def reviewer(name: str) -> None:
        barrier.wait()
        try:
            with session_scope(url) as session:
                outcomes.append(apply_review(session, "TI25-RR", ReviewChoice.APPROVE, [], None, name))
        except Exception as e:  # the loser: refused by the unique review of the claim
            outcomes.append(f"{type(e).__name__}: {e}")

    threads = [threading.Thread(target=reviewer, args=(n,)) for n in ("ana", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(outcomes) == 2 and outcomes.count("approved") == 1, outcomes
    assert "ALREADY_DECIDED" in outcomes[1 - outcomes.index("approved")]  # the loser lost on the unique review
    with session_scope(url) as session:
        assert repo.payouts_count(session, "TI25-RR") == 1
        assert claim_repo.find_claim(session, "TI25-RR").payout.status == "awaiting_device_receipt"


def test_migration_0006_gives_existing_payouts_their_key(database_url: str):
    from alembic import command

    from models.db import get_engine
    from models.migrate import alembic_config, upgrade

    add_claim(database_url, "TI25-M")
    with session_scope(database_url) as session:
        session.execute(Payout.__table__.update().values(idempotency_key=None))
    with get_engine(database_url).begin() as connection:
        config = alembic_config(database_url)
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
    upgrade(database_url)
    assert payout(database_url, "TI25-M").idempotency_key == "payout:TI25-M"


def test_the_daily_payouts_deployment_is_declared_and_served():
    import yaml

    from flows.deployments import deployments

    config = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    daily = next(d for d in config["deployments"] if d["name"] == "payouts")
    assert daily["entrypoint"] == "flows/payouts.py:payouts"
    assert daily["schedules"][0] == {"cron": "0 6 * * *", "timezone": "Europe/Berlin", "active": True}
    assert "payouts" in {d.name for d in deployments()}
