"""Notifications of a watched saved search's new results and of an import's links (issue 25
items 3 and 4).

Reviewed by hand:
- notification.kind may be "search_result" (a record new in a watched saved search of the
  evidence list or of search, or several at once) or "import_linked" (an import run linked
  evidence to officials the recipient watches: one notification per run);
- notification.record_kind may be "saved_search" (the search whose new results are told at
  once) or "import_run"; the column widens to the longest (12 characters, as models/base.py
  enum_column sizes it). The CHECK constraints are replaced (autogenerate does not see them).
No data moves. The downgrade deletes the notifications of the new kinds (a notification is a
convenience: what it told of is in the records and the audit trail), then restores the old
constraints and width.

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-08 01:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0040"
down_revision = "0039"
branch_labels = None
depends_on = None

# The enumerations as they stand at revision 0039, frozen here (models/enums.py moves on)
OLD_KINDS = ("mention", "evidence_linked", "element_changed", "task_assigned")
NEW_KINDS = (*OLD_KINDS, "search_result", "import_linked")
OLD_RECORDS = ("official", "decision", "evidence", "support", "dossier", "task")
NEW_RECORDS = (*OLD_RECORDS, "saved_search", "import_run")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _checks(kinds: tuple[str, ...], records: tuple[str, ...]) -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_notification_kind_allowed"), type_="check")
        batch_op.drop_constraint(op.f("ck_notification_record_kind_allowed"), type_="check")
        batch_op.alter_column(
            "record_kind", type_=sa.String(length=max(len(r) for r in records)), existing_nullable=False
        )
        batch_op.create_check_constraint(op.f("ck_notification_kind_allowed"), _in("kind", kinds))
        batch_op.create_check_constraint(op.f("ck_notification_record_kind_allowed"), _in("record_kind", records))


def upgrade() -> None:
    _checks(NEW_KINDS, NEW_RECORDS)


def downgrade() -> None:
    op.execute(
        sa.text(
            f"DELETE FROM notification WHERE NOT ({_in('kind', OLD_KINDS)}) OR NOT ({_in('record_kind', OLD_RECORDS)})"  # noqa: S608  (fixed values)
        )
    )
    _checks(OLD_KINDS, OLD_RECORDS)
