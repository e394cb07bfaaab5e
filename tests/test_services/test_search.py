"""The search service: folding across scripts, ranking, clearance, soft delete, the index
kept in step with the records, and the index objects and query plans on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, literal_column, select, text

from models import OfficialName
from models.search_index import INDEX_NAMES, PG_GIN_INDEXES, search_index
from services.common import hooks, records
from services.search import engine as search
from tests.conftest import gin_options

PUBLIC = ("public",)
EVERYTHING = ("public", "restricted", "confidential", "strictly_confidential")


@pytest.fixture(autouse=True)
def index_kept_in_step():
    """create_app installs the listener; tests that build records without a request need it too."""
    hooks.install()


def found(session, query, kind="official", visible=EVERYTHING):
    group = next(g for g in search.search(session, query, visible=visible).groups if g.kind == kind)
    return [hit.record.id for hit in group.hits]


def hits(session, query, kind="official", visible=EVERYTHING):
    group = next(g for g in search.search(session, query, visible=visible).groups if g.kind == kind)
    return group.hits


def official(make, name, native=None, aliases=(), **kw):
    record = make.official(name=name, native_name=native, **kw)
    for alias in aliases:
        record.names.append(OfficialName(name=alias, script="Latn" if alias.isascii() else "Cyrl"))
    make.session.flush()
    return record


# --- folding ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Шойгу", "shoygu"),
        ("Лукашэнка", "lukashenka"),
        ("김정은", "gimjeongeun"),
        ("Kim Jong-un", "kim jong un"),
        ("  ÉMILE  Zola ", "emile zola"),
        ("Зеленський", "zelenskiy"),
        ("O'Brien", "obrien"),
    ],
)
def test_fold_writes_every_script_as_lower_case_ascii_words(written, folded):
    assert search.fold(written) == folded


def test_spellings_that_sound_alike_share_keys():
    assert search.sound_keys("shoygu") == search.sound_keys("shoigu")
    assert search.sound_keys("lukashenka") == search.sound_keys("lukashenko")
    assert search.sound_keys("sergey") == search.sound_keys("sergei")
    assert search.sound_keys("0001") == ()


# --- the issue's cross-script examples ----------------------------------------------------


def test_cyrillic_and_latin_find_the_same_official(session, make):
    shoigu = official(make, "Sergei Shoigu", "Сергей Кужугетович Шойгу")
    assert found(session, "Шойгу") == [shoigu.id]
    assert found(session, "Shoigu") == [shoigu.id]
    assert found(session, "shoygu") == [shoigu.id]


def test_a_latin_query_finds_a_name_written_only_in_cyrillic(session, make):
    only_cyrillic = official(make, "Defence Minister (2012-2024)", "Шойгу")
    assert found(session, "Shoigu") == [only_cyrillic.id]
    (hit,) = hits(session, "Shoigu")
    assert (hit.field, hit.matched) == ("native_name", "Шойгу")


def test_kim_jong_un_spellings_and_hangul(session, make):
    kim = official(make, "Chairman of the State Affairs Commission", "김정은", aliases=["Kim Jong Un"])
    other = official(make, "Kim Yong Bok", "김영복", aliases=["Kim Yong-bok"])

    assert found(session, "Kim Jong-un") == [kim.id]
    (hit,) = hits(session, "Kim Jong-un")
    assert (hit.field, hit.matched) == ("alias", "Kim Jong Un")
    assert hit.record.native_name == "김정은"
    assert found(session, "kim jong un") == [kim.id]
    assert found(session, "KimJongUn") == [kim.id]
    assert found(session, "김정은") == [kim.id]
    assert other.id not in found(session, "Kim Jong-un")


def test_lukashenko_finds_russian_and_belarusian_spellings(session, make):
    russian = official(make, "Person A", "Александр Григорьевич Лукашенко")
    belarusian = official(make, "Person B", aliases=["Аляксандр Рыгоравіч Лукашэнка"])
    latin = official(make, "Alexander Lukashenko")

    assert set(found(session, "Lukashenko")) == {russian.id, belarusian.id, latin.id}
    matched = {hit.record.id: hit.matched for hit in hits(session, "Lukashenko")}
    assert matched[russian.id] == "Александр Григорьевич Лукашенко"
    assert matched[belarusian.id] == "Аляксандр Рыгоравіч Лукашэнка"
    # and the other way round
    assert set(found(session, "Лукашэнка")) == {russian.id, belarusian.id, latin.id}


def test_the_demo_data_answers_the_issue_examples(session, demo):
    shoigu = found(session, "Шойгу")
    assert shoigu and shoigu == found(session, "Shoigu")[:1]
    kim = hits(session, "Kim Jong-un")[0]
    assert kim.record.name == "Kim Jong Un" and kim.record.native_name == "김정은"
    assert found(session, "김정은") == [kim.record.id]
    lukashenko = hits(session, "Lukashenko")[0].record
    assert lukashenko.native_name == "Александр Григорьевич Лукашенко"
    names = {n.name for n in lukashenko.names}
    assert "Аляксандр Рыгоравіч Лукашэнка" in names
    assert found(session, "Лукашэнка")[:1] == [lukashenko.id]


# --- other kinds of record ----------------------------------------------------------------


def test_institutions_decisions_and_evidence_are_found_by_their_texts(session, make):
    ministry = make.institution(name="Ministry of Defence", native_name="Министерство обороны")
    decision = make.decision(
        institution=ministry, title="Order on the exercise", instrument="Order No. 58243-8", summary="Zapad drills"
    )
    exhibit = make.evidence(exhibit_no="P-0421", title="Satellite image", summary="Columns near Gomel")

    assert found(session, "Министерство обороны", "institution") == [ministry.id]
    assert found(session, "ministerstvo", "institution") == [ministry.id]
    assert found(session, "58243-8", "decision") == [decision.id]
    assert found(session, "zapad", "decision") == [decision.id]
    assert found(session, "P-0421", "evidence") == [exhibit.id]
    assert found(session, "p0421", "evidence") == [exhibit.id]
    assert found(session, "Гомель", "evidence") == [exhibit.id]


# --- ranking --------------------------------------------------------------------------------


def test_exact_match_comes_first(session, make):
    inside = official(make, "Ivan Petrovsky")
    word = official(make, "Ivan Petrov")
    exact = official(make, "Petrov")
    start = official(make, "Petrovich Ivan")
    assert found(session, "Petrov") == [exact.id, word.id, start.id, inside.id]
    assert [h.rank for h in hits(session, "Petrov")] == [0, 1, 2, 3]


def test_a_record_is_listed_once_under_its_best_match(session, make):
    shoigu = official(make, "Sergei Shoigu", "Сергей Шойгу", aliases=["Sergey Shoygu", "Shoigu"])
    (hit,) = hits(session, "Shoigu")
    assert hit.record.id == shoigu.id
    assert (hit.field, hit.matched, hit.rank) == ("alias", "Shoigu", 0)


# --- clearance and soft delete ------------------------------------------------------------


def test_evidence_above_clearance_is_neither_listed_nor_counted(session, make):
    public = make.evidence(title="Zapad exercise report", classification="public")
    make.evidence(title="Zapad secret annex", classification="confidential")
    make.evidence(title="Other", summary="Zapad strictly", classification="strictly_confidential")

    results = search.search(session, "Zapad", visible=PUBLIC)
    evidence = next(g for g in results.groups if g.kind == "evidence")
    assert [h.record.id for h in evidence.hits] == [public.id]
    assert evidence.total == 1 and results.total == 1
    assert results.limited  # said, never counted: a count of hidden matches spells out their titles
    assert all("secret" not in h.matched and "strictly" not in h.matched for h in evidence.hits)

    cleared = search.search(session, "Zapad", visible=EVERYTHING)
    assert not cleared.limited and cleared.total == 3


def test_hidden_evidence_costs_no_query(session, make, count_queries):
    make.evidence(title="Zapad exercise report", classification="public")
    make.evidence(title="Zapad secret annex", classification="strictly_confidential")
    with count_queries() as restricted:
        assert search.search(session, "Zapad", visible=PUBLIC).limited
    with count_queries() as cleared:
        results = search.search(session, "Zapad", visible=EVERYTHING)
    assert not results.limited and results.total == 2
    assert cleared.count == restricted.count


def test_soft_deleted_records_are_not_found_until_restored(session, make):
    person = official(make, "Valery Gerasimov", aliases=["Валерий Герасимов"])
    decision = make.decision(title="Gerasimov directive")
    exhibit = make.evidence(title="Gerasimov interview")
    for record in (person, decision, exhibit):
        records.soft_delete(session, record, "entered by mistake")
    results = search.search(session, "Герасимов", visible=EVERYTHING)
    assert results.total == 0

    records.restore(session, person)
    assert found(session, "Герасимов") == [person.id]


# --- the index follows the records -------------------------------------------------------


def test_the_index_follows_edits_of_names_and_aliases(session, make):
    person = official(make, "Nikolai Patrushev", aliases=["Николай Патрушев"])
    person.name = "Nikolay Platonovich Patrushev"
    session.flush()
    assert found(session, "Platonovich") == [person.id]

    alias = person.names[0]
    person.names.remove(alias)
    session.flush()
    assert found(session, "Патрушев") == [person.id]  # still the primary name
    assert all(h.field != "alias" for h in hits(session, "Патрушев"))

    ministry = make.institution(name="Old name")
    ministry.name = "Security Council"
    session.flush()
    assert found(session, "Old name", "institution") == []
    assert found(session, "security council", "institution") == [ministry.id]


def test_rebuild_gives_the_same_index_as_the_listener(session, make):
    official(make, "Sergei Shoigu", "Сергей Шойгу", aliases=["Sergey Shoygu"])
    make.decision(title="Order", instrument="Decree No. 71", summary="Text")
    make.evidence(title="Exhibit", summary="Summary")
    columns = [c for c in search_index.c if c.name != "record_id"] + [search_index.c.record_id]

    def snapshot():
        return sorted(tuple(str(v) for v in row) for row in session.execute(select(*columns)))

    before = snapshot()
    assert before
    search.rebuild(session)
    assert snapshot() == before


# --- queries that cannot be searched ------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "ab", "-- !!", "\t"])
def test_empty_or_too_short_queries_are_refused(session, query):
    with pytest.raises(search.QueryError):
        search.search(session, query, visible=PUBLIC)


def test_over_long_query_is_refused(session):
    with pytest.raises(search.QueryError, match="too long"):
        search.parse_query("x" * 201)
    assert search.parse_query("x" * 200).compact == "x" * 200


def test_search_syntax_in_a_query_is_only_text(session, make):
    """FTS5 operators, quotes and LIKE wildcards are folded away: no error, no wildcard."""
    person = official(make, "Sergei Shoigu")
    for query in ['"Shoigu" OR *', "Shoigu%", "sho_gu", "NEAR(shoigu)", "shoigu' --", "compact : shoigu"]:
        search.search(session, query, visible=PUBLIC)
    assert found(session, '"Shoigu"') == [person.id]
    assert found(session, "sho_gu") == []  # "sho gu": the underscore is no wildcard


# --- the index is an index ---------------------------------------------------------------


def test_index_objects_exist(session):
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'search_index'")).scalar_one()
        assert "fts5" in sql.lower() and "trigram" in sql
    else:
        assert conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).scalar() == 1
        indexes = dict(
            conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_index'")).all()
        )
        assert INDEX_NAMES["postgresql"] <= set(indexes)
        assert "gin_trgm_ops" in indexes["ix_search_index_compact_official"]
        assert "kind)::text = 'official'" in indexes["ix_search_index_compact_official"]
        assert "to_tsvector" in indexes["ix_search_index_sounds_official"]
        assert gin_options(conn) == {name: ["fastupdate=off"] for name in PG_GIN_INDEXES}
        statistics = "SELECT stxname FROM pg_statistic_ext WHERE stxrelid = 'search_index'::regclass"
        assert conn.execute(text(statistics)).scalars().all() == ["search_index_sounds"]


def _plan(session, statement):
    conn = session.connection()
    # The values are the test's own constants: inlined so EXPLAIN needs no parameters.
    sql = str(statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(str(row[-1]) for row in rows)
    # Whether PostgreSQL prefers an index depends on statistics; with sequential scans priced
    # out it still falls back to one when no index can answer the condition, so a plan
    # naming the index proves the index serves this query.
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    try:
        rows = conn.exec_driver_sql("EXPLAIN " + sql)
        return "\n".join(row[0] for row in rows)
    finally:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = on")


def _fill_index_with_other_names(session, count=5000):
    """Enough rows, with fresh statistics, for PostgreSQL's planner to prefer an index; most
    of them names of officials, so that the kind alone does not narrow the search and the
    kind's trigram index is what can."""
    rows = []
    for i in range(count):
        folded = f"person {i:05d} {'abcdefghij'[i % 10]}{i * 7919 % 100000:05d}"
        sounds = f"#prsn# #{'abcdefghij'[i % 10]}#"
        rows.append(
            {
                "kind": ("official", "institution", "decision", "evidence")[i % 4] if i % 10 == 0 else "official",
                "record_id": -i,
                "field": "name",
                "label": folded,
                "folded": folded,
                "compact": folded.replace(" ", ""),
                "sounds": sounds,
            }
        )
    session.execute(insert(search_index), rows)
    if session.connection().dialect.name == "postgresql":
        session.execute(text("ANALYZE search_index"))


