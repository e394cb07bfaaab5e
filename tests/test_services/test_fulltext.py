"""Full-text search inside exhibits (issue 22, item 3): pages found by their words in Latin,
Cyrillic and Hangul, with stems and Korean particles; snippets escaped with <mark>; ranked,
paged and filtered; hostile query syntax as text; clearance before every count, order and
snippet. On SQLite (FTS5) and PostgreSQL (tsvector), the same expectations."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import text

from models import TextPage
from models.enums import CLASSIFICATIONS
from services.search import fulltext
from services.search.fulltext import Filters, FulltextQueryError, search_text
from tests.conftest import engine_name
from tests.fulltext_pages import reextract, with_pages

EVERYTHING = CLASSIFICATIONS
PUBLIC = CLASSIFICATIONS[:1]

# Filler per language, so that the words searched for stand among others of their script.
FILLER = {
    "ru": ["война", "армия", "город", "район", "приказ", "штаб", "граница", "власть", "сила", "люди", "день", "год"],
    "uk": ["війна", "армія", "місто", "район", "наказ", "штаб", "кордон", "влада", "сила", "люди", "день", "рік"],
    "be": ["вайна", "армія", "горад", "раён", "загад", "штаб", "мяжа", "ўлада", "сіла", "людзі", "дзень", "год"],
    "ko": ["전쟁", "군대", "도시", "지역", "명령", "본부", "국경", "권력", "사람", "날", "해"],
    "en": ["war", "army", "city", "district", "order", "staff", "border", "power", "force", "people", "day", "year"],
}


def generated(language: str, *words: str, seed: int = 0, length: int = 40) -> str:
    """A page of filler in ``language`` with ``words`` among it."""
    rng = random.Random(f"{language}-{seed}")  # noqa: S311  (test data)
    tokens = [rng.choice(FILLER[language]) for _ in range(length)]
    for word in words:
        tokens.insert(rng.randrange(len(tokens) + 1), word)
    return " ".join(tokens) + "."


def found(session, query, visible=EVERYTHING, **kw):
    results = search_text(session, query, visible=visible, **kw)
    return [(hit.evidence.exhibit_no, hit.page_no) for hit in results.hits]


# --- words in every script -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "written", "query"),
    [
        ("ru", "указом", "указ"),  # Russian: stem
        ("ru", "наступлении", "наступление"),
        ("ru", "вооружённых", "вооруженные"),  # ё and е, and the stem
        ("uk", "підписав", "підписав"),  # Ukrainian letters
        ("uk", "наступу", "наступ"),
        ("uk", "їхньої", "ЇХНЬОЇ"),  # case folding of ї
        ("be", "падпісаў", "падпісаў"),  # Belarusian ў
        ("be", "абароны", "абарона"),
        ("ko", "김정은이", "김정은"),  # Korean particle written onto the name
        ("ko", "국방부의", "국방부"),
        ("ko", "서명했다", "서명했다"),
        ("en", "signing", "signed"),  # English stemming
        ("en", "Minister", "minister"),
    ],
)
def test_a_word_is_found_in_each_language(session, make, language, written, query):
    exhibit = make.evidence(exhibit_no="FT-1")
    with_pages(session, exhibit, generated(language, seed=1), generated(language, written, seed=2))
    other = make.evidence(exhibit_no="FT-2")
    with_pages(session, other, generated(language, seed=3))
    assert found(session, query) == [("FT-1", 2)]


def test_the_tribunal_languages_lines_are_each_found_by_their_own_words(session, make):
    from tests.text_files import LINES

    for n, (language, line) in enumerate(LINES.items()):
        with_pages(session, make.evidence(exhibit_no=f"L-{language}"), generated(language, seed=n), line)
    assert found(session, "министром") == [("L-ru", 2)]
    assert sorted(found(session, "наступлении")) == [("L-be", 2), ("L-ru", 2)]  # Belarusian наступленні shares the stem
    assert found(session, "підписав") == [("L-uk", 2)]
    assert found(session, "абароны") == [("L-be", 2)]
    assert found(session, "장관") == [("L-ko", 2)]  # 장관이
    assert found(session, "attack signed") == [("L-en", 2)]


def test_every_word_must_be_on_the_page(session, make):
    exhibit = make.evidence(exhibit_no="FT-1")
    with_pages(session, exhibit, "Decree on mobilisation", "Decree on recognition", "mobilisation recognition decree")
    assert found(session, "decree mobilisation") == [("FT-1", 1), ("FT-1", 3)] or found(
        session, "decree mobilisation"
    ) == [("FT-1", 3), ("FT-1", 1)]
    assert {p for _n, p in found(session, "recognition mobilisation")} == {3}


def test_diacritics_and_case_do_not_matter_on_sqlite(session, make):
    if engine_name() != "sqlite":
        pytest.skip("PostgreSQL's simple and russian configurations keep Latin diacritics (README)")
    with_pages(session, make.evidence(exhibit_no="FT-1"), "Déclaration of the Ministère")
    assert found(session, "declaration ministere") == [("FT-1", 1)]


# --- snippets ------------------------------------------------------------------------------


def test_the_snippet_marks_the_words_and_escapes_everything_else(session, make):
    page = "Intro <script>alert(1)</script> & the order to attack was signed by the minister."
    with_pages(session, make.evidence(exhibit_no="FT-1"), page)
    (hit,) = search_text(session, "attack", visible=EVERYTHING).hits
    html = str(hit.snippet)
    assert "<mark>attack</mark>" in html
    assert "<script>" not in html and "&amp;" in html and "&lt;script&gt;" in html
    assert html.count("<mark>") == html.count("</mark>") == 1


def test_a_long_page_gives_a_window_around_the_match(session, make):
    words = generated("en", "mobilisation", length=2000)
    with_pages(session, make.evidence(exhibit_no="FT-1"), words)
    (hit,) = search_text(session, "mobilisation", visible=EVERYTHING).hits
    assert "<mark>mobilisation</mark>" in hit.snippet
    assert len(hit.snippet) < 600


def test_cyrillic_and_hangul_matches_are_marked(session, make):
    with_pages(session, make.evidence(exhibit_no="FT-1"), "Указ о мобилизации подписан; 김정은이 명령했다")
    (hit,) = search_text(session, "мобилизация 김정은", visible=EVERYTHING).hits
    assert "<mark>мобилизации</mark>" in hit.snippet and "<mark>김정은이</mark>" in hit.snippet


@pytest.mark.parametrize(
    "page",
    [
        "<mark>attack</mark> <b onmouseover=x>attack</b>",
        "attack\x02<i>\x03 &lt;mark&gt; attack",
        "\"attack\" 'attack' </mark><script>",
    ],
)
def test_markup_in_the_text_stays_text(page):
    html = str(fulltext.snippet(fulltext.parse("attack"), page))
    assert html.count("<mark>") == html.count("</mark>") == 2
    assert "<b" not in html and "<i>" not in html and "<script>" not in html
    assert html.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_a_snippet_marks_stems_prefixes_and_folded_words():
    page = "Указом о МОБИЛИЗАЦИИ; 김정은이 signing; Déclaration; вооружённых"
    html = str(fulltext.snippet(fulltext.parse("мобилизация 김정은 signed declaration вооруженные"), page))
    for word in ("МОБИЛИЗАЦИИ", "김정은이", "signing", "Déclaration", "вооружённых"):
        assert f"<mark>{word}</mark>" in html
    assert "<mark>Указом</mark>" not in html


# --- hostile queries -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        '"attack',
        "attack OR NOT",
        "attack AND minister",
        "text:attack",
        "NEAR(attack minister)",
        "attack*",
        "^attack",
        "attack -minister",
        "'; DROP TABLE text_page; --",
        "attack & | ! : * ( )",
        "\\attack\\",
        "attack\x00",
    ],
)
def test_query_syntax_is_only_text(session, make, query):
    with_pages(session, make.evidence(exhibit_no="FT-1"), "the order to attack was signed by the minister")
    results = search_text(session, query, visible=EVERYTHING)  # never an engine error
    assert results.total <= 1
    assert session.execute(text("SELECT count(*) FROM text_page")).scalar() >= 1


@pytest.mark.parametrize("query", ["", "   ", "!!! ??? ---", "___", "x" * 201, " ".join(f"w{n}" for n in range(9))])
def test_unsearchable_queries_are_refused_with_a_reason(session, query):
    with pytest.raises(FulltextQueryError) as refused:
        search_text(session, query, visible=EVERYTHING)
    assert str(refused.value)


def test_a_page_out_of_range_is_refused(session):
    for page in (0, -1, fulltext.max_page() + 1):
        with pytest.raises(FulltextQueryError):
            search_text(session, "attack", visible=EVERYTHING, page=page)


# --- clearance ---------------------------------------------------------------------------


def _answer(session, query, visible, **kw):
    results = search_text(session, query, visible=visible, **kw)
    return (
        results.total,
        results.more,
        results.pages,
        [(h.evidence.exhibit_no, h.page_no, h.file_name, str(h.snippet)) for h in results.hits],
    )


@pytest.mark.parametrize("hidden_classification", CLASSIFICATIONS[1:])
def test_hidden_exhibits_change_no_count_order_page_or_snippet(session, make, monkeypatch, hidden_classification):
    """The same answers, compared whole, with and without hidden exhibits holding the words
    (more, longer, denser pages than the visible ones: they would rank first and shift IDF)."""
    monkeypatch.setattr(fulltext, "PAGE_SIZE", 3)
    rng = random.Random(7)  # noqa: S311  (test data)
    for n in range(7):
        words = ["mobilisation"] * rng.randint(1, 3) + (["decree"] if n % 2 else [])
        with_pages(
            session, make.evidence(exhibit_no=f"V-{n}"), generated("en", *words, seed=n, length=rng.randint(10, 80))
        )
    queries = ["mobilisation", "decree mobilisation", "mobilisation decree order"]
    before = {(q, p): _answer(session, q, PUBLIC, page=p) for q in queries for p in (1, 2, 3)}
    for n in range(5):
        hidden = make.evidence(exhibit_no=f"H-{n}", classification=hidden_classification)
        with_pages(session, hidden, " ".join(["mobilisation decree order"] * 20), "mobilisation " * 50)
    after = {(q, p): _answer(session, q, PUBLIC, page=p) for q in queries for p in (1, 2, 3)}
    assert after == before
    assert before[("mobilisation", 1)][0] == 7
    # A viewer cleared for them finds them
    assert search_text(session, "mobilisation", visible=EVERYTHING).total == 17


def test_a_viewer_below_clearance_is_told_the_search_is_limited(session, make):
    with_pages(session, make.evidence(exhibit_no="FT-1"), "attack")
    assert search_text(session, "attack", visible=PUBLIC).limited
    assert not search_text(session, "attack", visible=EVERYTHING).limited
    assert search_text(session, "nothing", visible=PUBLIC).limited  # whatever the query


def test_deleted_exhibits_are_not_found(session, make):
    from models.base import utcnow

    exhibit = make.evidence(exhibit_no="FT-1")
    with_pages(session, exhibit, "attack")
    exhibit.deleted_at = utcnow()
    session.flush()
    assert found(session, "attack") == []


def test_only_the_latest_extraction_of_a_file_counts(session, make):
    (page,) = with_pages(session, make.evidence(exhibit_no="FT-1"), "attack by old reader", tool="reader 1")
    reextract(session, page, "attack by new reader", "second page attack", tool="reader 2")
    results = search_text(session, "attack", visible=EVERYTHING)
    assert sorted(h.page_no for h in results.hits) == [1, 2]
    assert "new" in str(results.hits[0].snippet) + str(results.hits[1].snippet)
    assert found(session, "old") == []


# --- ranking, paging, filters -----------------------------------------------------------------


def test_pages_with_more_of_the_words_rank_first(session, make):
    with_pages(session, make.evidence(exhibit_no="FT-1"), generated("en", "mobilisation", seed=1))
    with_pages(session, make.evidence(exhibit_no="FT-2"), generated("en", *["mobilisation"] * 5, seed=2))
    with_pages(session, make.evidence(exhibit_no="FT-3"), generated("en", *["mobilisation"] * 2, seed=3))
    assert [n for n, _p in found(session, "mobilisation")] == ["FT-2", "FT-3", "FT-1"]


def test_results_are_paged_without_overlap(session, make, monkeypatch):
    monkeypatch.setattr(fulltext, "PAGE_SIZE", 4)
    for n in range(10):
        with_pages(session, make.evidence(exhibit_no=f"FT-{n:02d}"), generated("ru", "мобилизации", seed=n))
    pages = [search_text(session, "мобилизация", visible=EVERYTHING, page=p) for p in (1, 2, 3, 4)]
    assert [len(p.hits) for p in pages] == [4, 4, 2, 0]
    assert pages[0].total == 10 and pages[0].pages == 3
    seen = [(h.evidence.exhibit_no, h.page_no) for p in pages for h in p.hits]
    assert len(set(seen)) == 10


def test_more_matches_than_are_read_say_so(session, make, monkeypatch):
    monkeypatch.setattr(fulltext, "CANDIDATE_LIMIT", 5)
    with_pages(session, make.evidence(exhibit_no="FT-1"), *[generated("ko", "김정은의", seed=n) for n in range(8)])
    results = search_text(session, "김정은", visible=EVERYTHING)
    assert results.total == 5 and results.more


def test_filters_by_kind_classification_and_date(session, make):
    rows = [
        ("A", "document", "public", dt.date(2022, 2, 21)),
        ("B", "intercept", "restricted", dt.date(2022, 2, 24)),
        ("C", "testimony", "confidential", dt.date(2024, 10, 1)),
        ("D", "document", "restricted", None),
    ]
    for number, kind, classification, when in rows:
        exhibit = make.evidence(exhibit_no=number, kind=kind, classification=classification, collected_on=when)
        with_pages(session, exhibit, generated("uk", "наступ", seed=ord(number)))

    def numbers(visible=EVERYTHING, **kw):
        return sorted(n for n, _p in found(session, "наступ", visible=visible, filters=Filters(**kw)))

    assert numbers() == ["A", "B", "C", "D"]
    assert numbers(kinds=("document",)) == ["A", "D"]
    assert numbers(kinds=("document", "intercept")) == ["A", "B", "D"]
    assert numbers(classifications=("restricted",)) == ["B", "D"]
    assert numbers(visible=PUBLIC, classifications=("restricted",)) == []  # never above clearance
    assert numbers(collected_from=dt.date(2022, 2, 22)) == ["B", "C"]
    assert numbers(collected_to=dt.date(2022, 12, 31)) == ["A", "B"]
    assert numbers(kinds=("document",), collected_from=dt.date(2022, 1, 1), collected_to=dt.date(2022, 3, 1)) == ["A"]


def test_unknown_filter_values_are_refused():
    with pytest.raises(FulltextQueryError):
        Filters(kinds=("poem",))
    with pytest.raises(FulltextQueryError):
        Filters(classifications=("top_secret",))
    with pytest.raises(FulltextQueryError):
        Filters(collected_from=dt.date(2023, 1, 1), collected_to=dt.date(2022, 1, 1))


def test_a_search_costs_three_queries_whatever_the_hits(session, make, count_queries):
    for n in range(25):
        with_pages(
            session,
            make.evidence(exhibit_no=f"FT-{n:02d}"),
            *[generated("en", "attack", seed=n * 3 + k) for k in range(3)],
        )
    session.flush()
    with count_queries() as counter:
        results = search_text(session, "attack", visible=EVERYTHING)
    assert len(results.hits) == fulltext.PAGE_SIZE
    assert counter.count == (3 if engine_name() == "sqlite" else 5)  # PostgreSQL: planner settings set, restored


# --- the index follows the text ---------------------------------------------------------------


def test_the_index_follows_edits_and_deletes_of_pages(session, make):
    (page,) = with_pages(session, make.evidence(exhibit_no="FT-1"), "first words")
    assert found(session, "first") == [("FT-1", 1)]
    page.text = "second words"
    session.flush()
    assert found(session, "first") == [] and found(session, "second") == [("FT-1", 1)]
    session.delete(page)
    session.flush()
    assert found(session, "second") == []
    assert session.query(TextPage).count() == 0


def test_a_page_longer_than_postgresql_indexes_is_stored_and_found_by_its_start(session, make):
    long_page = "mobilisation " + "x" * (fulltext.PG_INDEXED_CHARACTERS + 10) + " tailword"
    with_pages(session, make.evidence(exhibit_no="FT-1"), long_page)
    assert found(session, "mobilisation") == [("FT-1", 1)]
