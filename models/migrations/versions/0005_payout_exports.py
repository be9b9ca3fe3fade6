"""payouts exactly once: SEPA exports, idempotency key, end-to-end id, receipts matched to lines

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

import models.schema

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payout_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("msg_id", sa.String(length=35), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("path", sa.String(length=1024), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("payment_count", sa.Integer(), nullable=False),
        sa.Column("total", sa.Numeric(12, 2), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", models.schema.UTCDateTime(), nullable=False),
        sa.Column("written_at", models.schema.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("msg_id"),
    )
    op.create_index(op.f("ix_payout_exports_status"), "payout_exports", ["status"], unique=False)
    with op.batch_alter_table("payouts") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("end_to_end_id", sa.String(length=35), nullable=True))
        batch.add_column(sa.Column("devices_received_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("export_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("paid_reference", sa.String(length=255), nullable=True))
        batch.create_unique_constraint("uq_payout_idempotency_key", ["idempotency_key"])
        batch.create_foreign_key("fk_payouts_export_id", "payout_exports", ["export_id"], ["id"])
        batch.create_index(batch.f("ix_payouts_export_id"), ["export_id"], unique=False)
    with op.batch_alter_table("receipts") as batch:
        batch.add_column(sa.Column("line_index", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("receipts") as batch:
        batch.drop_column("line_index")
    with op.batch_alter_table("payouts") as batch:
        batch.drop_index(batch.f("ix_payouts_export_id"))
        batch.drop_constraint("fk_payouts_export_id", type_="foreignkey")
        batch.drop_constraint("uq_payout_idempotency_key", type_="unique")
        for column in ("paid_reference", "export_id", "devices_received_on", "end_to_end_id", "idempotency_key"):
            batch.drop_column(column)
    op.drop_index(op.f("ix_payout_exports_status"), table_name="payout_exports")
    op.drop_table("payout_exports")
