"""The serial ledger on a real database: one claim per serial, whoever writes first."""

from __future__ import annotations

import json
from dataclasses import replace

from claims.bundle import parse_claim_json
from claims.programme import load_programme
from claims.rules import evaluate_claim
from models import claims as claim_repo
from models.db import session_scope
from tests.domain.factories import facts
from tests.domain.test_bundle import VALID


def record(session, claim_ref: str):
    data = json.loads(json.dumps(VALID))
    data["claim_ref"] = claim_ref
    bundle, raw = parse_claim_json(json.dumps(data).encode())
    shas = {d.file: ("0" * 64, 1) for d in bundle.documents}
    return claim_repo.record_claim(session, bundle, raw, claim_ref, claim_ref, shas, ())


def test_a_serial_is_held_by_one_claim_only(database_url: str):
    decision = evaluate_claim(facts(), load_programme())
    with session_scope(database_url) as session:
        first, second = record(session, "TI25-A"), record(session, "TI25-B")
        assert claim_repo.claim_serials(session, first, decision) == {}
        taken = claim_repo.claim_serials(session, second, decision)
        assert taken == {"PF3ABCDE": "TI25-A", "2215LZ0A1B2C": "TI25-A"}
        assert claim_repo.claim_serials(session, first, decision) == {}  # re-deciding keeps its own serials
        rejected = replace(decision, lines=tuple(replace(ln, status="rejected") for ln in decision.lines))
        assert claim_repo.claim_serials(session, first, rejected) == {}  # rejected lines release them
        assert claim_repo.claim_serials(session, second, decision) == {}


def test_reviews_waiting_past_the_timeout_are_listed_for_escalation(database_url: str):
    import datetime as dt

    from models import reviews

    decision = replace(evaluate_claim(facts(), load_programme()), status="needs_review")
    with session_scope(database_url) as session:
        claim = record(session, "TI25-LATE")
        claim_repo.store_decision(session, claim, decision, (None, None, None))
        session.flush()
        now = dt.datetime.now(dt.UTC)
        assert reviews.overdue_reviews(session, now - dt.timedelta(days=14)) == []
        assert reviews.overdue_reviews(session, now + dt.timedelta(seconds=1)) == ["TI25-LATE"]
