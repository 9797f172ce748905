"""PostgreSQL: a session's answers, chat state and problems as ``json``, not ``jsonb``

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 23:30:00

No query looks inside these columns: they are written whole by every revision and read whole
(a GET sends the answers as the text stored). As ``jsonb`` PostgreSQL parsed each revision's
~8 KB of answers into its binary form and printed it back as text on every read, most of its
own CPU per PATCH; ``json`` is checked and kept as the text given. SQLite stores JSON as text
either way: nothing changes there.

The upgrade rewrites the table (``ALTER COLUMN … TYPE``, under an exclusive lock): on a large
production table, run it in a quiet moment. The downgrade converts back; the values are the
same JSON either way (``jsonb`` loses only whitespace, key order and duplicate keys).
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = ("answers", "chat_state", "problems")


def _convert(to: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE interview_session "
        + ", ".join(f"ALTER COLUMN {c} TYPE {to} USING {c}::{to}" for c in COLUMNS)
    )


def upgrade() -> None:
    _convert("json")


def downgrade() -> None:
    _convert("jsonb")
