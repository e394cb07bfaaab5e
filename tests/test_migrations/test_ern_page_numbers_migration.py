"""Revision 0043 (evidence registration numbers): existing disclosure items are copied unchanged
through the rebuild and have no stamped copy; a range is whole, in order and its first number
unique; the counter has one row; the downgrade gives the items back as they were."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from tests.test_migrations.data import STAMPS, exhibit, rows, without

FILE = {
    "id": 1,
    "evidence_id": 1,
    "sha256": "a" * 64,
    "size": 10,
    "media_type": "application/pdf",
    "original_name": "x.pdf",
    "created_at": STAMPS["created_at"],
}
COPY = {**FILE, "id": 2, "sha256": "b" * 64, "parent_id": 1, "derivation": "other", "derivation_note": "stamped"}


def _item(item_id: int, **kw):
    return {
        "id": item_id,
        "batch_id": item_id,  # a batch each: a file is in a batch once
        "evidence_id": 1,
        "evidence_file_id": 1,
        "category": "rule_77",
        "status": "proposed",
        "consent_required": False,
        "added_by_id": 1,
        **STAMPS,
        **kw,
    }


def test_items_survive_and_take_their_ranges(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0042")
    alembic_runner.insert_into(
        "users",
        {"id": 1, "email": "a@tribunal.test", "role": "analyst", "clearance": "public", "active": True, **STAMPS},
    )
    alembic_runner.insert_into("evidence", exhibit(1))
    alembic_runner.insert_into("evidence_file", [FILE, COPY])
    alembic_runner.insert_into("disclosure_recipient", {"id": 1, "kind": "authority", "name": "Eurojust", **STAMPS})
    alembic_runner.insert_into(
        "disclosure_batch",
        [
            {"id": n, "recipient_id": 1, "batch_date": dt.date(2026, 12, 1), "basis": "Rule 77", "status": "draft"}
            | {"prepared_by_id": 1, **STAMPS}
            for n in range(1, 8)
        ],
    )
    alembic_runner.insert_into("disclosure_item", [_item(1), _item(2, conditions="Counsel only")])
    before = rows(alembic_engine, "disclosure_item")
    alembic_runner.migrate_up_to("0043")
    after = rows(alembic_engine, "disclosure_item")
    assert without(after, "ern_first", "ern_last", "stamped_file_id") == before
    assert {(r["ern_first"], r["ern_last"], r["stamped_file_id"]) for r in after} == {(None, None, None)}
    alembic_runner.insert_into("ern_counter", {"id": 1, "last_number": 0})
    with pytest.raises(IntegrityError):
        alembic_runner.insert_into("ern_counter", {"id": 2, "last_number": 0})
    alembic_runner.insert_into("disclosure_item", _item(3, ern_first=1, ern_last=3, stamped_file_id=2))
    for bad in (
        _item(4, ern_first=1, ern_last=1, stamped_file_id=2),  # number 1 again
        _item(5, ern_first=9, ern_last=8, stamped_file_id=2),  # backwards
        _item(6, ern_first=10, ern_last=11),  # no stamped copy
        _item(7, ern_first=0, ern_last=0, stamped_file_id=2),
    ):
        with pytest.raises(IntegrityError):
            alembic_runner.insert_into("disclosure_item", bad)
    alembic_runner.migrate_down_one()
    assert "ern_counter" not in inspect(alembic_engine).get_table_names()
    assert without(rows(alembic_engine, "disclosure_item"), "id")[:2] == without(before, "id")
