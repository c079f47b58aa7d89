"""attempt language, answer credit and time, criterion levels per attempt: for statistics

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
    op.create_table(
        "attempt_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.String(length=64), nullable=False),
        sa.Column("level", sa.Double(), nullable=False),
        sa.Column("top", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.Integer(), nullable=False),
        sa.Column("self_rating", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("attempt_id", "criterion_id", name="uq_attempt_criteria"),
    )
    with op.batch_alter_table("attempt_criteria") as batch:
        batch.create_index("ix_attempt_criteria_criterion_id", ["criterion_id"], unique=False)


def downgrade():
    op.drop_table("attempt_criteria")
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("seconds")
        batch.drop_column("credit")
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("language")
