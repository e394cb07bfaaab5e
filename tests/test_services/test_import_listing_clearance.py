"""An import finds a row's sanctions-listing exhibit by the row's identity in its source
(ImportRecord), never by its title, and never changes or reports an exhibit the importer may
not see: one reclassified above their clearance since it was imported, or one that merely
bears the title an imported listing would have."""

from __future__ import annotations

import io
from typing import Any

from sqlalchemy import select

from models import ImportRecord, Official
from services.imports.runs import run_import
from tests.test_services.test_import_identity import eu_file, person

ROW = person("7", "I", "Ivan Ivanovich PETROV", alias="Иван Иванович ПЕТРОВ", reason="Member of the State Duma.")
AMENDED = {**ROW, "reason": "Member of the State Duma who voted for resolution 58243-8."}


def _import(session, data: bytes, user: Any, **kw: Any):
    report = run_import(session, "eu-csv", io.BytesIO(data), user=user, file_name="list.csv", **kw)
    assert report.status in ("applied", "dry_run"), report.message
    return report


def test_a_listing_reclassified_above_the_importer_is_neither_changed_nor_reported(session, make_user):
    analyst = make_user("analyst", "public")
    _import(session, eu_file(ROW, celex="32014R0269", program="EU-UKR"), None)
    [record] = session.scalars(select(ImportRecord))
    hidden = record.listing
    hidden.classification = "confidential"  # reclassified since, by someone cleared for it
    summary, title = hidden.summary, hidden.title
    session.commit()

    report = _import(session, eu_file(AMENDED, celex="32014R0269", program="EU-UKR"), analyst)

    session.refresh(hidden)
    assert (hidden.summary, hidden.title, hidden.classification) == (summary, title, "confidential")
    [row] = report.rows
    assert "listing text" not in row.reason  # would say the hidden exhibit's text changed
    assert row.reason == "sanctions listing exhibit", row.reason  # as if there were none
    session.refresh(record)
    assert record.listing.classification == "public" and record.listing.id != hidden.id
    assert "58243-8" in record.listing.summary


def test_an_exhibit_bearing_a_listings_title_is_never_taken_for_it(session, make_user, make):
    """An exhibit the importer may not see that bears the title the row's listing would have
    (the only way listings of imports before ImportRecord are found) is neither updated nor linked."""
    analyst = make_user("analyst", "public")
    data = eu_file(ROW, celex="32014R0269", program="EU-UKR")
    title = "Sanctions listing eu_269_2014 7: Ivan Ivanovich PETROV"
    secret = make.evidence(title=title, kind="sanctions_listing", summary="Kept apart.", classification="confidential")
    session.commit()

    _import(session, data, analyst)

    session.refresh(secret)
    assert secret.summary == "Kept apart."
    [record] = session.scalars(select(ImportRecord))
    assert record.listing.id != secret.id and record.listing.title == title
    [official] = session.scalars(select(Official))
    assert record.official_id == official.id


def _duma(first: int, count: int, reason: str) -> bytes:
    rows = [person(str(n), "I", f"Deputy Number{n} TESTOV", reason=reason) for n in range(first, first + count)]
    return eu_file(*rows, celex="32014R0269", program="EU-UKR")


def test_reapplying_changed_rows_costs_no_query_per_row(session, count_queries):
    """Every row of a re-import with amended reasons updates its listing: the listings are read
    with their records, not one by one (the SELECTs do not grow with the rows)."""
    selects = {}
    for first, count in ((100, 3), (200, 12)):
        _import(session, _duma(first, count, "Member of the State Duma."), None)
        session.commit()
        with count_queries() as counter:
            report = _import(session, _duma(first, count, "Member of the State Duma, voted for 58243-8."), None)
        assert report.counts["updated"] == count, report.rows
        selects[count] = sum(1 for s in counter.statements if s.lstrip().upper().startswith("SELECT"))
        session.commit()
    assert selects[12] == selects[3], selects
