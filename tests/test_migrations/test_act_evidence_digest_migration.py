"""Revision 0011 (act evidence digests): for each act, stance and classification, the count of
live exhibits bearing on it and a sample of at most twelve support ids, the best graded first
(reliability, then credibility, then the oldest link); links of deleted exhibits, links to other
kinds of fact and acts without links give no row. The downgrade drops the digests and leaves
the links as they were."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect

from tests.test_migrations.data import NOW, STAMPS, exhibit, rows

# Exhibits 1-14 on act 1, supporting, public, graded so that the order is not the ids' order
GRADES = {
    1: ("C", "3"),
    2: ("A", "2"),
    3: ("B", "1"),
    4: ("A", "1"),
    5: ("F", "6"),
    6: ("B", "1"),
    7: ("C", "1"),
    8: ("B", "4"),
    9: ("D", "2"),
    10: ("A", "2"),
    11: ("E", "5"),
    12: ("B", "2"),
    13: ("C", "2"),
    14: ("A", "6"),
}


def _load(runner) -> None:
    runner.insert_into("state", {"id": 1, "code": "RU", "name": "Russian Federation", "role": "aggressor", **STAMPS})
    runner.insert_into("institution", {"id": 1, "state_id": 1, "name": "Council", "kind": "security_council", **STAMPS})
    decision = {"id": 1, "title": "Recognition", "kind": "political", "institution_id": 1, "date_precision": "day"}
    runner.insert_into("decision", {**decision, "date": dt.date(2022, 2, 21), **STAMPS})
    runner.insert_into(
        "aggression_act",
        [
            {"id": n, "title": title, "start_date": dt.date(2022, 2, 24), "start_date_precision": "day", **STAMPS}
            for n, title in ((1, "Invasion"), (2, "Belarusian territory"), (3, "No evidence yet"))
        ],
    )
    runner.insert_into(
        "evidence",
        [exhibit(n, reliability=r, credibility=c) for n, (r, c) in GRADES.items()]
        + [
            exhibit(15, classification="restricted", reliability="D"),
            exhibit(16, classification="restricted", reliability="A", deleted_at=NOW),
            exhibit(17, classification="confidential", reliability="C"),
            exhibit(18, classification="confidential", reliability="C", credibility="1"),
            exhibit(19, deleted_at=NOW),
        ],
    )
    # Support ids differ from exhibit ids (100 + exhibit), so that a sample of exhibits would show
    links = [(n, 1, "supports") for n in GRADES] + [
        (15, 1, "contradicts"),
        (16, 1, "contradicts"),  # a deleted exhibit: not counted
        (17, 2, "supports"),
        (18, 2, "supports"),
        (19, 2, "supports"),  # deleted
    ]
    runner.insert_into(
        "support",
        [
            {"id": 100 + e, "evidence_id": e, "act_id": act, "stance": stance, "pinpoint": None, **STAMPS}
            for e, act, stance in links
        ]
        + [{"id": 200, "evidence_id": 2, "decision_id": 1, "stance": "contradicts", **STAMPS}],  # not an act
    )


def test_digests_count_live_links_and_sample_the_best_graded(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0010")
    _load(alembic_runner)
    supports = rows(alembic_engine, "support")

    alembic_runner.migrate_up_to("0011")
    digests = rows(alembic_engine, "act_evidence_digest", order="act_id, stance, classification")
    # A1 (#4), A2 (#2, #10: the older link first), A6 (#14), B1 (#3, #6), B2 (#12), B4 (#8), C1 (#7),
    # C2 (#13), C3 (#1), D2 (#9): twelve; E5 (#11) and F6 (#5) are counted but not sampled
    best = [4, 2, 10, 14, 3, 6, 12, 8, 7, 13, 1, 9]
    assert [tuple(d.values()) for d in digests] == [
        (1, "contradicts", "restricted", 1, "115"),
        (1, "supports", "public", 14, " ".join(str(100 + e) for e in best)),
        (2, "supports", "confidential", 2, "118 117"),
    ]
    assert rows(alembic_engine, "support") == supports

    alembic_runner.migrate_down_one()
    assert "act_evidence_digest" not in inspect(alembic_engine).get_table_names()
    assert rows(alembic_engine, "support") == supports


def test_an_empty_database_gets_no_digests(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0011")
    assert rows(alembic_engine, "act_evidence_digest", order="act_id") == []
