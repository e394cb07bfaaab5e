"""Jobs beyond text extraction (issue 22, items 7 and 8): a bulk intake and a case-file export
run as jobs, each with the requester's clearance (the job is shown only to those cleared as
far), what it is asked to do (``params``) and what it did, item by item (``report``).

Reviewed by hand: the kind column widened for the new kinds; its CHECK rebuilt. No data moves
(existing jobs keep no clearance: their exhibit decides who sees them, as before).

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-08 01:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0038"
down_revision = "0037"
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('extract_text')"
NEW_KINDS = "kind IN ('extract_text', 'bulk_intake', 'export_case_file')"
CLEARANCE = "clearance IS NULL OR clearance IN ('public', 'restricted', 'confidential', 'strictly_confidential')"


def upgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_job_kind_allowed"), type_="check")
        batch_op.alter_column("kind", existing_type=sa.String(length=12), type_=sa.String(length=16))
        batch_op.create_check_constraint(op.f("ck_job_kind_allowed"), NEW_KINDS)
        batch_op.add_column(sa.Column("clearance", sa.String(length=21), nullable=True))
        batch_op.add_column(sa.Column("params", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("report", sa.JSON(), nullable=True))
        batch_op.create_check_constraint(op.f("ck_job_clearance_allowed"), CLEARANCE)


def downgrade() -> None:
    if op.get_bind().execute(sa.text("SELECT count(*) FROM job WHERE kind <> 'extract_text'")).scalar():
        raise RuntimeError("bulk intake or export jobs are recorded: remove them before downgrading")
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_job_clearance_allowed"), type_="check")
        batch_op.drop_column("report")
        batch_op.drop_column("params")
        batch_op.drop_column("clearance")
        batch_op.drop_constraint(op.f("ck_job_kind_allowed"), type_="check")
        batch_op.alter_column("kind", existing_type=sa.String(length=16), type_=sa.String(length=12))
        batch_op.create_check_constraint(op.f("ck_job_kind_allowed"), OLD_KINDS)
