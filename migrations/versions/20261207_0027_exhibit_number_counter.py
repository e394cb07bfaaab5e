"""Exhibit numbers issued from a counter, atomically as each exhibit is inserted (issues 18.2
and 17.2): the ``exhibit_number`` table, whose autoincrementing key does the counting (a
sequence on PostgreSQL, AUTOINCREMENT on SQLite).

Reviewed by hand. Numbers were the highest ``P-nnnn`` on record plus one, read before the
insert: concurrent creates on PostgreSQL took the same number and were refused, and an import
that reserved its numbers at the start failed when anyone created an exhibit meanwhile. The
counter starts past the highest ``P-nnnn`` on record (deleted and hidden exhibits included, as
before), so no number is issued twice. A downgrade drops the table; numbers are read from the
exhibits again.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 14:00:00.000000
"""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

NUMBER = re.compile(r"^P-(\d+)$")


def upgrade() -> None:
    counter = op.create_table(
        "exhibit_number",
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_exhibit_number")),
        sqlite_autoincrement=True,
    )
    bind = op.get_bind()
    numbers = bind.execute(sa.text("SELECT exhibit_no FROM evidence WHERE exhibit_no LIKE 'P-%'")).scalars()
    highest = max((int(m.group(1)) for m in map(NUMBER.match, numbers) if m), default=0)
    if highest:
        op.bulk_insert(counter, [{"number": highest, "issued_at": dt.datetime.now(dt.UTC)}])
        if bind.dialect.name == "postgresql":  # an explicit key does not move the sequence
            bind.execute(
                sa.text("SELECT setval(pg_get_serial_sequence('exhibit_number', 'number'), :n)"), {"n": highest}
            )


def downgrade() -> None:
    op.drop_table("exhibit_number")