def test_queries_use_the_index(session, make):
    official(make, "Sergei Shoigu", "Сергей Шойгу")
    _fill_index_with_other_names(session)
    query = search.parse_query("Shoigu")
    dialect = session.connection().dialect.name
    lookup = _plan(
        session,
        select(search_index.c.record_id).where(
            search.match_clause(dialect, "official", query), search_index.c.kind == literal_column("'official'")
        ),
    )
    full = _plan(session, search.candidates_query(dialect, "official", query, PUBLIC))
    if dialect == "sqlite":
        # FTS5 answers MATCH from its trigram index ("VIRTUAL TABLE INDEX n:M..."), never a full scan
        for plan in (lookup, full):
            assert "SCAN search_index VIRTUAL TABLE INDEX" in plan and ":M" in plan, plan
    else:
        # the substring through pg_trgm, the sounds through full text, or'ed as bitmaps
        assert "Bitmap Index Scan on ix_search_index_compact_official" in lookup, lookup
        assert "Bitmap Index Scan on ix_search_index_sounds_official" in lookup, lookup
        assert "Seq Scan on search_index" not in full, full


def test_sqlite_rowids_name_the_kind_and_the_record(session, make):
    """Replacing a record's rows and searching one kind are rowid ranges on SQLite."""
    if session.connection().dialect.name != "sqlite":
        pytest.skip("SQLite's FTS5 rowids")
    person = official(make, "Sergei Shoigu", "Сергей Шойгу")
    decision = make.decision(title="Shoigu order")
    rows = session.execute(text("SELECT rowid, kind, record_id FROM search_index")).all()
    for rowid, kind, record_id in rows:
        first, last = search.record_rowids(kind, record_id)
        assert first <= rowid <= last
        low, high = search.kind_rowids(kind)
        assert low <= rowid <= high
    assert {(k, r) for _rowid, k, r in rows} >= {("official", person.id), ("decision", decision.id)}
    person.name = "Sergey Shoygu"
    session.flush()
    labels = session.scalars(
        text("SELECT label FROM search_index WHERE kind = 'official' AND record_id = :id"), {"id": person.id}
    ).all()
    assert "Sergei Shoigu" not in labels and "Sergey Shoygu" in labels


