"""Revisions 0033 (comments and notifications) and 0034 (watches): the tables keep their rules
(a comment's record kind and text, a notification's kind, a watch's one target, one watch per
user and target), and the downgrades leave no table behind and the rest untouched."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
STAMPS = {"created_at": NOW, "updated_at": NOW, "version": 1}


def _base(runner):
    runner.insert_into("state", {"id": 1, "code": "RU", "name": "Russian Federation", "role": "aggressor", **STAMPS})
    runner.insert_into("official", {"id": 1, "name": "Official", "state_id": 1, **STAMPS})
    runner.insert_into(
        "users",
        {"id": 1, "email": "a@tribunal.test", "role": "analyst", "clearance": "public", "active": True, **STAMPS},
    )


def test_comments_notifications_and_watches_keep_their_rules_and_go_back_cleanly(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0032")
    _base(alembic_runner)
    alembic_runner.migrate_up_to("0034")
    comment = {"record_kind": "official", "record_id": 1, "author_id": 1, "body": "Remark", **STAMPS}
    alembic_runner.insert_into("comment", {"id": 1, **comment})
    alembic_runner.insert_into(
        "notification",
        {
            "id": 1,
            "user_id": 1,
            "kind": "mention",
            "record_kind": "official",
            "record_id": 1,
            "comment_id": 1,
            "created_at": NOW,
        },
    )
    alembic_runner.insert_into("watch", {"id": 1, "user_id": 1, "kind": "dossier", "official_id": 1, "created_at": NOW})
    for table, bad in (
        ("comment", {"id": 2, **comment, "record_kind": "act"}),  # not a commented record
        ("comment", {"id": 3, **comment, "body": ""}),
        (
            "notification",
            {"id": 2, "user_id": 1, "kind": "gossip", "record_kind": "official", "record_id": 1, "created_at": NOW},
        ),
        ("watch", {"id": 2, "user_id": 1, "kind": "dossier", "official_id": 1, "created_at": NOW}),  # twice
        ("watch", {"id": 3, "user_id": 1, "kind": "saved_search", "official_id": 1, "created_at": NOW}),  # no search
    ):
        with pytest.raises(IntegrityError):
            alembic_runner.insert_into(table, bad)
    alembic_runner.migrate_down_to("0032")
    tables = set(inspect(alembic_engine).get_table_names())
    assert not {"comment", "comment_revision", "notification", "watch"} & tables
    with alembic_engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM official")).scalars().all() == ["Official"]
