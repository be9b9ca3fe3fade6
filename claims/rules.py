"""Programme rules P1-P8, P10-P13, P15 applied to one claim: facts in, a Decision out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from claims.bank import check_bank_account
from claims.bundle import DEVICE_PHOTO, PROOF_OF_SALE, DeclaredLine
from claims.decision import Decision, InvoiceSummary, LineDecision
from claims.duplicates import document_figures, figure_overlap
from claims.facts import CatalogueItem, ClaimFacts, DocumentFacts, Field, InvoiceRead
from claims.matching import (
    Match,
    match_code,
    match_code_in_text,
    match_device,
    match_name,
    match_product_name,
    name_in_text,
    other_code_on_line,
)
from claims.names import customer_key, normalise_code, normalise_company, normalise_vat_id, same_customer
from claims.photos import PhotoOfLine, check_photo_serial, find_reused_photos
from claims.programme import Programme
from claims.reasons import ClaimStatus, Code, Effect, LineStatus, PayoutStatus, Reason

UNTRUSTED_QUALITIES = {"illegible", "unreadable"}
HEADER_SHARE = 0.45  # share of an invoice's lines where the issuer's letterhead is looked for


def evaluate_claim(facts: ClaimFacts, programme: Programme) -> Decision:
    """Apply every rule the data allows and decide the claim."""
    claim_reasons = [
        *check_partner(facts),
        *check_deadline(facts, programme),
        *check_documents(facts, programme),
        *check_invoice_fields(facts, programme),
        *check_parties(facts, programme),
        *check_duplicate_invoice(facts, programme),
        *check_bank(facts, programme),
    ]
    photos = assign_device_photos(facts)
    outcomes = [evaluate_line(facts, line, photos.get(line.index), programme) for line in facts.bundle.lines]
    outcomes = mark_duplicate_serials(facts, outcomes)
    outcomes = mark_reused_photos(facts, outcomes, photos, programme)
    outcomes = apply_pair_cap(facts, outcomes, programme)
    decision = assemble(facts, claim_reasons, outcomes)
    invoice = _readable_invoice(facts)
    return replace(
        decision,
        invoice_key=invoice_key(invoice, programme),
        invoice_figures=document_figures(invoice.text) if invoice else frozenset(),
    )


# --- claim level --------------------------------------------------------------------------


def check_partner(facts: ClaimFacts) -> Iterator[Reason]:
    """P1: the partner is an active member of the register."""
    partner = facts.partner
    if partner is None:
        yield Reason(Code.PARTNER_NOT_IN_NETWORK, f"partner {facts.bundle.partner_id} is not in the partner register")
    elif partner.status != "active":
        yield Reason(Code.PARTNER_NOT_IN_NETWORK, f"partner {partner.partner_id} is {partner.status}")


def check_deadline(facts: ClaimFacts, programme: Programme) -> Iterator[Reason]:
    """P4: submitted before the end of the deadline day in the programme's time zone."""
    if facts.bundle.submitted_at >= programme.deadline_end:
        yield Reason(
            Code.CLAIM_AFTER_DEADLINE,
            f"submitted {facts.bundle.submitted_at.isoformat()}, deadline {programme.deadline_date} "
            f"end of day {programme.timezone}",
        )


def check_documents(facts: ClaimFacts, programme: Programme) -> Iterator[Reason]:
    """P8 (a proof of sale exists) and P9 (its quality)."""
    proofs = [d for d in facts.documents if d.kind == PROOF_OF_SALE]
    if not proofs:
        yield Reason(Code.MISSING_DOCUMENT, "no proof-of-sale document in the bundle")
    for doc in facts.documents:
        yield from _quality_reasons(doc, programme)


def _quality_reasons(doc: DocumentFacts, programme: Programme) -> Iterator[Reason]:
    if doc.quality == "unreadable":
        yield Reason(Code.UNREADABLE_FILE, doc.quality_reason, document=doc.file)
        return
    if doc.kind != PROOF_OF_SALE:
        return
    if doc.quality == "fax":
        yield Reason(Code.FAX_QUALITY, doc.quality_reason, document=doc.file)
    elif doc.quality == "illegible":
        yield Reason(Code.ILLEGIBLE_DOCUMENT, doc.quality_reason, document=doc.file)
    elif doc.ocr_confidence is not None and doc.ocr_confidence < programme.thresholds.document_confidence_min:
        yield Reason(
            Code.LOW_OCR_CONFIDENCE,
            f"mean word confidence {doc.ocr_confidence:.1f} < {programme.thresholds.document_confidence_min:.0f}",
            document=doc.file,
        )


