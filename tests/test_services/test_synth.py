"""The synthetic data set (seeds/synth): deterministic, as large as asked, valid for the
database and the app (constraints, search, dossiers, fixity), and all or nothing."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import func, select, text

from extensions import db
from models import (
    AuditEvent,
    CustodyEvent,
    Decision,
    Evidence,
    EvidenceFile,
    Institution,
    Involvement,
    Official,
    OfficialName,
    Support,
    Tenure,
)
from models.search_index import PG_GIN_INDEXES, search_index
from seeds.synth import SynthError, SynthSpec, build
from seeds.synth import rows as synth_rows
from services.evidence.files import sniff_media_type
from services.evidence.fixity import run_fixity
from services.evidence.store import EvidenceStore
from services.search import engine as search
from tests.conftest import gin_options

SMALL = SynthSpec(officials=60, decisions=150, evidence=400, seed=7)
EVERYTHING = ("public", "restricted", "confidential", "strictly_confidential")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
HANGUL = re.compile(r"[\uAC00-\uD7AF]")
# Every table the build writes, in an order that makes digests comparable
SYNTH_TABLES = (
    "state",
    "institution",
    "position",
    "official",
    "official_name",
    "external_identifier",
    "tenure",
    "aggression_act",
    "act_category",
    "act_state",
    "decision",
    "decision_act",
    "involvement",
    "evidence",
    "evidence_file",
    "custody_event",
    "custody_head",
    "support",
    "dossier",
)


def count(session, model, *where):
    return session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def store(evidence_dir):
    return EvidenceStore(evidence_dir)


@pytest.fixture
def built(session, store):
    counts = build(session, SMALL, store)
    return counts


def digest(session, store) -> str:
    """One hash over every row of every table the build writes, the search index and the files."""
    hasher = hashlib.sha256()
    for name in SYNTH_TABLES:
        table = db.metadata.tables[name]
        order = list(table.primary_key.columns) or list(table.columns)
        for row in session.execute(select(table).order_by(*order)):
            hasher.update(repr(tuple(row)).encode())
    index = session.execute(
        select(search_index).order_by(
            search_index.c.kind, search_index.c.record_id, search_index.c.field, search_index.c.label
        )
    )
    for row in index:
        hasher.update(repr(tuple(row)).encode())
    for sha256 in session.scalars(select(EvidenceFile.sha256).order_by(EvidenceFile.id)):
        hasher.update(store.path_for(sha256).read_bytes())
    return hasher.hexdigest()


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(session, store):
    first = session.begin_nested()
    build(session, SMALL, store)
    original = digest(session, store)
    first.rollback()
    again = session.begin_nested()
    build(session, SMALL, store)
    assert digest(session, store) == original
    again.rollback()
    other = session.begin_nested()
    build(session, SynthSpec(60, 150, 400, seed=8), store)
    assert digest(session, store) != original
    other.rollback()


def test_counts_are_as_asked(session, built):
    assert count(session, Official) == 60 == built["official"]
    assert count(session, Decision) == 150
    assert count(session, Evidence) == 400
    assert count(session, Support) == 3 * 400 == built["support"]
    assert 1.5 * 150 <= count(session, Involvement) <= 2.5 * 150
    assert 60 <= count(session, Tenure) <= 3 * 60
    assert count(session, EvidenceFile) == 4  # one exhibit in a hundred
    assert count(session, CustodyEvent) == 4
    assert session.scalar(select(func.count()).select_from(db.metadata.tables["dossier"])) == 3


def test_an_explicit_number_of_supports_is_honoured(session, store):
    counts = build(session, SynthSpec(20, 40, 50, seed=1, supports=120), store)
    assert counts["support"] == count(session, Support) == 120


def test_every_row_satisfies_the_schema(session, built):
    # The database enforced every CHECK and foreign key while the rows went in; these are
    # the rules it cannot state.
    if session.get_bind().dialect.name == "sqlite":
        assert session.execute(text("PRAGMA foreign_key_check")).all() == []
    duplicates = (
        select(Support.evidence_id, Support.tenure_id, Support.involvement_id, Support.decision_id, Support.act_id)
        .add_columns(Support.stance)
        .group_by(
            Support.evidence_id,
            Support.tenure_id,
            Support.involvement_id,
            Support.decision_id,
            Support.act_id,
            Support.stance,
        )
        .having(func.count() > 1)
    )
    assert session.execute(duplicates).all() == []
    exhibits = session.scalars(select(Evidence.exhibit_no)).all()
    assert all(no.startswith("S-") for no in exhibits) and len(set(exhibits)) == len(exhibits)
    kinds = set(session.scalars(select(Evidence.kind).distinct()))
    classifications = set(session.scalars(select(Evidence.classification).distinct()))
    assert len(kinds) >= 9 and classifications == set(EVERYTHING)
    assert {d.kind for d in session.scalars(select(Decision))} == {"political", "diplomatic", "military"}
    assert count(session, Tenure, Tenure.end_date.is_(None)) > 0
    assert count(session, Tenure, Tenure.start_date_precision != "day") > 0
    assert count(session, Official, Official.birth_date_precision.in_(("year", "month"))) > 0


def test_names_come_in_three_scripts(session, built):
    officials = session.scalars(select(Official)).all()
    states = {o.state.code for o in officials}
    assert states == {"RU", "BY", "KP"}
    for official in officials:
        pattern = HANGUL if official.state.code == "KP" else CYRILLIC
        assert pattern.search(official.native_name), official.name
        assert official.name.isascii()
    scripts = set(session.scalars(select(OfficialName.script).distinct()))
    assert {"Latn", "Cyrl"} <= scripts
    assert {o.native_script for o in officials} == {"Cyrl", "Hang"}


def test_about_one_exhibit_in_a_hundred_has_a_file_and_fixity_passes(session, built, store):
    files = session.scalars(select(EvidenceFile)).all()
    assert len(files) == 4
    for file in files:
        path = store.path_for(file.sha256)
        assert path.stat().st_size == file.size and 512 <= file.size <= 4096
        assert sniff_media_type(path) == file.media_type
    run = run_fixity(session, store, run_by="test")
    assert run.problem_count == 0, run.problems
    assert run.files_checked == 4 and run.chains_checked == 4


def test_some_supports_contradict(session, built):
    contradicting = count(session, Support, Support.stance == "contradicts")
    assert 0.04 * 1200 <= contradicting <= 0.2 * 1200


def test_search_finds_officials_by_their_cyrillic_and_hangul_names(session, built):
    for native_script in ("Cyrl", "Hang"):
        official = session.scalars(
            select(Official).where(Official.native_script == native_script).order_by(Official.id)
        ).first()
        group = next(g for g in search.search(session, official.native_name, visible=EVERYTHING).groups)
        assert group.kind == "official"
        assert official.id in [hit.record.id for hit in group.hits], official.native_name


def test_the_bulk_search_index_is_what_the_app_would_write(session, built):
    conn = session.connection()
    columns = ("kind", "record_id", "field", "label", "folded", "compact", "sounds")
    for kind, model in (
        ("official", Official),
        ("institution", Institution),
        ("decision", Decision),
        ("evidence", Evidence),
    ):
        ids = list(session.scalars(select(model.id).order_by(model.id)))
        expected = sorted(tuple(entry[c] for c in columns) for entry in search.entries(conn, kind, ids))
        stored = session.execute(select(*(search_index.c[c] for c in columns)).where(search_index.c.kind == kind))
        assert sorted(tuple(row) for row in stored) == expected, kind
    assert count(session, search_index) > 0


def test_the_search_indexes_are_made_again_after_the_bulk_load(session, built):
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's GIN indexes (SQLite's FTS5 index is kept by FTS5 itself)")
    # dropped before the rows went in, made again from the whole table: the same definitions
    assert gin_options(conn) == {name: ["fastupdate=off"] for name in PG_GIN_INDEXES}
    valid = conn.execute(text("SELECT bool_and(indisvalid) FROM pg_index WHERE indrelid = 'search_index'::regclass"))
    assert valid.scalar() is True


def test_the_dossier_page_and_the_search_page_show_a_synthetic_official(client, login, session, built):
    login("viewer", "strictly_confidential")
    official_id = session.scalar(
        select(Involvement.official_id).group_by(Involvement.official_id).order_by(func.count().desc()).limit(1)
    )
    official = session.get(Official, official_id)
    page = client.get(f"/dossiers/{official_id}")
    assert page.status_code == 200
    assert official.name in page.get_data(as_text=True)
    found = client.get("/search", query_string={"q": official.native_name})
    assert found.status_code == 200 and official.name in found.get_data(as_text=True)


def test_later_inserts_get_new_ids(session, built, make):
    # On PostgreSQL the sequences were moved past the ids the build assigned.
    assert make.official().id > 60
    assert make.evidence().id > 400


def test_one_audit_event_records_the_run(session, built):
    session.commit()  # the trail takes a transaction's events when it commits
    events = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "synth_run")).all()
    assert len(events) == 1
    assert events[0].after["seed"] == 7 and events[0].after["counts"]["support"] == 1200
    assert count(session, AuditEvent) == 1  # bulk rows bypass the per-row trail


def test_a_database_with_officials_is_refused(session, store, make):
    make.official()
    with pytest.raises(SynthError, match="already holds official"):
        build(session, SMALL, store)
    assert count(session, Evidence) == 0


@pytest.mark.parametrize(
    "spec, message",
    [
        (SynthSpec(-1, 0, 0), "--officials"),
        (SynthSpec(0, 0, 0), "nothing to build"),
        (SynthSpec(0, 5, 0), "decisions need officials"),
        (SynthSpec(10, 0, 10), "supports link evidence"),
        (SynthSpec(10, 10, 10, supports=61), "at most 6"),
        (SynthSpec(10, 10, 10, seed=-1), "--seed"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_written(session, store, spec, message):
    with pytest.raises(SynthError, match=message):
        build(session, spec, store)
    assert count(session, Official) == 0


def test_a_failed_build_removes_the_files_it_wrote(session, store, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("interrupted")

    monkeypatch.setattr("seeds.synth.write_dossiers", fail)
    attempt = session.begin_nested()
    with pytest.raises(RuntimeError):
        build(session, SMALL, store)
    attempt.rollback()
    assert count(session, Official) == 0
    assert not any(path.is_file() for path in store.root.rglob("*")) if store.root.exists() else True


def test_supports_bear_on_facts_of_the_same_decisions(session, built):
    # An exhibit's supports point at one decision's facts (its involvements, tenure and acts).
    support = session.scalars(select(Support).where(Support.involvement_id.is_not(None)).limit(1)).first()
    assert support.involvement.decision is not None
    assert synth_rows.SUPPORT_COLUMNS[0] == "id"


def cli_registered(app) -> bool:
    group = app.cli.commands.get("demo")
    return group is not None and "synth" in getattr(group, "commands", {})


def test_the_command_refuses_bad_arguments_with_a_clear_message(app, runner):
    if not cli_registered(app):
        pytest.skip("`demo synth` is not registered in commands/demo.py yet")
    negative = runner.invoke(args=["demo", "synth", "--officials", "-1", "--decisions", "0", "--evidence", "0"])
    assert negative.exit_code == 2 and "--officials" in negative.output
    combination = runner.invoke(args=["demo", "synth", "--officials", "0", "--decisions", "5", "--evidence", "0"])
    assert combination.exit_code == 1 and "decisions need officials" in combination.output


def test_the_command_builds_a_set(app, runner, session):
    if not cli_registered(app):
        pytest.skip("`demo synth` is not registered in commands/demo.py yet")
    args = ["demo", "synth", "--officials", "20", "--decisions", "30", "--evidence", "100", "--seed", "3"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Synthetic data set built" in result.output
    assert count(session, Evidence) == 100


@pytest.mark.parametrize(
    "spec", [SynthSpec(10, 0, 0), SynthSpec(0, 0, 50, supports=0), SynthSpec(1, 1, 1, supports=6)], ids=str
)
def test_edge_sizes_build(session, store, spec):
    counts = build(session, spec, store)
    assert counts.get("official", 0) == spec.officials and counts.get("evidence", 0) == spec.evidence
    assert counts.get("support", 0) <= spec.support_count


def test_text_pages_are_written_indexed_and_found(session, store):
    """``--text-pages``: documents of synthetic text in the five languages, their derivatives
    stored under their hashes, every page searchable (bench/fulltext.py builds on it)."""
    from models import TextExtraction, TextPage
    from seeds.synth import text as synth_text
    from services.search.fulltext import search_text

    counts = build(session, SynthSpec(20, 40, 300, seed=3, text_pages=400), store)
    assert counts["text_page"] == count(session, TextPage) == 400
    extractions = session.scalars(select(TextExtraction)).all()
    assert sum(x.page_count for x in extractions) == 400
    for extraction in extractions[:5]:
        assert extraction.text_file.parent_id == extraction.source_file_id
        assert store.path_for(extraction.text_file.sha256).stat().st_size == extraction.text_file.size
    languages = set(session.scalars(select(TextPage.language).distinct()))
    assert {"ru", "ko", "en"} <= languages <= {"ru", "uk", "be", "ko", "en"}
    everything = ("public", "restricted", "confidential", "strictly_confidential")
    for language in ("ru", "ko", "en"):
        word = synth_text.vocabulary(language)[0]  # the most frequent
        assert search_text(session, word, visible=everything).total > 0
    conn = session.connection()
    if conn.dialect.name == "postgresql":  # its GIN index made again after the bulk load
        valid = conn.execute(
            text("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_text_page_search_tsv'::regclass")
        )
        assert valid.scalar() is True
    # later inserts get new ids
    assert count(session, TextPage, TextPage.id > 400) == 0
