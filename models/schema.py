"""Tables, as SQLAlchemy 2 typed models. The same schema on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes stored as UTC, read back aware on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    """Now, aware, in UTC."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base of every table."""


Money = Numeric(12, 2)


class Partner(Base):
    """A channel partner of the register (P1)."""

    __tablename__ = "partners"
    partner_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    country: Mapped[str] = mapped_column(String(2))
    vat_id: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CatalogueEntry(Base):
    """An eligible product in one country, with its reward (P2, P13)."""

    __tablename__ = "catalogue"
    __table_args__ = (UniqueConstraint("country", "part_number", name="uq_catalogue_country_part"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country: Mapped[str] = mapped_column(String(2))
    part_number: Mapped[str] = mapped_column(String(64))
    product_name: Mapped[str] = mapped_column(String(255))
    reward_amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))


class TradeInDevice(Base):
    """An old device the programme takes back."""

    __tablename__ = "trade_in_devices"
    __table_args__ = (UniqueConstraint("brand", "model", name="uq_device_brand_model"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brand: Mapped[str] = mapped_column(String(128))
    model: Mapped[str] = mapped_column(String(255))
    category: Mapped[str] = mapped_column(String(128))


class Claim(Base):
    """A partner's claim, recorded once per claim_ref."""

    __tablename__ = "claims"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_ref: Mapped[str] = mapped_column(String(35), unique=True)
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    partner_id: Mapped[str] = mapped_column(String(64), index=True)
    customer_vat_key: Mapped[str | None] = mapped_column(String(32), index=True)
    customer_name_key: Mapped[str] = mapped_column(String(255), index=True)
    bundle_json: Mapped[dict] = mapped_column(JSON)
    fingerprint: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(24), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    review_flow_run_id: Mapped[str | None] = mapped_column(String(64))
    ingested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    documents: Mapped[list[Document]] = relationship(
        back_populates="claim", order_by="Document.position", cascade="all, delete-orphan"
    )
    lines: Mapped[list[ClaimLine]] = relationship(
        back_populates="claim", order_by="ClaimLine.index", cascade="all, delete-orphan"
    )
    decision: Mapped[Decision | None] = relationship(back_populates="claim", cascade="all, delete-orphan")
    payout: Mapped[Payout | None] = relationship(back_populates="claim", cascade="all, delete-orphan")
    review: Mapped[Review | None] = relationship(back_populates="claim", cascade="all, delete-orphan")


class Document(Base):
    """A file of a claim, stored by content hash, with its grade once read."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("claim_id", "position", name="uq_document_claim_position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    file: Mapped[str] = mapped_column(String(1024))
    kind: Mapped[str] = mapped_column(String(64))
    line: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str | None] = mapped_column(String(64))
    quality: Mapped[str | None] = mapped_column(String(16))
    quality_reason: Mapped[str | None] = mapped_column(Text)
    ocr_confidence: Mapped[float | None]
    photo_print: Mapped[str | None] = mapped_column(String(64))  # device photos: perceptual prints
    label_print: Mapped[str | None] = mapped_column(String(64))
    centre_print: Mapped[str | None] = mapped_column(String(128))  # of the photo's centre (crops)
    fine_print: Mapped[str | None] = mapped_column(String(256))  # the same prints at 256 bits
    fine_centre_print: Mapped[str | None] = mapped_column(String(512))
    serial_seen: Mapped[str | None] = mapped_column(String(255))  # the serials read, doubtful or not
    serial_read: Mapped[str | None] = mapped_column(String(64))  # the serial read without doubt
    claim: Mapped[Claim] = relationship(back_populates="documents")


class OcrResult(Base):
    """A document reading cached by content hash, pipeline version and languages."""

    __tablename__ = "ocr_results"
    __table_args__ = (UniqueConstraint("sha256", "pipeline_version", "languages", name="uq_ocr_result_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    pipeline_version: Mapped[str] = mapped_column(String(32))
    languages: Mapped[str] = mapped_column(String(64))
    reading: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class LabelResult(Base):
    """A device-label reading cached by content hash, pipeline version and languages."""

    __tablename__ = "label_results"
    __table_args__ = (UniqueConstraint("sha256", "pipeline_version", "languages", name="uq_label_result_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    pipeline_version: Mapped[str] = mapped_column(String(32))
    languages: Mapped[str] = mapped_column(String(64))
    reading: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClaimLine(Base):
    """A declared pair and its outcome."""

    __tablename__ = "claim_lines"
    __table_args__ = (UniqueConstraint("claim_id", "index", name="uq_claim_line_index"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    index: Mapped[int] = mapped_column(Integer)
    declared_part_number: Mapped[str | None] = mapped_column(String(64))
    declared_product_serial: Mapped[str | None] = mapped_column(String(64))
    device_brand: Mapped[str | None] = mapped_column(String(128))
    device_model: Mapped[str | None] = mapped_column(String(255))
    device_serial: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str | None] = mapped_column(String(16))
    part_number: Mapped[str | None] = mapped_column(String(64))
    product_name: Mapped[str | None] = mapped_column(String(255))
    match_score: Mapped[float | None]
    match: Mapped[dict | None] = mapped_column(JSON)
    invoice_serial: Mapped[str | None] = mapped_column(String(64))
    replaced_serial_read: Mapped[str | None] = mapped_column(String(64))
    reward: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(String(3))
    serial_keys: Mapped[list] = mapped_column(JSON, default=list)
    claim: Mapped[Claim] = relationship(back_populates="lines")


class Decision(Base):
    """The current decision of a claim."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    proposed_status: Mapped[str] = mapped_column(String(24))
    invoice_number: Mapped[str | None] = mapped_column(String(128))
    invoice_date: Mapped[str | None] = mapped_column(String(10))
    seller: Mapped[str | None] = mapped_column(String(255))
    buyer: Mapped[str | None] = mapped_column(String(255))
    invoice_key: Mapped[str | None] = mapped_column(String(400), index=True)
    invoice_figures: Mapped[list | None] = mapped_column(JSON)
    reward_total: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(String(3))
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    claim: Mapped[Claim] = relationship(back_populates="decision")
    reasons: Mapped[list[DecisionReason]] = relationship(
        back_populates="decision", order_by="DecisionReason.position", cascade="all, delete-orphan"
    )


class DecisionReason(Base):
    """One reason code of a decision."""

    __tablename__ = "decision_reasons"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40), index=True)
    line: Mapped[int | None] = mapped_column(Integer)
    document: Mapped[str | None] = mapped_column(String(1024))
    detail: Mapped[str] = mapped_column(Text)
    effect: Mapped[str] = mapped_column(String(24))
    decision: Mapped[Decision] = relationship(back_populates="reasons")