def _readable_invoice(facts: ClaimFacts) -> InvoiceRead | None:
    invoice = facts.invoice
    if invoice is None:
        return None
    doc = next((d for d in facts.documents if d.file == invoice.document), None)
    if doc is not None and doc.quality in UNTRUSTED_QUALITIES:
        return None
    return invoice if invoice.text.strip() else None


def check_invoice_fields(facts: ClaimFacts, programme: Programme) -> Iterator[Reason]:
    """Invoice number and date read with confidence; P3 sale window."""
    invoice = _readable_invoice(facts)
    if invoice is None:
        if any(d.kind == PROOF_OF_SALE for d in facts.documents):
            yield Reason(Code.INVOICE_FIELD_MISSING, "no invoice number or date could be read from the proof of sale")
        return
    minimum = programme.thresholds.field_confidence_min
    if invoice.number is None:
        yield Reason(Code.INVOICE_FIELD_MISSING, "invoice number not found", document=invoice.document)
    elif invoice.number.confidence < minimum:
        yield Reason(
            Code.LOW_OCR_CONFIDENCE,
            f"invoice number {invoice.number.value!r} read with confidence {invoice.number.confidence:.0f}",
            document=invoice.document,
        )
    if invoice.date is None:
        yield Reason(Code.INVOICE_FIELD_MISSING, "invoice date not found", document=invoice.document)
        return
    yield from _sale_window(invoice, programme)


def _date_readings(field: Field) -> list[dt.date]:
    """The date as read and, when its day/month order is open, the swapped reading."""
    sold = dt.date.fromisoformat(field.value)
    if field.doubtful and sold.day <= 12 and sold.day != sold.month:
        return [sold, sold.replace(month=sold.day, day=sold.month)]
    return [sold]


def _sale_window(invoice: InvoiceRead, programme: Programme) -> Iterator[Reason]:
    """P3: rejected when the date is sure and outside; review when a reading is in doubt."""
    assert invoice.date is not None
    readings = _date_readings(invoice.date)
    inside = [d for d in readings if programme.sale_start <= d <= programme.sale_end]
    confident = invoice.date.confidence >= programme.thresholds.field_confidence_min
    window = f"{programme.sale_start}..{programme.sale_end}"
    shown = " or ".join(str(d) for d in readings)
    if len(inside) == len(readings):
        if not confident:
            yield Reason(
                Code.LOW_OCR_CONFIDENCE,
                f"invoice date {shown} read with confidence {invoice.date.confidence:.0f}",
                document=invoice.document,
            )
        return
    sure = confident and not inside
    why = (
        ""
        if sure
        else (
            f" (day/month order open: {shown})" if inside else f" (read with confidence {invoice.date.confidence:.0f})"
        )
    )
    yield Reason(
        Code.SALE_OUTSIDE_PROGRAMME,
        f"invoice date {readings[0]} outside the sale window {window}{why}",
        document=invoice.document,
        effect=None if sure else Effect.REVIEW,
    )


def _partner_names(facts: ClaimFacts) -> list[str]:
    names = [facts.partner.name] if facts.partner else []
    if facts.bundle.partner_name:
        names.append(facts.bundle.partner_name)
    return list(dict.fromkeys(n for n in names if n))


def check_parties(facts: ClaimFacts, programme: Programme) -> Iterator[Reason]:
    """P7: the invoice is issued by the partner to the declared end customer."""
    invoice = _readable_invoice(facts)
    partner_names = _partner_names(facts)
    if invoice is None or not partner_names:
        return
    seller_ok, seller_detail = _seller_matches(facts, invoice, partner_names, programme)
    buyer_ok, buyer_detail = _buyer_matches(facts, invoice, programme)
    distributor = _distributor_evidence(facts, invoice, partner_names, programme)
    if distributor is None and not buyer_ok and not seller_ok and _partner_named(invoice, partner_names, programme):
        distributor = f"the partner is named on the invoice but not as its issuer ({seller_detail})"
    if distributor is not None:
        yield Reason(Code.DISTRIBUTOR_INVOICE, distributor, document=invoice.document)
        return
    if not seller_ok:
        yield Reason(Code.SELLER_MISMATCH, seller_detail, document=invoice.document)
    if not buyer_ok:
        yield Reason(Code.BUYER_MISMATCH, buyer_detail, document=invoice.document)


