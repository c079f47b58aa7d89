"""one attempt in progress per owner and quiz; attempt version; abandoned attempts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 19:50:00

Races before this revision could leave several attempts in progress for one
owner and quiz. The newest stays in progress; the others are marked
abandoned (never scored, answers kept), so the unique index can be built.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OPEN = "submitted_at IS NULL AND abandoned_at IS NULL"


def upgrade():
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("abandoned_at", sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE attempts SET abandoned_at = updated_at "
        f"WHERE {OPEN} AND id NOT IN ("
        f"SELECT MAX(id) FROM attempts WHERE {OPEN} GROUP BY owner_key, quiz_id)"
    )
    op.create_index(
        "uq_attempts_open",
        "attempts",
        ["owner_key", "quiz_id"],
        unique=True,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )


def downgrade():
    op.drop_index("uq_attempts_open", table_name="attempts")
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("abandoned_at")
        batch.drop_column("version")
