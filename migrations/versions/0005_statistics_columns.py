"""attempt language, answer credit and time, criterion levels, module progress: for insight

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
    op.create_table(
        "module_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("quiz_id", sa.String(length=64), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.Column("has_open", sa.Boolean(), nullable=False),
        sa.Column("any_awaiting", sa.Boolean(), nullable=False),
        sa.Column("latest_submitted_awaiting", sa.Boolean(), nullable=False),
        sa.Column("best_attempt_id", sa.Integer(), nullable=True),
        sa.Column("best_number", sa.Integer(), nullable=True),
        sa.Column("best_percent", sa.Double(), nullable=True),
        sa.Column("best_passed", sa.Boolean(), nullable=True),
        sa.Column("best_at", sa.DateTime(), nullable=True),
        sa.Column("latest_attempt_id", sa.Integer(), nullable=True),
        sa.Column("latest_number", sa.Integer(), nullable=True),
        sa.Column("latest_percent", sa.Double(), nullable=True),
        sa.Column("latest_passed", sa.Boolean(), nullable=True),
        sa.Column("latest_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["assignment_id"], ["assignments.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("assignment_id", "quiz_id", name="uq_module_progress"),
    )
    # Assignments arrive with revision 0004 of the same release: there is no
    # older progress to build.


def downgrade():
    op.drop_table("module_progress")
    op.drop_table("attempt_criteria")
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("seconds")
        batch.drop_column("credit")
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("language")