def _sure_vat(field: Field | None) -> str | None:
    return normalise_vat_id(field.value) if field is not None and not field.doubtful else None


def _seller_matches(
    facts: ClaimFacts, invoice: InvoiceRead, names: list[str], programme: Programme
) -> tuple[bool, str]:
    """The issuer is the partner: by VAT id where both are known, else by name.

    When an issuer name was read, it alone decides: a partner named elsewhere on the page (as
    the buyer of a distributor's invoice, say) proves nothing.
    """
    read_vat, partner_vat = (
        _sure_vat(invoice.seller_vat),
        normalise_vat_id(facts.partner.vat_id if facts.partner else None),
    )
    if read_vat and partner_vat:
        same = read_vat == partner_vat
        return same, f"issuer VAT id {read_vat} {'is' if same else 'is not'} the partner's {partner_vat}"
    cutoff, forms = programme.thresholds.party_match_min, programme.legal_forms
    if invoice.seller is not None:
        found = match_name(invoice.seller.value, names, cutoff, forms)
        return found.accepted, f"invoice issuer {invoice.seller.value!r} vs partner: {found.explain()}"
    lines = invoice.text.splitlines()
    header = "\n".join(lines[: max(8, int(len(lines) * HEADER_SHARE))])
    found = max((name_in_text(name, header, cutoff, forms) for name in names), key=lambda m: m.score)
    return found.accepted, f"no issuer block found; partner name in the letterhead: {found.explain()}"


def _buyer_matches(facts: ClaimFacts, invoice: InvoiceRead, programme: Programme) -> tuple[bool, str]:
    """The invoice is addressed to the declared end customer: VAT id where both are known, else name."""
    cutoff, forms = programme.thresholds.party_match_min, programme.legal_forms
    customer = facts.bundle.end_customer
    read_vat, declared_vat = _sure_vat(invoice.buyer_vat), normalise_vat_id(customer.vat_id)
    if read_vat and declared_vat:
        same = read_vat == declared_vat
        return (
            same,
            f"customer VAT id on the invoice {read_vat} {'is' if same else 'is not'} the declared {declared_vat}",
        )
    if invoice.buyer is not None:
        found = match_name(invoice.buyer.value, [customer.name], cutoff, forms)
        if found.accepted:
            return True, found.explain()
    if declared_vat and declared_vat in normalise_code(invoice.text):
        return True, f"end customer VAT id {declared_vat} appears on the invoice"
    found = name_in_text(customer.name, invoice.text, cutoff, forms)
    read = invoice.buyer.value if invoice.buyer else "no customer block found"
    return found.accepted, f"invoice customer {read!r} vs end customer {customer.name!r}: {found.explain()}"


def _distributor_evidence(
    facts: ClaimFacts, invoice: InvoiceRead, names: list[str], programme: Programme
) -> str | None:
    """Why the invoice looks like a distributor's invoice to the partner, or None."""
    cutoff, forms = programme.thresholds.party_match_min, programme.legal_forms
    partner_vat = normalise_vat_id(facts.partner.vat_id if facts.partner else None)
    buyer_vat = _sure_vat(invoice.buyer_vat)
    if buyer_vat and buyer_vat == partner_vat:
        return f"the invoice's customer VAT id {buyer_vat} is the partner's own"
    if invoice.buyer is not None:
        as_partner = match_name(invoice.buyer.value, names, cutoff, forms)
        if as_partner.accepted:
            return f"the invoice is addressed to the partner itself: {as_partner.explain()}"
    seller_vat = _sure_vat(invoice.seller_vat)
    for name, vat in programme.distributors:
        if seller_vat and vat and seller_vat == normalise_vat_id(vat):
            return f"issuer VAT id {seller_vat} belongs to the distributor {name}"
        if invoice.seller is not None:
            found = match_name(invoice.seller.value, [name], cutoff, forms)
            if found.accepted:
                return f"the issuer is the distributor {name}: {found.explain()}"
    return None


def _partner_named(invoice: InvoiceRead, names: list[str], programme: Programme) -> bool:
    cutoff, forms = programme.thresholds.party_match_min, programme.legal_forms
    return any(name_in_text(name, invoice.text, cutoff, forms).accepted for name in names)


