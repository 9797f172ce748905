"""derived state stored with each revision; the listing's index (owner, updated_at desc, id)

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-25 16:30:00

Existing sessions keep null derived columns: the service fills them on their first read
(the pack's rules are Python of the running service, not something a migration should import).
"""

from __future__ import annotations

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

JSON_VARIANT = (
    sa.JSON()
    .with_variant(postgresql.JSONB(astext_type=sa.Text()), "cockroachdb")
    .with_variant(advanced_alchemy.types.json.ORA_JSONB(), "oracle")
    .with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
)


def upgrade() -> None:
    with op.batch_alter_table("interview_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("derived_for", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("progress_answered", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("progress_required", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("open_errors", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("open_warnings", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("problems", JSON_VARIANT, nullable=True))
    op.create_index(
        "ix_interview_session_owner_updated",
        "interview_session",
        ["owner", sa.text("updated_at DESC"), sa.text("id DESC")],
    )
    op.create_index(
        "ix_interview_session_updated",
        "interview_session",
        [sa.text("updated_at DESC"), sa.text("id DESC")],
    )


def downgrade() -> None:
    op.drop_index("ix_interview_session_updated", table_name="interview_session")
    op.drop_index("ix_interview_session_owner_updated", table_name="interview_session")
    with op.batch_alter_table("interview_session", schema=None) as batch_op:
        for column in (
            "problems",
            "open_warnings",
            "open_errors",
            "progress_required",
            "progress_answered",
            "derived_for",
        ):
            batch_op.drop_column(column)
