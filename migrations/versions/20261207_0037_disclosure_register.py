"""The disclosure register (issue 23 item 1): recipients, batches, items; the originator of an
exhibit; the custody event "disclosed".

Reviewed by hand:
- evidence gains originator (a third party that controls the sharing of what it submitted)
  and originator_consent_required (false for every existing exhibit). Plain ADD COLUMN on
  both engines: the table is not rebuilt, its triggers stay.
- custody_event's event types allow "disclosed". On SQLite the CHECK changes only by
  rebuilding the table (batch operation): the two partial unique indexes that keep a chain
  from forking are dropped first and made again after (so that their WHERE survives), and
  the append-only triggers, which a rebuild discards, are made again. Rows are copied as
  they are: their hashes do not change.
- disclosure_recipient, disclosure_recipient_official, disclosure_batch, disclosure_item,
  with the CHECKs of models/disclosure.py.
The downgrade drops the new tables and columns; it refuses (and changes nothing) while any
custody event "disclosed" exists, since custody rows are never removed.

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-08 01:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models import triggers

revision = "0037"
down_revision = "0036"
branch_labels = None
depends_on = None

CUSTODY_BEFORE = (
    "collected",
    "received",
    "transferred",
    "copied",
    "analysed",
    "viewed",
    "downloaded",
    "exported",
    "sealed",
)
CUSTODY_AFTER = (*CUSTODY_BEFORE, "disclosed")
CHAIN_INDEXES = (
    ("uq_custody_event_first_per_evidence", ["evidence_id"], "prev_hash IS NULL"),
    ("uq_custody_event_prev_hash", ["prev_hash"], "prev_hash IS NOT NULL"),
)


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _custody_types(values: tuple[str, ...]) -> None:
    for name, _columns, _where in CHAIN_INDEXES:
        op.drop_index(name, table_name="custody_event")
    with op.batch_alter_table("custody_event", schema=None, recreate="auto") as batch_op:
        batch_op.drop_constraint(op.f("ck_custody_event_event_type_allowed"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_custody_event_event_type_allowed"), f"event_type IN ({_quoted(values)})"
        )
    for name, columns, where in CHAIN_INDEXES:
        op.create_index(
            name, "custody_event", columns, unique=True, sqlite_where=sa.text(where), postgresql_where=sa.text(where)
        )
    for sql in triggers.recreate_statements(("custody_event",), op.get_bind().dialect.name):
        op.execute(sql)


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.add_column("evidence", sa.Column("originator", sa.String(length=300), nullable=True))
    op.add_column(
        "evidence",
        sa.Column("originator_consent_required", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    _custody_types(CUSTODY_AFTER)
    op.create_table(
        "disclosure_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=15), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        *_stamps(),
        sa.CheckConstraint(
            "kind IN ('defence', 'victims_counsel', 'authority')", name=op.f("ck_disclosure_recipient_kind_allowed")
        ),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_disclosure_recipient_name_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_recipient")),
        sa.UniqueConstraint("name", name=op.f("uq_disclosure_recipient_name")),
    )
    op.create_table(
        "disclosure_recipient_official",
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["disclosure_recipient.id"],
            name=op.f("fk_disclosure_recipient_official_recipient_id_disclosure_recipient"),
        ),
        sa.ForeignKeyConstraint(
            ["official_id"], ["official.id"], name=op.f("fk_disclosure_recipient_official_official_id_official")
        ),
        sa.PrimaryKeyConstraint("recipient_id", "official_id", name=op.f("pk_disclosure_recipient_official")),
    )
    op.create_index(
        op.f("ix_disclosure_recipient_official_official_id"),
        "disclosure_recipient_official",
        ["official_id"],
        unique=False,
    )
    op.create_table(
        "disclosure_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("batch_date", sa.Date(), nullable=False),
        sa.Column("basis", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=9), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("prepared_by_id", sa.Integer(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disclosed_by_id", sa.Integer(), nullable=True),
        sa.Column("disclosed_at", sa.DateTime(timezone=True), nullable=True),
        *_stamps(),
        sa.CheckConstraint(
            "status IN ('draft', 'approved', 'disclosed')", name=op.f("ck_disclosure_batch_status_allowed")
        ),
        sa.CheckConstraint("length(basis) > 0", name=op.f("ck_disclosure_batch_basis_not_empty")),
        sa.CheckConstraint(
            "approved_by_id IS NULL OR approved_by_id <> prepared_by_id",
            name=op.f("ck_disclosure_batch_approver_not_preparer"),
        ),
        sa.CheckConstraint(
            "(approved_by_id IS NULL) = (approved_at IS NULL)", name=op.f("ck_disclosure_batch_approved_by_iff_at")
        ),
        sa.CheckConstraint(
            "(status = 'draft') = (approved_at IS NULL)", name=op.f("ck_disclosure_batch_approved_unless_draft")
        ),
        sa.CheckConstraint(
            "(disclosed_by_id IS NULL) = (disclosed_at IS NULL)", name=op.f("ck_disclosure_batch_disclosed_by_iff_at")
        ),
        sa.CheckConstraint(
            "(status = 'disclosed') = (disclosed_at IS NOT NULL)",
            name=op.f("ck_disclosure_batch_disclosed_iff_status"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["disclosure_recipient.id"],
            name=op.f("fk_disclosure_batch_recipient_id_disclosure_recipient"),
        ),
        sa.ForeignKeyConstraint(
            ["prepared_by_id"], ["users.id"], name=op.f("fk_disclosure_batch_prepared_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_disclosure_batch_approved_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["disclosed_by_id"], ["users.id"], name=op.f("fk_disclosure_batch_disclosed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_batch")),
    )
    for column in ("recipient_id", "prepared_by_id", "approved_by_id", "disclosed_by_id"):
        op.create_index(op.f(f"ix_disclosure_batch_{column}"), "disclosure_batch", [column], unique=False)
    op.create_table(
        "disclosure_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("evidence_file_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=13), nullable=False),
        sa.Column("status", sa.String(length=9), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("withholding_reason", sa.String(length=20), nullable=True),
        sa.Column("withholding_note", sa.Text(), nullable=True),
        sa.Column("consent_required", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("consent_by", sa.String(length=300), nullable=True),
        sa.Column("consent_on", sa.Date(), nullable=True),
        sa.Column("consent_reference", sa.String(length=300), nullable=True),
        sa.Column("consent_recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("added_by_id", sa.Integer(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "category IN ('art_67_2', 'rule_77', 'rule_76', 'incriminating')",
            name=op.f("ck_disclosure_item_category_allowed"),
        ),
        sa.CheckConstraint(
            "status IN ('proposed', 'approved', 'disclosed', 'withheld')",
            name=op.f("ck_disclosure_item_status_allowed"),
        ),
        sa.CheckConstraint(
            "withholding_reason IS NULL OR withholding_reason IN ('r81_1_internal', 'r81_2_investigations', "
            "'r81_4_witnesses', 'r81_4_others', 'r81_4_confidential')",
            name=op.f("ck_disclosure_item_withholding_reason_allowed"),
        ),
        sa.CheckConstraint(
            "(status = 'withheld') = (withholding_reason IS NOT NULL)",
            name=op.f("ck_disclosure_item_reason_iff_withheld"),
        ),
        sa.CheckConstraint(
            "(consent_by IS NULL) = (consent_on IS NULL) AND (consent_by IS NULL) = (consent_reference IS NULL) "
            "AND (consent_by IS NULL) = (consent_recorded_by_id IS NULL)",
            name=op.f("ck_disclosure_item_consent_whole"),
        ),
        sa.CheckConstraint(
            "status <> 'disclosed' OR NOT consent_required OR consent_by IS NOT NULL",
            name=op.f("ck_disclosure_item_consent_before_disclosure"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["disclosure_batch.id"], name=op.f("fk_disclosure_item_batch_id_disclosure_batch")
        ),
        sa.ForeignKeyConstraint(["evidence_id"], ["evidence.id"], name=op.f("fk_disclosure_item_evidence_id_evidence")),
        sa.ForeignKeyConstraint(
            ["evidence_file_id"], ["evidence_file.id"], name=op.f("fk_disclosure_item_evidence_file_id_evidence_file")
        ),
        sa.ForeignKeyConstraint(
            ["consent_recorded_by_id"], ["users.id"], name=op.f("fk_disclosure_item_consent_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(["added_by_id"], ["users.id"], name=op.f("fk_disclosure_item_added_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_item")),
        sa.UniqueConstraint("batch_id", "evidence_file_id", name=op.f("uq_disclosure_item_batch_id_evidence_file_id")),
    )
    for column in ("batch_id", "evidence_id", "evidence_file_id", "consent_recorded_by_id", "added_by_id"):
        op.create_index(op.f(f"ix_disclosure_item_{column}"), "disclosure_item", [column], unique=False)


def downgrade() -> None:
    conn = op.get_bind()
    disclosed = conn.scalar(sa.text("SELECT count(*) FROM custody_event WHERE event_type = 'disclosed'"))
    if disclosed:
        raise RuntimeError(
            f"{disclosed} custody events record disclosures; custody rows are never removed, so revision 0036 "
            "cannot hold them: the downgrade changes nothing"
        )
    for column in ("batch_id", "evidence_id", "evidence_file_id", "consent_recorded_by_id", "added_by_id"):
        op.drop_index(op.f(f"ix_disclosure_item_{column}"), table_name="disclosure_item")
    op.drop_table("disclosure_item")
    for column in ("recipient_id", "prepared_by_id", "approved_by_id", "disclosed_by_id"):
        op.drop_index(op.f(f"ix_disclosure_batch_{column}"), table_name="disclosure_batch")
    op.drop_table("disclosure_batch")
    op.drop_index(op.f("ix_disclosure_recipient_official_official_id"), table_name="disclosure_recipient_official")
    op.drop_table("disclosure_recipient_official")
    op.drop_table("disclosure_recipient")
    _custody_types(CUSTODY_BEFORE)
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_column("originator_consent_required")
        batch_op.drop_column("originator")
    for sql in triggers.recreate_statements(("evidence",), conn.dialect.name):
        op.execute(sql)
