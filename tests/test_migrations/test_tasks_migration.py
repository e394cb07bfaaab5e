"""Revision 0031 (tasks from a dossier's gaps): a task names a known element, record kind and
action; "won't do" needs a reason and nothing else keeps one; a closed task has a closing
time and an open one none; only a done task may have closed by itself; one task still to do
per gap and clearance (a partial unique index, on both engines); the downgrade removes it all."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
STAMPS = {"created_at": NOW, "updated_at": NOW, "version": 1}


def _task(task_id: int, **kw):
    return {
        "id": task_id,
        "official_id": 1,
        "element": "E2",
        "target_kind": "tenure",
        "target_id": 7,
        "action": "evidence",
        "clearance": "public",
        "gap_texts": '{"en": "Tenure has no supporting evidence"}',
        "assignee_id": 1,
        "due_date": dt.date(2026, 12, 24),
        "status": "open",
        "reason": None,
        "closed_by_gap": False,
        "closed_at": None,
        "created_by_id": 1,
        **STAMPS,
        **kw,
    }


def test_tasks_keep_their_rules_and_the_downgrade_removes_them(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0030")
    alembic_runner.insert_into(
        "state", {"id": 1, "code": "RU", "name": "Russian Federation", "role": "aggressor", **STAMPS}
    )
    alembic_runner.insert_into("official", {"id": 1, "name": "Official", "state_id": 1, **STAMPS})
    alembic_runner.insert_into(
        "users",
        {"id": 1, "email": "a@tribunal.test", "role": "analyst", "clearance": "public", "active": True, **STAMPS},
    )
    alembic_runner.migrate_up_to("0031")
    alembic_runner.insert_into("task", _task(1))
    alembic_runner.insert_into("task", _task(2, status="wont_do", reason="No record exists", closed_at=NOW))
    alembic_runner.insert_into("task", _task(3, status="done", closed_by_gap=True, closed_at=NOW))
    alembic_runner.insert_into("task", _task(4, clearance="confidential"))  # the same gap, seen at another clearance
    for bad in (
        _task(10, element="E7", target_id=8),
        _task(11, target_kind="person", target_id=8),
        _task(12, action="pray", target_id=8),
        _task(13, status="wont_do", closed_at=NOW, target_id=8),  # no reason
        _task(14, reason="why not", target_id=8),  # a reason without "won't do"
        _task(15, status="done", target_id=8),  # closed, with no closing time
        _task(16, closed_at=NOW, target_id=8),  # open, with a closing time
        _task(17, closed_by_gap=True, target_id=8),  # closed by the gap, yet open
        _task(18),  # a second task still to do for the same gap and clearance
        _task(19, status="in_progress"),
    ):
        with pytest.raises(IntegrityError):
            alembic_runner.insert_into("task", bad)
    alembic_runner.insert_into("task", _task(20, status="done", closed_at=NOW))  # closed ones may repeat
    alembic_runner.migrate_down_one()
    assert "task" not in set(inspect(alembic_engine).get_table_names())
