"""Revision 0013 (dossier summaries know the official's State): each stored summary, at every
clearance, gets the State of its official, deleted officials included; the strongest-first
indexes sort by strength descending. The downgrade drops the column, gives back the rows as
they were and makes 0012's two strongest-first indexes again, still descending (on SQLite,
made inside the batch operation, they had lost their DESC)."""

from __future__ import annotations

from sqlalchemy import inspect, text

from tests.test_migrations.data import NOW, STAMPS, rows, without

ORDER = "official_id, clearance"


def _summary(official_id: int, clearance: str, strength: int, **elements: str) -> dict:
    return {
        "official_id": official_id,
        "clearance": clearance,
        "name": f"Official {official_id}",
        "status": "candidate",
        "strength": strength,
        **{e: elements.get(e, "gap") for e in ("e1", "e2", "e3", "e4", "e5", "e6")},
        "review": False,
        "complete": False,
        "gap_count": 6 - len(elements),
        "withheld_count": 0,
        "stale": official_id == 3,
        "computed_at": NOW,
    }


def _load(runner) -> None:
    runner.insert_into(
        "state",
        [
            {"id": 1, "code": "RU", "name": "Russian Federation", "role": "aggressor", **STAMPS},
            {"id": 2, "code": "BY", "name": "Belarus", "role": "co_aggressor_territory", **STAMPS},
            {"id": 3, "code": "KP", "name": "DPRK", "role": "participant_forces", **STAMPS},
        ],
    )
    runner.insert_into(
        "official",
        [
            {"id": 1, "name": "Official 1", "state_id": 2, **STAMPS},
            {"id": 2, "name": "Official 2", "state_id": 1, **STAMPS},
            {"id": 3, "name": "Official 3", "state_id": 3, "deleted_at": NOW, **STAMPS},
            {"id": 4, "name": "Official 4", "state_id": 1, **STAMPS},  # no summary yet
        ],
    )
    runner.insert_into(
        "dossier_summary",
        [
            _summary(1, "public", 10, e3="met"),
            _summary(1, "strictly_confidential", 70, e1="met", e2="partial", e3="met"),
            _summary(2, "public", 40, e1="met", e2="met"),
            _summary(3, "restricted", 0),
        ],
    )


def _index_sql(engine, name: str) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return conn.execute(text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": name}).scalar_one()
        return conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = :n"), {"n": name}).scalar_one()


def test_summaries_get_their_officials_state_and_give_it_back(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0012")
    _load(alembic_runner)
    summaries = rows(alembic_engine, "dossier_summary", order=ORDER)

    alembic_runner.migrate_up_to("0013")
    upgraded = rows(alembic_engine, "dossier_summary", order=ORDER)
    assert [(s["official_id"], s["clearance"], s["state_id"]) for s in upgraded] == [
        (1, "public", 2),
        (1, "strictly_confidential", 2),
        (2, "public", 1),
        (3, "restricted", 3),
    ]
    assert without(upgraded, "state_id") == summaries
    for name in ("ix_dossier_summary_by_strength", "ix_dossier_summary_by_status", "ix_dossier_summary_missing_e1"):
        assert "strength DESC" in _index_sql(alembic_engine, name), name

    alembic_runner.migrate_down_one()
    assert "state_id" not in {c["name"] for c in inspect(alembic_engine).get_columns("dossier_summary")}
    assert rows(alembic_engine, "dossier_summary", order=ORDER) == summaries
    for name in ("ix_dossier_summary_by_strength", "ix_dossier_summary_by_status"):
        assert "strength DESC" in _index_sql(alembic_engine, name), name
