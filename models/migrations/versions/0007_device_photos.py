"""device-label readings cached; device photos keep their perceptual prints and serial read

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

import models.schema

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "label_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pipeline_version", sa.String(length=32), nullable=False),
        sa.Column("languages", sa.String(length=64), nullable=False),
        sa.Column("reading", sa.JSON(), nullable=False),
        sa.Column("created_at", models.schema.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256", "pipeline_version", "languages", name="uq_label_result_key"),
    )
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("photo_print", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("label_print", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("serial_read", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("serial_read")
        batch.drop_column("label_print")
        batch.drop_column("photo_print")
    op.drop_table("label_results")