def invoice_key(invoice: InvoiceRead | None, programme: Programme) -> tuple[str, str] | None:
    """Identity of an invoice across claims: (normalised issuer, normalised number)."""
    if invoice is None or invoice.number is None:
        return None
    seller = normalise_company(invoice.seller.value, programme.legal_forms) if invoice.seller else ""
    return seller, normalise_code(invoice.number.value)


def check_duplicate_invoice(facts: ClaimFacts, programme: Programme) -> Iterator[Reason]:
    """The same invoice (same file, or same issuer and number) used by an earlier claim."""
    hashes = {d.sha256 for d in facts.documents if d.kind == PROOF_OF_SALE}
    invoice = _readable_invoice(facts)
    key = invoice_key(invoice, programme)
    figures = document_figures(invoice.text) if invoice else frozenset()
    for earlier in facts.earlier:
        overlap = figure_overlap(figures, earlier.invoice_figures)
        if hashes & earlier.invoice_hashes:
            how = "the same file"
        elif key is not None and key[1] != "" and earlier.invoice_key == key:
            how = f"invoice {key[1]} of the same issuer"
        elif overlap >= programme.thresholds.same_document_min:
            cutoff = programme.thresholds.same_document_min
            how = f"the same document re-scanned ({overlap:.0f} % of its figures match, cut-off {cutoff:.0f} %)"
        else:
            continue
        yield Reason(Code.DUPLICATE_INVOICE, f"{how} was already used by claim {earlier.claim_ref}")
        return


def check_bank(facts: ClaimFacts, programme: Programme) -> Iterator[Reason]:
    """P11 valid bank details, P12 no third-party payee, P15 missing details block the payout."""
    account = facts.bundle.bank_account
    check = check_bank_account(account)
    if check.status == "missing":
        yield Reason(Code.MISSING_BANK_DETAILS, f"{check.detail}: payout blocked until customer service records them")
    elif check.status == "invalid":
        yield Reason(Code.INVALID_BANK_DETAILS, check.detail)
    if account is None or not account.holder:
        return
    names = _partner_names(facts)
    holder = match_name(account.holder, names, programme.thresholds.holder_match_min, programme.legal_forms)
    if names and not holder.accepted:
        yield Reason(
            Code.THIRD_PARTY_PAYEE, f"account holder {account.holder!r} is not the partner: {holder.explain()}"
        )


# --- line level ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LineOutcome:
    """A line's reasons and what was matched for it, before the claim is assembled."""

    line: DeclaredLine
    reasons: tuple[Reason, ...]
    item: CatalogueItem | None
    match: Match | None
    match_score: float | None
    invoice_serial: str | None
    replaced_serial_read: str | None
    photo_serial: str | None = None  # the serial the device photo shows without doubt

    @property
    def status(self) -> LineStatus:
        """Rejected beats review beats approved."""
        effects = {r.resolved_effect for r in self.reasons}
        if Effect.REJECT_LINE in effects:
            return LineStatus.REJECTED
        if effects & {Effect.REVIEW, Effect.REVIEW_AND_BLOCK}:
            return LineStatus.NEEDS_REVIEW
        return LineStatus.APPROVED

    @property
    def serials(self) -> tuple[str, ...]:
        """Normalised serials this line claims."""
        found = [
            self.line.product.serial if self.line.product else None,
            self.line.device.serial if self.line.device else None,
        ]
        return tuple(normalise_code(s) for s in found if s and normalise_code(s))


def assign_device_photos(facts: ClaimFacts) -> dict[int, DocumentFacts]:
    """Device photo per line: by its ``line`` field, then unassigned photos in order."""
    photos = [d for d in facts.documents if d.kind == DEVICE_PHOTO]
    assigned = {d.line: d for d in reversed(photos) if d.line is not None}
    loose = iter(d for d in photos if d.line is None)
    for line in facts.bundle.lines:
        if line.index not in assigned and line.device is not None:
            photo = next(loose, None)
            if photo is not None:
                assigned[line.index] = photo
    return assigned


