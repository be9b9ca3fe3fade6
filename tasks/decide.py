"""Prefect tasks that decide a claim: gather facts, apply the rules, store the decision."""

from __future__ import annotations

from collections.abc import Sequence

from prefect import task

from claims.bank import check_bank_account
from claims.decision import Decision
from claims.evidence import best_invoice
from claims.facts import ClaimFacts, DocumentFacts, InvoiceRead
from claims.rules import apply_ledger_conflicts, evaluate_claim
from models import claims as claim_repo
from models import reference
from models.db import session_scope
from tradein.errors import TradeinError
from tradein.settings import get_settings


@task(name="claim-languages")
def claim_languages(partner_id: str, declared_country: str) -> str:
    """Tesseract languages for a claim, from the partner's registered country."""
    settings = get_settings()
    with session_scope(settings.resolved_database_url) as session:
        partner = reference.find_partner(session, partner_id)
    country = partner.country if partner else declared_country
    return "+".join(settings.programme.languages_for(country))


@task(name="gather-facts", task_run_name="facts-{claim_ref}")
def gather_facts(claim_ref: str, documents: Sequence[DocumentFacts], invoices: Sequence[InvoiceRead]) -> ClaimFacts:
    """The claim, its partner, the country's catalogue and earlier claims, with what was read."""
    with session_scope(get_settings().resolved_database_url) as session:
        claim = claim_repo.find_claim(session, claim_ref)
        if claim is None:
            raise TradeinError(f"claim {claim_ref} vanished while it was processed", code="CLAIM_NOT_FOUND")
        bundle = claim_repo.load_bundle(claim)
        partner = reference.find_partner(session, bundle.partner_id)
        country = partner.country if partner else bundle.partner_country
        return ClaimFacts(
            bundle=bundle,
            partner=partner,
            catalogue=reference.catalogue_for(session, country),
            devices=reference.eligible_devices(session),
            documents=tuple(documents),
            invoice=best_invoice(invoices),
            earlier=claim_repo.earlier_claims(session, claim),
        )


@task(name="evaluate-claim", task_run_name="rules-{facts.bundle.claim_ref}")
def evaluate(facts: ClaimFacts) -> Decision:
    """Apply the programme rules."""
    return evaluate_claim(facts, get_settings().programme)


@task(name="reserve-serials", task_run_name="ledger-{claim_ref}")
def reserve_serials(claim_ref: str, decision: Decision) -> dict[str, str]:
    """Enter the claim's serials in the ledger; return those another claim already holds."""
    with session_scope(get_settings().resolved_database_url) as session:
        claim = claim_repo.find_claim(session, claim_ref)
        return claim_repo.claim_serials(session, claim, decision)


@task(name="ledger-conflicts", task_run_name="conflicts-{claim_ref}")
def resolve_ledger_conflicts(claim_ref: str, decision: Decision, taken: dict[str, str]) -> Decision:
    """Send lines whose serial another claim holds to review."""
    return apply_ledger_conflicts(decision, taken)


@task(name="store-decision", task_run_name="store-{claim_ref}")
def store_decision(claim_ref: str, facts: ClaimFacts, decision: Decision) -> str:
    """Write the decision, document grades and payout state; return the claim status."""
    bank = check_bank_account(facts.bundle.bank_account)
    holder = facts.bundle.bank_account.holder if facts.bundle.bank_account else None
    with session_scope(get_settings().resolved_database_url) as session:
        claim = claim_repo.find_claim(session, claim_ref)
        claim_repo.record_document_grades(session, claim, facts.documents)
        claim_repo.store_decision(session, claim, decision, (holder, bank.iban, bank.bic))
    return str(decision.status)


@task(name="record-failure", task_run_name="failed-{claim_ref}")
def record_failure(claim_ref: str, error: str) -> None:
    """Mark a claim failed; the next run retries it."""
    with session_scope(get_settings().resolved_database_url) as session:
        claim_repo.record_failure(session, claim_ref, error)
