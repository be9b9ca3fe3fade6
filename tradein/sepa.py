"""SEPA credit-transfer files (pain.001) with sepaxml: the only importer of sepaxml."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from claims.payouts import SepaPayment, amount_in_cents, batch_total
from claims.programme import Payer
from tradein.errors import ConfigurationError, TradeinError

SUPPORTED_SCHEMAS = ("pain.001.001.03", "pain.001.001.09", "pain.001.001.10", "pain.001.001.11")


class SepaError(TradeinError):
    """A SEPA file could not be built or does not validate against its XSD."""

    code = "SEPA_INVALID"


def credit_transfer(
    payer: Payer, payments: Sequence[SepaPayment], msg_id: str, created_at: dt.datetime, currency: str
) -> bytes:
    """One pain.001 document with every payment, validated against the schema's XSD before it is returned."""
    from sepaxml import SepaTransfer
    from sepaxml.validation import ValidationError

    if payer.sepa_schema not in SUPPORTED_SCHEMAS:
        raise ConfigurationError(f"SEPA schema {payer.sepa_schema!r} not supported; use one of {SUPPORTED_SCHEMAS}")
    config = {"name": payer.name, "IBAN": payer.iban, "batch": True, "currency": currency}
    if payer.bic:
        config["BIC"] = payer.bic
    try:
        sepa = SepaTransfer(config, schema=payer.sepa_schema, clean=True)
        header = sepa._xml.find("CstmrCdtTrfInitn/GrpHdr")
        header.find("MsgId").text = msg_id  # stable: a recovery rewrite is the same message for the bank
        header.find("CreDtTm").text = created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
        for p in payments:
            payment = {
                "name": p.name,
                "IBAN": p.iban,
                "amount": amount_in_cents(p.amount),
                "currency": p.currency,
                "execution_date": p.execution_date,
                "description": p.description,
                "endtoend_id": p.end_to_end_id,
            }
            if p.bic:
                payment["BIC"] = p.bic
            sepa.add_payment(payment)
        document = sepa.export(validate=True, pretty_print=True)
    except ValidationError as e:
        cause = e.__cause__ or e
        raise SepaError(f"SEPA file {msg_id} does not validate against {payer.sepa_schema}: {cause}") from e
    except (ValueError, KeyError, TypeError) as e:
        raise SepaError(f"cannot build SEPA file {msg_id}: {e}") from e
    summary = read_credit_transfer(document)
    if summary.control_sum != str(batch_total(payments)) or len(summary.end_to_end_ids) != len(payments):
        raise SepaError(f"SEPA file {msg_id}: control sum {summary.control_sum} != {batch_total(payments)}")
    return document


class TransferSummary:
    """What a pain.001 file says: its message id, control sum and end-to-end ids with amounts."""

    def __init__(self, msg_id: str, control_sum: str, payments: list[tuple[str, str, str]]) -> None:
        self.msg_id = msg_id
        self.control_sum = control_sum
        self.payments = payments  # (end_to_end_id, amount, currency)

    @property
    def end_to_end_ids(self) -> list[str]:
        """Every EndToEndId, in file order."""
        return [p[0] for p in self.payments]


def read_credit_transfer(document: bytes) -> TransferSummary:
    """Parse a pain.001 file (any version) for its MsgId, CtrlSum and payments."""
    try:
        root = ET.fromstring(document)
    except ET.ParseError as e:
        raise SepaError(f"not a SEPA XML file: {e}") from e

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    msg_id, control_sum, payments = "", "", []
    for el in root.iter():
        name = local(el.tag)
        if name == "GrpHdr":
            for child in el:
                if local(child.tag) == "MsgId":
                    msg_id = child.text or ""
                elif local(child.tag) == "CtrlSum":
                    control_sum = child.text or ""
        elif name == "CdtTrfTxInf":
            e2e = amount = currency = ""
            for sub in el.iter():
                if local(sub.tag) == "EndToEndId":
                    e2e = sub.text or ""
                elif local(sub.tag) == "InstdAmt":
                    amount, currency = sub.text or "", sub.get("Ccy", "")
            payments.append((e2e, amount, currency))
    if not msg_id:
        raise SepaError("not a pain.001 credit transfer: no GrpHdr/MsgId")
    return TransferSummary(msg_id, control_sum, payments)