def test_query_count_does_not_grow_with_matches(session, make, count_queries):
    state = make.state()
    official(make, "Shoigu 0", state=state)
    make.decision(title="Shoigu order 0")
    make.evidence(title="Shoigu exhibit 0")
    with count_queries() as few:
        search.search(session, "Shoigu", visible=PUBLIC)
    for i in range(1, 30):
        person = official(make, f"Shoigu {i}", state=make.state() if i % 3 else state)
        make.decision(title=f"Shoigu order {i}")
        make.evidence(title=f"Shoigu exhibit {i}", classification="confidential" if i % 2 else "public")
        person.names.append(OfficialName(name=f"Шойгу {i}", script="Cyrl"))
    session.flush()
    with count_queries() as many:
        results = search.search(session, "Shoigu", visible=PUBLIC)
    assert results.total > 50 and len(results.groups[0].hits) == search.SHOWN_PER_KIND
    assert many.count == few.count <= 9


def test_create_all_builds_the_same_index(session):
    """models/search_index.install attaches the DDL to a MetaData, for create_all users."""
    from sqlalchemy import MetaData, create_engine, inspect

    from models import search_index as ddl

    metadata = MetaData()
    ddl.install(metadata)
    if session.connection().dialect.name == "sqlite":
        engine = create_engine("sqlite://")
        with engine.begin() as conn:
            metadata.create_all(conn)
            assert "search_index" in inspect(conn).get_table_names()
            conn.execute(insert(search_index), [{"kind": "official", "record_id": 1, "compact": "shoigu"}])
            assert conn.execute(text("SELECT record_id FROM search_index WHERE search_index MATCH 'hoig'")).all()
            metadata.drop_all(conn)
            assert not [t for t in inspect(conn).get_table_names() if ddl.is_index_table(t)]
        engine.dispose()
        return
    conn = session.connection()
    conn.exec_driver_sql("CREATE SCHEMA search_ddl_check")
    conn.exec_driver_sql("SET LOCAL search_path = search_ddl_check, public")
    try:
        metadata.create_all(conn)
        names = set(
            conn.execute(text("SELECT indexname FROM pg_indexes WHERE schemaname = 'search_ddl_check'")).scalars()
        )
        assert ddl.INDEX_NAMES["postgresql"] <= names
        metadata.drop_all(conn)
        assert not conn.execute(text("SELECT 1 FROM pg_tables WHERE schemaname = 'search_ddl_check'")).all()
    finally:
        conn.exec_driver_sql("SET LOCAL search_path = public")