def evaluate_line(
    facts: ClaimFacts, line: DeclaredLine, photo: DocumentFacts | None, programme: Programme
) -> LineOutcome:
    """P2, P6, P8 (device photo), P13 and the invoice cross-checks for one declared pair."""
    reasons: list[Reason] = []
    if line.product is None or line.device is None:
        missing = "replaced device" if line.product is not None else "qualifying product"
        reasons.append(Reason(Code.UNPAIRED_PRODUCT, f"line {line.index} has no {missing}", line=line.index))
    item, catalogue_match = _catalogue_item(facts, line, programme, reasons)
    serial_read = sure_serial = None
    if line.device is not None:
        _check_device(facts, line, programme, reasons)
        if photo is None:
            reasons.append(
                Reason(Code.MISSING_DOCUMENT, f"no photo of the replaced device of line {line.index}", line=line.index)
            )
        else:
            on_photo = check_photo_serial(line, photo)
            reasons.extend(on_photo.reasons)
            serial_read, sure_serial = on_photo.serial_read, on_photo.sure_serial
    invoice_score, invoice_serial = _check_against_invoice(facts, line, item, programme, reasons)
    scores = [s for s in (catalogue_match.score if catalogue_match else None, invoice_score) if s is not None]
    return LineOutcome(
        line=line,
        reasons=tuple(reasons),
        item=item,
        match=catalogue_match,
        match_score=min(scores) if scores else None,
        invoice_serial=invoice_serial,
        replaced_serial_read=serial_read,
        photo_serial=sure_serial,
    )


def _catalogue_item(
    facts: ClaimFacts, line: DeclaredLine, programme: Programme, reasons: list[Reason]
) -> tuple[CatalogueItem | None, Match | None]:
    if line.product is None:
        return None, None
    codes = [c.part_number for c in facts.catalogue]
    found = match_code(line.product.part_number, codes, programme.thresholds.catalogue_match_min)
    wanted = normalise_code(line.product.part_number)
    item = next((c for c in facts.catalogue if normalise_code(c.part_number) == wanted), None)
    if item is None:
        country = facts.partner.country if facts.partner else facts.bundle.partner_country
        reasons.append(
            Reason(
                Code.PRODUCT_NOT_ELIGIBLE,
                f"{line.product.part_number} is not in the eligible catalogue for {country}: {found.explain()}",
                line=line.index,
            )
        )
    return item, found


def _check_device(facts: ClaimFacts, line: DeclaredLine, programme: Programme, reasons: list[Reason]) -> None:
    assert line.device is not None
    pairs = [(d.brand, d.model) for d in facts.devices]
    found = match_device(line.device.brand, line.device.model, pairs, programme.thresholds.catalogue_match_min)
    if not found.accepted:
        reasons.append(
            Reason(
                Code.REPLACED_DEVICE_NOT_ELIGIBLE,
                f"{line.device.brand} {line.device.model} is not an eligible trade-in device: {found.explain()}",
                line=line.index,
            )
        )


def _check_against_invoice(
    facts: ClaimFacts, line: DeclaredLine, item: CatalogueItem | None, programme: Programme, reasons: list[Reason]
) -> tuple[float | None, str | None]:
    invoice = _readable_invoice(facts)
    if invoice is None or line.product is None:
        return None, None
    t = programme.thresholds
    on_invoice = match_code_in_text(
        line.product.part_number, invoice.text, t.invoice_product_min, extra=[f.value for f in invoice.part_numbers]
    )
    if not on_invoice.accepted and item is not None:  # second: the product's name on an invoice line
        names = [c.product_name for c in facts.catalogue]
        by_name = match_product_name(item.product_name, names, invoice.text.splitlines(), t.product_name_min)
        other = other_code_on_line(line.product.part_number, by_name.best or "") if by_name.accepted else None
        if by_name.accepted and other is None:
            on_invoice = by_name
        elif other is not None:
            on_invoice = replace(on_invoice, reason=f"{on_invoice.reason}; the line naming the product reads {other}")
        else:
            on_invoice = replace(on_invoice, reason=f"{on_invoice.reason}; by name {by_name.explain()}")
    if not on_invoice.accepted:
        reasons.append(
            Reason(
                Code.PRODUCT_MISMATCH,
                f"declared product not found on the invoice: {on_invoice.explain()}",
                line=line.index,
                document=invoice.document,
            )
        )
    serial = None
    if line.product.serial:
        found = match_code_in_text(
            line.product.serial,
            invoice.text,
            t.serial_match_min,
            extra=[f.value for f in invoice.serials if not f.doubtful],
        )
        if found.accepted and found.score >= 100:
            serial = normalise_code(found.best or "")
        elif found.accepted:  # equal only up to look-alikes (O/0, S/5, I/1...): read with doubt
            serial = normalise_code(line.product.serial)
            reasons.append(
                Reason(
                    Code.LOW_OCR_CONFIDENCE,
                    f"serial on the invoice read with doubt: declared {serial}, the invoice reads "
                    f"{normalise_code(found.best or '')}, equal only up to look-alike characters: {found.explain()}",
                    line=line.index,
                    document=invoice.document,
                )
            )
        else:
            reasons.append(_serial_not_found(line, invoice, found, programme))
    return on_invoice.score, serial


