"""Supports added at the same moment to the facts of one official, through the production
server (gunicorn, several workers): every request succeeds, and the dossier summaries stored
for the official are those a full recompute gives (issue 18.1: on PostgreSQL two of ten
answered 500, a unique-key violation in the summary rewrite)."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from models import DossierSummary, Evidence, Involvement, Support, Tenure
from services.dossiers import summaries as dossier_summaries
from tests.live_server import Instance, own_database

WRITERS = 16
SUMMARY = DossierSummary.__table__


@pytest.fixture
def server(tmp_path):
    with own_database(tmp_path, "summaries") as url:
        instance = Instance(tmp_path, workers=4, threads=4, database_url=url)
        token = instance.prepare(users=1)[0]  # an analyst cleared for public material
        instance.start()
        try:
            yield instance, token, create_engine(url)
        finally:
            instance.stop()


def _facts_of_the_busiest_official(session: Session) -> tuple[int, list[tuple[str, int]], list[int]]:
    """The official with the most tenures and involvements, those facts, and public exhibits
    linked to none of them."""
    counts = select(Involvement.official_id, func.count().label("n")).group_by(Involvement.official_id).subquery()
    official_id = session.scalar(select(counts.c.official_id).order_by(counts.c.n.desc(), counts.c.official_id))
    tenures = session.scalars(select(Tenure.id).where(Tenure.official_id == official_id))
    involvements = session.scalars(select(Involvement.id).where(Involvement.official_id == official_id))
    facts = [("tenure", i) for i in tenures] + [("involvement", i) for i in involvements]
    linked = select(Support.evidence_id).where(
        Support.tenure_id.in_([i for kind, i in facts if kind == "tenure"])
        | Support.involvement_id.in_([i for kind, i in facts if kind == "involvement"])
    )
    exhibits = session.scalars(
        select(Evidence.id)
        .where(Evidence.classification == "public", Evidence.deleted_at.is_(None), Evidence.id.not_in(linked))
        .order_by(Evidence.id)
    ).all()
    return official_id, facts, list(exhibits)


def _summaries(session: Session, official_id: int) -> list[dict]:
    rows = session.execute(select(SUMMARY).where(SUMMARY.c.official_id == official_id).order_by(SUMMARY.c.clearance))
    return [{k: v for k, v in row._mapping.items() if k != "computed_at"} for row in rows]


def _post(base: str, token: str, body: dict, start: threading.Barrier) -> int:
    request = urllib.request.Request(  # noqa: S310  (loopback http)
        f"{base}/api/v1/supports",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    start.wait()
    try:
        return int(urllib.request.urlopen(request, timeout=120).status)  # noqa: S310  (loopback)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_parallel_supports_on_one_official_all_succeed_and_summaries_match_a_recompute(server):
    instance, token, engine = server
    with Session(engine) as session:
        official_id, facts, exhibits = _facts_of_the_busiest_official(session)
        before = session.scalar(select(func.count()).select_from(Support))
    assert len(facts) >= 2 and len(exhibits) >= WRITERS
    bodies = [
        {"evidence_id": exhibits[n], "target_type": facts[n % len(facts)][0], "target_id": facts[n % len(facts)][1]}
        | {"stance": "contradicts" if n % 3 == 0 else "supports"}
        for n in range(WRITERS)
    ]
    start = threading.Barrier(WRITERS)
    codes: list[int] = [0] * WRITERS

    def write(n: int) -> None:
        codes[n] = _post(instance.base, token, bodies[n], start)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes == [201] * WRITERS, codes
    assert " 500 " not in instance.log.read_text()
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Support)) == before + WRITERS
        stored = _summaries(session, official_id)
        dossier_summaries.refresh(session, [official_id])  # a full recompute, rolled back
        session.flush()
        assert stored == _summaries(session, official_id)
        session.rollback()
    engine.dispose()
