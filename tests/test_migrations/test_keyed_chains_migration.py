"""Revision 0025 (keyed chains): intact custody chains are re-keyed with the chain key and
still verify; a chain broken before the upgrade stays broken (the upgrade does not launder
it); the existing audit events become a keyed trail that verifies; the downgrade puts the
plain hashes back."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from services.audit import chain as audit_chain
from services.common import chain_keys as chains
from services.evidence import custody
from tests.test_migrations.conftest import MIGRATIONS_CHAIN_KEY

NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
STAMPS = {"created_at": NOW, "updated_at": NOW, "version": 1}
CUSTODY_FIELDS = custody.HASHED_FIELDS


def plain(payload: dict) -> str:
    """The hash of revisions before 0025: SHA-256 of the canonical JSON."""
    return hashlib.sha256(chains.canonical({name: payload[name] for name in CUSTODY_FIELDS})).hexdigest()


def plain_chain(evidence_id: int, first_id: int, purposes: list[str]) -> list[dict]:
    events, previous = [], None
    for n, purpose in enumerate(purposes):
        event = {
            "id": first_id + n,
            "evidence_id": evidence_id,
            "event_type": "received" if n == 0 else "transferred",
            "actor_id": None,
            "actor_name": "Registry",
            "occurred_at": NOW + dt.timedelta(minutes=n),
            "from_party": None,
            "to_party": "OPG" if n else None,
            "location": "Kyiv",
            "purpose": purpose,
            "evidence_file_id": None,
            "verified_sha256": None,
            "prev_hash": previous,
        }
        event["event_hash"] = previous = plain(event)
        events.append(event)
    return events


def load_data(runner) -> None:
    exhibit = {"kind": "document", "source": "Test", "classification": "public", "reliability": "B"}
    runner.insert_into(
        "evidence",
        [
            {"id": 1, "exhibit_no": "P-0001", "title": "Intact", "credibility": "2", **exhibit, **STAMPS},
            {"id": 2, "exhibit_no": "P-0002", "title": "Tampered", "credibility": "2", **exhibit, **STAMPS},
        ],
    )
    intact = plain_chain(1, 1, ["intake", "to the OPG", "back"])
    tampered = plain_chain(2, 10, ["intake", "to the OPG"])
    tampered[1]["purpose"] = "rewritten by hand, hash left as it was"
    runner.insert_into("custody_event", intact + tampered)
    runner.insert_into(
        "custody_head",
        [
            {"evidence_id": 1, "event_count": 3, "head_hash": intact[-1]["event_hash"]},
            {"evidence_id": 2, "event_count": 2, "head_hash": tampered[-1]["event_hash"]},
        ],
    )
    runner.insert_into(
        "audit_event",
        [
            {
                "id": n,
                "occurred_at": NOW + dt.timedelta(seconds=n),
                "actor_name": "cli",
                "action": "create",
                "entity_type": "evidence",
                "entity_id": n,
                "after": {"exhibit_no": f"P-000{n}", "names": ["Шойгу", 1.5]},
            }
            for n in (1, 2, 3)
        ],
    )


def verdicts(engine) -> tuple[list, list, chains.ChainVerdict]:
    from models import CustodyEvent, CustodyHead

    with Session(engine) as session:

        def chain(evidence_id: int) -> list:
            events = list(
                session.scalars(
                    select(CustodyEvent).where(CustodyEvent.evidence_id == evidence_id).order_by(CustodyEvent.id)
                )
            )
            return custody.verify_chain(events, session.get(CustodyHead, evidence_id), MIGRATIONS_CHAIN_KEY)

        return chain(1), chain(2), audit_chain.verify(session, MIGRATIONS_CHAIN_KEY)


def test_upgrade_rekeys_intact_chains_and_chains_the_audit_trail(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0024")
    load_data(alembic_runner)
    alembic_runner.migrate_up_one()

    intact, tampered, trail = verdicts(alembic_engine)
    assert intact == []
    assert [p.kind for p in tampered] == ["altered_event", "altered_event"]  # still broken, not laundered
    assert trail.events == 3 and trail.problems == []
    with alembic_engine.connect() as conn:
        head = conn.execute(text("SELECT event_count, head_hash FROM audit_head WHERE id = 1")).one()
        last = conn.execute(text("SELECT event_hash FROM audit_event WHERE id = 3")).scalar_one()
        hashes = conn.execute(text("SELECT event_hash FROM custody_event WHERE evidence_id = 1 ORDER BY id")).scalars()
        old = [e["event_hash"] for e in plain_chain(1, 1, ["intake", "to the OPG", "back"])]
    assert (head.event_count, head.head_hash) == (3, last)
    assert not set(hashes) & set(old)  # every hash is now keyed

    alembic_runner.migrate_down_one()
    with alembic_engine.connect() as conn:
        query = text("SELECT event_hash FROM custody_event WHERE evidence_id = 1 ORDER BY id")
        restored = list(conn.execute(query).scalars())
        columns = set(conn.execute(text("SELECT * FROM audit_event LIMIT 0")).keys())
    assert restored == old
    assert "event_hash" not in columns
    alembic_runner.migrate_up_one()
    assert verdicts(alembic_engine)[0] == []


def test_an_empty_database_needs_no_key(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0024")
    alembic_runner.command_executor.alembic_config.attributes.pop("chain_key")
    alembic_runner.migrate_up_one()
    with alembic_engine.connect() as conn:
        assert conn.execute(text("SELECT event_count, head_hash FROM audit_head")).one() == (0, None)
