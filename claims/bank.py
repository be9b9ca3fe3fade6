"""Bank details (P11, P12): IBAN and BIC checked with schwifty."""

from __future__ import annotations

from dataclasses import dataclass

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from claims.bundle import BankAccount


@dataclass(frozen=True)
class BankCheck:
    """Outcome of checking a claim's bank details."""

    status: str  # 'valid' | 'missing' | 'invalid'
    iban: str | None  # normalised electronic format when valid
    bic: str | None
    detail: str


def check_bank_account(account: BankAccount | None) -> BankCheck:
    """Validate IBAN checksum and BIC; a missing BIC is derived from the IBAN where possible."""
    if account is None or not account.iban:
        return BankCheck("missing", None, None, "no IBAN entered")
    if not account.holder:
        return BankCheck("missing", None, None, "no account holder entered")
    try:
        iban = IBAN(account.iban)
    except (SchwiftyException, ValueError) as e:
        return BankCheck("invalid", None, None, f"IBAN {account.iban!r}: {e}")
    if not account.bic:
        derived = _bic_from_iban(iban)
        if derived is None:
            return BankCheck("missing", iban.compact, None, "no BIC entered and none derivable from the IBAN")
        return BankCheck("valid", iban.compact, derived, f"BIC {derived} derived from the IBAN")
    try:
        bic = BIC(account.bic)
    except (SchwiftyException, ValueError) as e:
        return BankCheck("invalid", iban.compact, None, f"BIC {account.bic!r}: {e}")
    if bic.country_code != iban.country_code and not _sepa_cross_border_ok(bic, iban):
        return BankCheck(
            "invalid",
            iban.compact,
            str(bic),
            f"BIC country {bic.country_code} does not fit IBAN country {iban.country_code}",
        )
    return BankCheck("valid", iban.compact, str(bic), "IBAN checksum and BIC valid")


def _bic_from_iban(iban: IBAN) -> str | None:
    try:
        bic = iban.bic
    except (SchwiftyException, ValueError):
        return None
    return str(bic) if bic else None


def _sepa_cross_border_ok(bic: BIC, iban: IBAN) -> bool:
    """Monaco, San Marino and similar use French/Italian BICs; accept those pairs."""
    pairs = {("MC", "FR"), ("SM", "IT"), ("VA", "IT"), ("GF", "FR"), ("GP", "FR"), ("MQ", "FR"), ("RE", "FR")}
    return (iban.country_code, bic.country_code) in pairs
