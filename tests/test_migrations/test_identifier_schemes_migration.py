"""Revision 0008 (imports): the CHECK on external_identifier.scheme widens to the EU's Belarus
and DPRK regulations, which on SQLite rebuilds the table by copying its rows. Identifiers of
every earlier scheme come through unchanged and the new schemes are taken. The downgrade
refuses (the old CHECK fails, the transaction is rolled back, nothing changes) while an
identifier uses a new scheme; without one it gives back the rows as they were."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.test_migrations.data import STAMPS, rows

OLD = {
    "eu_269_2014": "EU.1234.56",
    "eu_fsf": "139067",
    "ofac_sdn": "35096",
    "opensanctions": "Q7747",
    "un": "KPi.033",
    "uk": "RUS0001",
    "wikidata": "Q24055",
}


def _load(runner) -> None:
    runner.insert_into("state", {"id": 1, "code": "BY", "name": "Belarus", "role": "co_aggressor_territory", **STAMPS})
    runner.insert_into("official", [{"id": n, "name": f"Official {n}", "state_id": 1, **STAMPS} for n in (1, 2)])
    runner.insert_into(
        "external_identifier",
        [
            {"id": n, "official_id": 1 + n % 2, "scheme": scheme, "value": value, **STAMPS}
            for n, (scheme, value) in enumerate(OLD.items(), start=1)
        ],
    )


def test_identifiers_survive_and_the_new_schemes_hold_up_the_downgrade(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0007")
    _load(alembic_runner)
    identifiers = rows(alembic_engine, "external_identifier")
    assert len(identifiers) == len(OLD)

    alembic_runner.migrate_up_to("0008")
    assert rows(alembic_engine, "external_identifier") == identifiers
    belarus = {"id": 20, "official_id": 2, "scheme": "eu_765_2006", "value": "BY.1", **STAMPS}
    alembic_runner.insert_into("external_identifier", belarus)

    with pytest.raises(IntegrityError):
        alembic_runner.migrate_down_one()
    assert alembic_runner.current == "0008"
    assert [row["scheme"] for row in rows(alembic_engine, "external_identifier")][-1] == "eu_765_2006"

    with alembic_engine.begin() as conn:
        conn.execute(text("DELETE FROM external_identifier WHERE id = 20"))
    alembic_runner.migrate_down_one()
    assert rows(alembic_engine, "external_identifier") == identifiers
