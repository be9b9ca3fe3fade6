"""serial ledger: one claim per serial, enforced by a unique constraint

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "serial_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("serial_key", sa.String(length=64), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("line_index", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("serial_key"),
    )
    op.create_index(op.f("ix_serial_ledger_claim_id"), "serial_ledger", ["claim_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_serial_ledger_claim_id"), table_name="serial_ledger")
    op.drop_table("serial_ledger")