def _serial_not_found(line: DeclaredLine, invoice: InvoiceRead, found: Match, programme: Programme) -> Reason:
    """A declared serial the invoice does not show: a mismatch, unless a serial the invoice
    read with doubt comes close to it (then OCR may have garbled it: a reviewer looks)."""
    declared = normalise_code(line.product.serial or "")
    doubtful = [f.value for f in invoice.serials if f.doubtful]
    near = match_code(declared, doubtful, programme.thresholds.serial_doubtful_min)
    if near.accepted:
        return Reason(
            Code.LOW_OCR_CONFIDENCE,
            f"serial on the invoice read with doubt: declared {declared}, the invoice reads "
            f"{normalise_code(near.best or '')}, close but not equal: {near.explain()}",
            line=line.index,
            document=invoice.document,
        )
    return Reason(
        Code.SERIAL_MISMATCH,
        f"declared serial not found on the invoice: {found.explain()}",
        line=line.index,
        document=invoice.document,
    )


def mark_duplicate_serials(facts: ClaimFacts, outcomes: list[LineOutcome]) -> list[LineOutcome]:
    """A serial already claimed by an earlier claim, or by an earlier line of this claim."""
    seen: dict[str, str] = {}
    for earlier in facts.earlier:
        for serial in earlier.serials:
            seen.setdefault(serial, f"claim {earlier.claim_ref}")
    result = []
    for outcome in outcomes:
        repeated = [s for s in outcome.serials if s in seen]
        shown = normalise_code(outcome.photo_serial or "")
        photo_repeats = shown and shown not in outcome.serials and shown in seen
        if (repeated or photo_repeats) and outcome.status != LineStatus.REJECTED:
            found = [f"serial {s} already claimed by {seen[s]}" for s in repeated]
            if photo_repeats:
                found.append(f"the device photo shows serial {shown}, already claimed by {seen[shown]}")
            detail = "; ".join(found)
            outcome = replace(
                outcome, reasons=(*outcome.reasons, Reason(Code.DUPLICATE_SERIAL, detail, line=outcome.line.index))
            )
        for s in outcome.serials:
            seen.setdefault(s, f"line {outcome.line.index} of this claim")
        result.append(outcome)
    return result


def mark_reused_photos(
    facts: ClaimFacts, outcomes: list[LineOutcome], photos: dict[int, DocumentFacts], programme: Programme
) -> list[LineOutcome]:
    """A device photo already submitted by an earlier claim, or for an earlier line of this one
    (like a serial, only for lines not rejected)."""
    mine = [PhotoOfLine(index, photo) for index, photo in sorted(photos.items())]
    earlier = [seen for claim in facts.earlier for seen in claim.photos]
    found: dict[int, list[Reason]] = {}
    for reason in find_reused_photos(mine, earlier, programme.thresholds):
        found.setdefault(reason.line, []).append(reason)
    return [
        replace(o, reasons=(*o.reasons, *found[o.line.index]))
        if o.line.index in found and o.status != LineStatus.REJECTED
        else o
        for o in outcomes
    ]


def apply_pair_cap(facts: ClaimFacts, outcomes: list[LineOutcome], programme: Programme) -> list[LineOutcome]:
    """P5: at most ``pair_cap`` approved or pending pairs per end customer, in claim order."""
    customer = customer_key(facts.bundle.end_customer.name, facts.bundle.end_customer.vat_id, programme.legal_forms)
    used = sum(e.counted_pairs for e in facts.earlier if same_customer(e.customer, customer))
    result = []
    for outcome in outcomes:
        if outcome.status != LineStatus.REJECTED:
            if used >= programme.pair_cap:
                cap = Reason(
                    Code.PAIR_LIMIT_EXCEEDED,
                    f"end customer already has {used} pairs (cap {programme.pair_cap})",
                    line=outcome.line.index,
                )
                outcome = replace(outcome, reasons=(*outcome.reasons, cap))
            else:
                used += 1
        result.append(outcome)
    return result


