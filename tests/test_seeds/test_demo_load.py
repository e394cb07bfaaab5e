"""What loading the demo data set writes, table by table: pinned, so that a change to the
files, the loader or what a load derives (audit trail, search index, summaries) shows here."""

from __future__ import annotations

from seeds.demo import load_demo
from seeds.loader import load_data

# Rows a load adds to each table of an empty database (derived tables included).
TABLE_ROWS = {
    "act_assessment": 14,
    "act_category": 7,
    "act_evidence_digest": 9,
    "act_state": 5,
    "aggression_act": 5,
    "audit_event": 584,
    "charged_mode": 2,
    "decision": 23,
    "decision_act": 26,
    "dossier": 8,
    "dossier_summary": 108,
    "evidence": 62,
    "exhibit_number": 1,
    "external_identifier": 40,
    "import_rule": 7,
    "institution": 25,
    "involvement": 57,
    "mode_choice": 1,
    "official": 27,
    "official_name": 81,
    "position": 32,
    "search_index": 430,
    "state": 4,
    "support": 159,
    "tenure": 30,
}


def test_a_load_writes_the_pinned_rows_per_table(demo_rows):
    """``demo_rows`` (tests/demo_rows.py) is what one load into the run's empty database wrote."""
    assert {table.name: len(rows) for table, rows in demo_rows} == TABLE_ROWS


def test_the_loader_reports_the_records_it_created(session):
    """``load_demo`` counts the rows it created itself (what ``flask demo load`` prints)."""
    counts = load_demo(session, load_data())
    assert counts == {name: TABLE_ROWS[name] for name in CREATED}
    assert list(counts) == CREATED  # in the order the kinds are loaded


CREATED = [
    "state",
    "institution",
    "position",
    "official",
    "official_name",
    "external_identifier",
    "tenure",
    "aggression_act",
    "act_assessment",
    "decision",
    "involvement",
    "evidence",
    "support",
    "dossier",
    "mode_choice",
    "import_rule",
]
