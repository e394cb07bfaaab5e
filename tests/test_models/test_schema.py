"""Properties of the schema as a whole, read from the live database the migrations built."""

from __future__ import annotations

import re

from sqlalchemy import inspect

from extensions import db
from models import Base


def test_every_foreign_key_column_is_indexed(app, session):
    inspector = inspect(session.connection())
    missing = []
    for table in inspector.get_table_names():
        if table == "alembic_version":
            continue
        indexed = {tuple(ix["column_names"])[:1] for ix in inspector.get_indexes(table)}
        pk = inspector.get_pk_constraint(table)["constrained_columns"]
        for fk in inspector.get_foreign_keys(table):
            column = tuple(fk["constrained_columns"])[:1]
            if column not in indexed and list(column) != pk[:1]:
                missing.append(f"{table}.{column[0]}")
    assert missing == []


def test_constraint_names_follow_the_convention():
    for table in Base.metadata.tables.values():
        for constraint in table.constraints:
            assert constraint.name, f"unnamed constraint on {table.name}"
            prefix = {"CheckConstraint": "ck_", "UniqueConstraint": "uq_", "ForeignKeyConstraint": "fk_"}.get(
                type(constraint).__name__, "pk_"
            )
            assert str(constraint.name).startswith(f"{prefix}{table.name}"), constraint.name


def test_every_string_enumeration_has_a_check(app):
    """Each column listed in models.enums usage carries a CHECK naming it."""
    expected = {
        "state": ["role"],
        "institution": ["kind"],
        "position": ["tier", "troika"],
        "official": ["native_script", "gender", "birth_date_precision"],
        "official_name": ["script", "kind"],
        "external_identifier": ["scheme"],
        "tenure": ["start_date_precision", "end_date_precision"],
        "aggression_act": ["start_date_precision", "end_date_precision"],
        "act_category": ["category"],
        "decision": ["kind", "stage", "date_precision"],
        "involvement": ["role", "status"],
        "evidence": ["kind", "classification", "reliability", "credibility"],
        "support": ["stance"],
        "custody_event": ["event_type"],
        "dossier": ["status"],
        "users": ["role", "clearance"],
        "audit_event": ["action"],
    }
    with app.app_context():
        inspector = inspect(db.engine)
        for table, columns in expected.items():
            checks = " ".join(c["sqltext"] for c in inspector.get_check_constraints(table))
            for column in columns:
                # SQLite keeps the text as written; PostgreSQL rewrites IN (...) as = ANY (ARRAY[...])
                assert re.search(rf"\b{column}(::text)? (IN|= ANY) ", checks), f"{table}.{column} has no CHECK"


def test_sqlite_connections_enforce_foreign_keys(app, session):
    if session.bind.dialect.name != "sqlite":
        return
    assert session.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
