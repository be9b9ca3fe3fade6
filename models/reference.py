"""Reference data in the database: upserts from parsed CSVs and loaders for the rules."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from claims.facts import CatalogueItem, EligibleDevice, PartnerFacts
from claims.reference import ReceiptRow
from models.schema import CatalogueEntry, Partner, Receipt, TradeInDevice


def upsert_catalogue(session: Session, items: Sequence[CatalogueItem]) -> int:
    """Insert or update catalogue rows by (country, part number)."""
    existing = {(e.country, e.part_number): e for e in session.scalars(select(CatalogueEntry))}
    for item in items:
        row = existing.get((item.country, item.part_number))
        if row is None:
            row = CatalogueEntry(country=item.country, part_number=item.part_number)
            session.add(row)
            existing[(item.country, item.part_number)] = row
        row.product_name, row.reward_amount, row.currency = item.product_name, item.reward_amount, item.currency
    return len(items)


def upsert_devices(session: Session, devices: Sequence[EligibleDevice]) -> int:
    """Insert or update eligible trade-in devices by (brand, model), case-insensitively."""
    existing = {(d.brand.lower(), d.model.lower()): d for d in session.scalars(select(TradeInDevice))}
    for device in devices:
        key = (device.brand.lower(), device.model.lower())
        row = existing.get(key)
        if row is None:
            row = TradeInDevice(brand=device.brand, model=device.model)
            session.add(row)
            existing[key] = row
        row.category = device.category
    return len(devices)


def upsert_partners(session: Session, partners: Sequence[PartnerFacts]) -> int:
    """Insert or update partners by partner_id."""
    existing = {p.partner_id: p for p in session.scalars(select(Partner))}
    for partner in partners:
        row = existing.get(partner.partner_id)
        if row is None:
            row = Partner(partner_id=partner.partner_id)
            session.add(row)
            existing[partner.partner_id] = row
        row.name, row.country, row.vat_id, row.status = partner.name, partner.country, partner.vat_id, partner.status
    return len(partners)


def upsert_receipts(session: Session, receipts: Sequence[ReceiptRow]) -> int:
    """Record received devices by (claim_ref, serial)."""
    existing = {(r.claim_ref, r.serial): r for r in session.scalars(select(Receipt))}
    for receipt in receipts:
        row = existing.get((receipt.claim_ref, receipt.serial))
        if row is None:
            row = Receipt(claim_ref=receipt.claim_ref, serial=receipt.serial)
            session.add(row)
            existing[(receipt.claim_ref, receipt.serial)] = row
        row.received_at = receipt.received_at
    return len(receipts)


def find_partner(session: Session, partner_id: str) -> PartnerFacts | None:
    """A partner register row as facts, or None."""
    row = session.get(Partner, partner_id)
    if row is None:
        return None
    return PartnerFacts(row.partner_id, row.name, row.country, row.vat_id, row.status)


def catalogue_for(session: Session, country: str) -> tuple[CatalogueItem, ...]:
    """The eligible catalogue of one country."""
    rows = session.scalars(
        select(CatalogueEntry).where(CatalogueEntry.country == country).order_by(CatalogueEntry.part_number)
    )
    return tuple(CatalogueItem(r.country, r.part_number, r.product_name, r.reward_amount, r.currency) for r in rows)


def eligible_devices(session: Session) -> tuple[EligibleDevice, ...]:
    """Every eligible trade-in device."""
    rows = session.scalars(select(TradeInDevice).order_by(TradeInDevice.brand, TradeInDevice.model))
    return tuple(EligibleDevice(r.brand, r.model, r.category) for r in rows)
