"""device photos keep more perceptual prints (their centre, and all at 256 bits) and the serial read with doubt

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("centre_print", sa.String(length=128), nullable=True))
        batch.add_column(sa.Column("fine_print", sa.String(length=256), nullable=True))
        batch.add_column(sa.Column("fine_centre_print", sa.String(length=512), nullable=True))
        batch.add_column(sa.Column("serial_seen", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("serial_seen")
        batch.drop_column("fine_centre_print")
        batch.drop_column("fine_print")
        batch.drop_column("centre_print")
