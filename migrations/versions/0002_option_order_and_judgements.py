"""option order per attempt, judgement stored per answer

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 20:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("option_order", sa.JSON(), nullable=True))
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("judgement", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("judgement")
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("option_order")
