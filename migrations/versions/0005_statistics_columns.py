"""attempt language, answer credit and time, for item statistics

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 22:00:00

Older answers get no credit or time (statistics leave them out); older
attempts no language (they count in every statistic but the per-language one).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("language", sa.String(length=2), nullable=True))
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("credit", sa.Double(), nullable=True))
        batch.add_column(sa.Column("seconds", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("seconds")
        batch.drop_column("credit")
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("language")