# --- assembling ---------------------------------------------------------------------------


def assemble(facts: ClaimFacts, claim_reasons: list[Reason], outcomes: list[LineOutcome]) -> Decision:
    """Claim status, line decisions, rewards and payout state from all reasons."""
    effects = {r.resolved_effect for r in claim_reasons}
    claim_rejected = Effect.REJECT_CLAIM in effects
    lines = tuple(_line_decision(o, claim_rejected) for o in outcomes)
    status = _claim_status(effects, lines)
    paid_lines = [ln for ln in lines if ln.status != LineStatus.REJECTED and ln.reward is not None]
    reasons = (*claim_reasons, *(r for o in outcomes for r in o.reasons))
    invoice = facts.invoice
    return Decision(
        status=status,
        reasons=tuple(reasons),
        invoice=InvoiceSummary(
            number=invoice.number.value if invoice and invoice.number else None,
            date=invoice.date.value if invoice and invoice.date else None,
            seller=invoice.seller.value if invoice and invoice.seller else None,
            buyer=invoice.buyer.value if invoice and invoice.buyer else None,
        ),
        lines=lines,
        reward_total=sum((ln.reward for ln in paid_lines), Decimal("0.00")),
        currency=next((ln.currency for ln in lines if ln.currency), None),
        payout_status=_payout_status(status, effects),
        invoice_key=None,
    )


def _line_decision(outcome: LineOutcome, claim_rejected: bool) -> LineDecision:
    status = LineStatus.REJECTED if claim_rejected else outcome.status
    item = outcome.item
    return LineDecision(
        index=outcome.line.index,
        status=status,
        part_number=item.part_number if item else None,
        product_name=item.product_name if item else None,
        match_score=outcome.match_score,
        invoice_serial=outcome.invoice_serial,
        replaced_serial_read=outcome.replaced_serial_read,
        reward=item.reward_amount if item and status != LineStatus.REJECTED else None,
        currency=item.currency if item else None,
        serials=outcome.serials,
        match=outcome.match,
    )


def _claim_status(effects: set[Effect], lines: tuple[LineDecision, ...]) -> ClaimStatus:
    statuses = {ln.status for ln in lines}
    if Effect.REJECT_CLAIM in effects or statuses == {LineStatus.REJECTED}:
        return ClaimStatus.REJECTED
    if effects & {Effect.REVIEW, Effect.REVIEW_AND_BLOCK} or LineStatus.NEEDS_REVIEW in statuses:
        return ClaimStatus.NEEDS_REVIEW
    if LineStatus.REJECTED in statuses:
        return ClaimStatus.PARTIALLY_APPROVED
    return ClaimStatus.APPROVED


def _payout_status(status: ClaimStatus, effects: set[Effect]) -> PayoutStatus:
    if status == ClaimStatus.REJECTED:
        return PayoutStatus.NONE
    if effects & {Effect.BLOCK_PAYOUT, Effect.REVIEW_AND_BLOCK}:
        return PayoutStatus.BLOCKED
    if status in (ClaimStatus.APPROVED, ClaimStatus.PARTIALLY_APPROVED):
        return PayoutStatus.AWAITING_DEVICE_RECEIPT
    return PayoutStatus.NONE


def apply_ledger_conflicts(decision: Decision, taken: dict[str, str]) -> Decision:
    """Serials the ledger says another claim holds: DUPLICATE_SERIAL on their lines, status again."""
    added = []
    lines = []
    for line in decision.lines:
        held = [s for s in line.serials if s in taken]
        if held and line.status != LineStatus.REJECTED:
            detail = "; ".join(f"serial {s} already claimed by {taken[s]} (serial ledger)" for s in held)
            added.append(Reason(Code.DUPLICATE_SERIAL, detail, line=line.index))
            line = replace(line, status=LineStatus.NEEDS_REVIEW)
        lines.append(line)
    if not added:
        return decision
    effects = {r.resolved_effect for r in decision.reasons if r.line is None}
    status = _claim_status(effects, tuple(lines))
    return replace(
        decision,
        status=status,
        reasons=(*decision.reasons, *added),
        lines=tuple(lines),
        payout_status=_payout_status(status, effects),
    )
