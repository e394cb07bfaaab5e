"""Migrations: one head, head == models, every revision up and down, data survives upgrades.

The pattern of SecureDrop's tests/test_alembic.py, with pytest-alembic's built-in tests
imported explicitly (its automatic collection is switched off in pyproject.toml).
"""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_alembic.tests import (  # noqa: F401  (collected as tests of this module)
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from tests.test_migrations.data import rows

NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
STAMPS = {"created_at": NOW, "updated_at": NOW, "version": 1}


def test_head_schema_has_every_model_table(alembic_runner, alembic_engine):
    from models import Base

    alembic_runner.migrate_up_to("heads")
    tables = set(inspect(alembic_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_downgrade_to_base_removes_everything(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("heads")
    alembic_runner.migrate_down_to("base")
    assert set(inspect(alembic_engine).get_table_names()) <= {"alembic_version"}


def test_search_key_is_backfilled_for_existing_names(alembic_runner, alembic_engine):
    """Names written before revision 0002 get their search key during the upgrade; the
    downgrade drops the key and leaves the names as they were."""
    alembic_runner.migrate_up_to("0001")
    alembic_runner.insert_into(
        "state", {"id": 1, "code": "RU", "name": "Russian Federation", "role": "aggressor", **STAMPS}
    )
    alembic_runner.insert_into("official", {"id": 1, "name": "Sergei Shoigu", "state_id": 1, **STAMPS})
    alembic_runner.insert_into(
        "official_name",
        [
            {
                "id": 1,
                "official_id": 1,
                "name": "Шойгу Сергей Кужугетович",
                "script": "Cyrl",
                "kind": "alias",
                **STAMPS,
            },
            {"id": 2, "official_id": 1, "name": "Sergey SHOYGU", "script": "Latn", "kind": "alias", **STAMPS},
        ],
    )
    names = rows(alembic_engine, "official_name")
    alembic_runner.migrate_up_one()

    with alembic_engine.connect() as conn:
        keyed = conn.execute(text("SELECT id, name, search_key FROM official_name ORDER BY id")).all()
        official = conn.execute(text("SELECT name FROM official WHERE id = 1")).scalar_one()
    assert [(r.id, r.search_key) for r in keyed] == [(1, "shoygu sergey kuzhugetovich"), (2, "sergey shoygu")]
    assert keyed[0].name == "Шойгу Сергей Кужугетович"
    assert official == "Sergei Shoigu"
    alembic_runner.migrate_down_one()
    assert rows(alembic_engine, "official_name") == names


def test_search_key_is_required_after_upgrade(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("heads")
    alembic_runner.insert_into("state", {"id": 1, "code": "KP", "name": "DPRK", "role": "participant_forces", **STAMPS})
    alembic_runner.insert_into("official", {"id": 1, "name": "Kim Jong Un", "state_id": 1, **STAMPS})
    with pytest.raises(IntegrityError):
        alembic_runner.insert_into(
            "official_name", {"id": 1, "official_id": 1, "name": "김정은", "script": "Hang", "kind": "alias", **STAMPS}
        )


def test_triggers_survive_the_whole_chain(alembic_runner, alembic_engine):
    """After upgrading from an empty database, case records still cannot be deleted."""
    alembic_runner.migrate_up_to("heads")
    alembic_runner.insert_into(
        "state", {"id": 1, "code": "BY", "name": "Belarus", "role": "co_aggressor_territory", **STAMPS}
    )
    alembic_runner.insert_into("official", {"id": 1, "name": "Alexander Lukashenko", "state_id": 1, **STAMPS})
    with pytest.raises(IntegrityError), alembic_engine.begin() as conn:
        conn.execute(text("DELETE FROM official WHERE id = 1"))


def test_flask_db_check_reports_no_drift(app, session):
    """`flask db check` (Alembic's autogenerate comparison) finds nothing to migrate."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output


def _triggers(engine) -> set[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        else:
            rows = conn.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"))
        return {row[0] for row in rows}


def test_every_revision_keeps_the_protective_triggers(alembic_runner, alembic_engine):
    """Batch operations rebuild SQLite tables and drop their triggers: each revision, up and
    down, must leave every trigger in place."""
    from models.text_search import TRIGGERS as INDEX_TRIGGERS
    from models.triggers import trigger_names

    dialect = alembic_engine.dialect.name
    first = ("custody_event", "audit_event", "official", "decision", "evidence")
    # Which tables each revision protects (evidence files in 0005, dossier status changes in 0006, exports in
    # 0007, the modes of liability chosen to charge in 0028)
    protected = {
        "0005": (*first, "evidence_file"),
        "0006": (*first, "evidence_file", "dossier_status_change"),
        "0007": (*first, "evidence_file", "dossier_status_change", "export"),
        "0028": (*first, "evidence_file", "dossier_status_change", "export", "mode_choice", "charged_mode"),
    }

    def expected(revision: str) -> set[str]:
        tables = next((t for r, t in sorted(protected.items(), reverse=True) if revision >= r), first)
        # From 0039 on, triggers keep the full-text index of text pages (models/text_search.py)
        return trigger_names(dialect, tables) | (INDEX_TRIGGERS[dialect] if revision >= "0039" else set())

    revisions = [r for r in alembic_runner.history.revisions if r not in ("base", "heads")]
    assert trigger_names(dialect) | INDEX_TRIGGERS[dialect] == expected(revisions[-1]), (
        "the newest protects every table"
    )
    alembic_runner.migrate_up_to(revisions[0])
    assert _triggers(alembic_engine) == expected(revisions[0])
    for revision in revisions[1:]:
        alembic_runner.migrate_up_to(revision)
        assert _triggers(alembic_engine) == expected(revision), f"after upgrade to {revision}"
    for revision in reversed(revisions[:-1]):
        alembic_runner.migrate_down_to(revision)
        assert _triggers(alembic_engine) == expected(revision), f"after downgrade to {revision}"
