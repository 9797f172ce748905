"""one batch per generation: documents of a session are unique by batch and file name

Two generation runs at once could take the same batch number; the index makes the second fail.
Batches that already hold two runs (a file name twice) are split first: the later run's
documents move to a batch of their own after the session's last one, so nothing is lost.

Revision ID: 0004
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT id, session_id, batch, file_name FROM generated_document ORDER BY session_id, batch, created_at, id"
        )
    ).fetchall()
    last_batch: dict[object, int] = {}
    for row in rows:
        last_batch[row.session_id] = max(last_batch.get(row.session_id, 0), row.batch)
    seen: dict[tuple[object, int], list[set[str]]] = {}
    moves: list[tuple[object, int]] = []
    by_id = {row.id: row for row in rows}
    for row in rows:
        runs = seen.setdefault((row.session_id, row.batch), [set()])
        # A name already in the batch starts (or continues) a later run.
        index = next((i for i, names in enumerate(runs) if row.file_name not in names), None)
        if index is None:
            runs.append(set())
            index = len(runs) - 1
        runs[index].add(row.file_name)
        if index > 0:
            moves.append((row.id, index))
    new_batch: dict[tuple[object, int, int], int] = {}
    for row_id, index in moves:
        row = by_id[row_id]
        key = (row.session_id, row.batch, index)
        if key not in new_batch:
            last_batch[row.session_id] += 1
            new_batch[key] = last_batch[row.session_id]
        connection.execute(
            sa.text("UPDATE generated_document SET batch = :batch WHERE id = :id"),
            {"batch": new_batch[key], "id": row_id},
        )
    op.create_index(
        "uq_generated_document_batch_file",
        "generated_document",
        ["session_id", "batch", "file_name"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_generated_document_batch_file", table_name="generated_document")