class Review(Base):
    """A reviewer's decision on a flagged claim, with its audit trail."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), unique=True)
    decision: Mapped[str] = mapped_column(String(16))
    approved_lines: Mapped[list] = mapped_column(JSON, default=list)
    reviewer: Mapped[str | None] = mapped_column(String(255))
    reason: Mapped[str | None] = mapped_column(Text)
    proposed_status: Mapped[str] = mapped_column(String(24))
    flow_run_id: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    claim: Mapped[Claim] = relationship(back_populates="review")


class Payout(Base):
    """The money owed for a claim, from approval to payment."""

    __tablename__ = "payouts"
    __table_args__ = (UniqueConstraint("idempotency_key", name="uq_payout_idempotency_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(32), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(String(3))
    holder: Mapped[str | None] = mapped_column(String(255))
    iban: Mapped[str | None] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    due_date: Mapped[dt.date | None]
    exported_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    paid_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    idempotency_key: Mapped[str | None] = mapped_column(String(64))  # 'payout:<claim_ref>', unique
    end_to_end_id: Mapped[str | None] = mapped_column(String(35))  # the claim_ref, reused on re-export
    devices_received_on: Mapped[dt.date | None]  # the last receipt of the claim's approved lines
    export_id: Mapped[int | None] = mapped_column(
        ForeignKey("payout_exports.id", name="fk_payouts_export_id"), index=True
    )
    paid_reference: Mapped[str | None] = mapped_column(String(255))
    claim: Mapped[Claim] = relationship(back_populates="payout")


class PayoutExport(Base):
    """One SEPA file: claimed by a writer first (pending), confirmed once written (written)."""

    __tablename__ = "payout_exports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    msg_id: Mapped[str] = mapped_column(String(35), unique=True)
    currency: Mapped[str] = mapped_column(String(3))
    path: Mapped[str] = mapped_column(String(1024))
    status: Mapped[str] = mapped_column(String(16), index=True)  # 'pending' | 'written'
    payment_count: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[Decimal] = mapped_column(Money)
    sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    written_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


@event.listens_for(Payout, "before_insert")
def _payout_idempotency_key(_mapper, _connection, target: Payout) -> None:
    """Every payout carries its claim's key (unique): a second payout for a claim cannot be inserted."""
    claim = target.__dict__.get("claim")  # never lazy-load during a flush
    if target.idempotency_key is None and claim is not None:
        from claims.payouts import idempotency_key

        target.idempotency_key = idempotency_key(claim.claim_ref)


class SerialClaim(Base):
    """The serial ledger: each serial is claimed by one claim only (unique, whoever writes first)."""

    __tablename__ = "serial_ledger"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    serial_key: Mapped[str] = mapped_column(String(64), unique=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    line_index: Mapped[int] = mapped_column(Integer)


class Receipt(Base):
    """An old device received at the auditing centre."""

    __tablename__ = "receipts"
    __table_args__ = (UniqueConstraint("claim_ref", "serial", name="uq_receipt_claim_serial"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_ref: Mapped[str] = mapped_column(String(35), index=True)
    serial: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.date]
    line_index: Mapped[int | None] = mapped_column(Integer)  # the claim line it matched, None when unknown


class Quarantine(Base):
    """A bundle moved to quarantine, with its machine-readable reason."""

    __tablename__ = "quarantine"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bundle_name: Mapped[str] = mapped_column(String(255))
    code: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text)
    path: Mapped[str] = mapped_column(String(1024))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


Index("ix_claims_order", Claim.submitted_at, Claim.claim_ref)
