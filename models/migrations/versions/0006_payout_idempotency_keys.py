"""every existing payout gets its idempotency key 'payout:<claim_ref>'

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "UPDATE payouts SET idempotency_key = 'payout:' || "
        "(SELECT claims.claim_ref FROM claims WHERE claims.id = payouts.claim_id) "
        "WHERE idempotency_key IS NULL"
    )


def downgrade() -> None:
    pass  # the keys stay; 0005's downgrade drops the column
