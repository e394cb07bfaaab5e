"""Full-text search inside exhibits: the pages of their extracted text (issue 22, item 3).

The index is the database's own (models/text_search.py): FTS5 on SQLite, a ``tsvector`` under
GIN on PostgreSQL, filled by triggers as text pages are stored. A query is a few words in any
script; every word must be on the page. Each word is looked up as written and, by script:

- Latin: stemmed by the engine (FTS5's porter tokenizer; the ``russian`` configuration, whose
  ASCII words use the English stemmer): ``signed`` finds ``signing``.
- Cyrillic: its Snowball (Russian) stem as a prefix, on both engines, and on PostgreSQL the
  ``russian`` configuration too: ``приказа`` finds ``приказ`` and ``приказом``; Ukrainian and
  Belarusian forms share most stems with it (``наступ`` finds ``наступу``).
- Hangul: the word as a prefix, because Korean writes particles onto the noun: ``김정은``
  finds ``김정은이`` and ``김정은의``.

The query's own syntax is never the engine's: only the words (Unicode letters and digits) are
kept, each quoted, so FTS5 operators, quotes, columns or ``NEAR`` in a query are plain text.

Clearance and the other filters are applied in the statement that finds the matches, before
anything is counted, ranked or cut out: no count, order or snippet depends on pages of exhibits
the viewer cannot see. For the same reason the rank is computed from each page alone, never
from statistics of the whole index (FTS5's bm25 weighs words by how many pages hold them,
hidden pages included): how often the words' stems occur on the page against its length
(BM25's saturation with a fixed average length), counted in Python on both engines. At most
``CANDIDATE_LIMIT`` matching pages are read, in the index's order
(oldest text first); when more match, those are ranked and the count says "more than", which
keeps a query on a million pages quick whatever its words.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import snowballstemmer
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import BindParameter, bindparam, select
from sqlalchemy import text as sql_text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from models import Evidence, EvidenceFile
from models.enums import CLASSIFICATIONS, EVIDENCE_KINDS
from models.text_search import PG_INDEXED_CHARACTERS, PG_TABLE, SQLITE_TABLE
from services.search.engine import MAX_QUERY_LENGTH, QueryError

MAX_WORDS = 8
PAGE_SIZE = 20
# Matching pages read per query (after clearance and filters); more are counted as "more than".
CANDIDATE_LIMIT = 1000
# Prefix look-ups of fewer letters would read a large part of the index.
MIN_PREFIX = 3
MIN_HANGUL_PREFIX = 2
SNIPPET_WORDS = 30
_ELLIPSIS = "…"

_WORD = re.compile(r"[^\W_]+")
_RUSSIAN = snowballstemmer.stemmer("russian")
_ENGLISH = snowballstemmer.stemmer("english")


def max_page() -> int:
    return max(1, CANDIDATE_LIMIT // PAGE_SIZE)


class FulltextQueryError(QueryError):
    """The text cannot be searched; the message says why, for the reader."""


def fold_yo(text: str) -> str:
    """ё as е, as Russian is mostly written (FTS5 removes the diacritics of Latin letters only:
    the SQLite index reads pages through the same folding, models/text_search.py)."""
    return text.replace("ё", "е").replace("Ё", "Е")


def _script(word: str) -> str:
    for char in word:
        if "\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f":
            return "hangul"
        if "\u0400" <= char <= "\u052f":
            return "cyrillic"
    return "other"


@dataclass(frozen=True)
class Term:
    word: str  # lower-cased, as typed
    prefix: str | None  # also matched as the start of a word (a stem, or a Hangul word)
    needle: str = ""  # what the rank counts on a page: the prefix, or the word's stem


def _term(word: str) -> Term:
    script = _script(word)
    if script == "hangul":
        return Term(word, word if len(word) >= MIN_HANGUL_PREFIX else None, word)
    if script == "cyrillic":
        stem = _RUSSIAN.stemWord(word)
        return Term(word, stem, stem) if len(stem) >= MIN_PREFIX else Term(word, None, word)
    stem = _ENGLISH.stemWord(word)
    return Term(word, None, stem if len(stem) >= MIN_PREFIX else word)


def parse(text: str) -> tuple[Term, ...]:
    """The query's words as terms; FulltextQueryError when there are none, too many, or the
    text is too long."""
    if len(text) > MAX_QUERY_LENGTH:
        raise FulltextQueryError(_("A search inside exhibits takes at most %(num)d characters.", num=MAX_QUERY_LENGTH))
    words = _WORD.findall(fold_yo(unicodedata.normalize("NFKC", text).casefold()))
    if not words:
        raise FulltextQueryError(_("Type at least one word, in letters or digits."))
    unique = tuple(dict.fromkeys(words))
    if len(unique) > MAX_WORDS:
        raise FulltextQueryError(_("A search inside exhibits takes at most %(num)d words.", num=MAX_WORDS))
    return tuple(_term(word) for word in unique)


def _fts_string(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def fts5_query(terms: Sequence[Term]) -> str:
    """The FTS5 MATCH expression: every term, each as a quoted string (never an operator)."""
    parts = []
    for term in terms:
        if term.prefix is None:
            parts.append(_fts_string(term.word))
        elif term.prefix == term.word:
            parts.append(_fts_string(term.word) + "*")
        else:
            parts.append(f"({_fts_string(term.word)} OR {_fts_string(term.prefix)}*)")
    return " AND ".join(parts)


def _tsquery_literal(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "':*"


def pg_tsquery(terms: Sequence[Term]) -> tuple[str, dict[str, str]]:
    """SQL of the tsquery (terms as bound parameters only) and its parameters."""
    parts, params = [], {}
    for n, term in enumerate(terms):
        params[f"w{n}"] = term.word
        options = [f"plainto_tsquery('simple', :w{n})", f"plainto_tsquery('russian', :w{n})"]
        if term.prefix is not None:
            params[f"p{n}"] = _tsquery_literal(term.prefix)
            options.append(f"to_tsquery('simple', :p{n})")
        parts.append("(" + " || ".join(options) + ")")
    return " && ".join(parts), params


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    classifications: tuple[str, ...] = ()
    collected_from: dt.date | None = None
    collected_to: dt.date | None = None

    def __post_init__(self) -> None:
        if not set(self.kinds) <= set(EVIDENCE_KINDS) or not set(self.classifications) <= set(CLASSIFICATIONS):
            raise FulltextQueryError(_("Unknown kind or classification."))
        if self.collected_from and self.collected_to and self.collected_from > self.collected_to:
            raise FulltextQueryError(_("The last date is before the first."))


@dataclass
class Hit:
    evidence: Evidence
    page_no: int
    file_name: str | None  # the original file's name, when it has one
    snippet: Markup


@dataclass
class Results:
    terms: tuple[Term, ...]
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # matching pages found (at most CANDIDATE_LIMIT)
    more: bool = False  # more pages match than were read
    page: int = 1
    page_size: int = PAGE_SIZE
    # The viewer is not cleared for everything: said whatever the query, never as a count.
    limited: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


Scope = tuple[str, dict[str, Any], list["BindParameter[Any]"]]
# (score, page id, exhibit id, page number, source file id, the page's text)
Scored = list[tuple[float, int, int, int, int, str]]


def _scope(filters: Filters, visible: Sequence[str]) -> Scope:
    """WHERE conditions on the exhibit (e), the extraction (x) and their parameters: live,
    visible, filtered, and only the latest extraction of each file."""
    allowed = [c for c in visible if not filters.classifications or c in filters.classifications]
    conditions = ["e.deleted_at IS NULL", "e.classification IN :allowed"]
    params: dict[str, Any] = {"allowed": allowed or ["-"]}
    expanding: list[BindParameter[Any]] = [bindparam("allowed", expanding=True)]
    if filters.kinds:
        conditions.append("e.kind IN :kinds")
        params["kinds"] = list(filters.kinds)
        expanding.append(bindparam("kinds", expanding=True))
    if filters.collected_from:
        conditions.append("e.collected_on >= :collected_from")
        params["collected_from"] = filters.collected_from
    if filters.collected_to:
        conditions.append("e.collected_on <= :collected_to")
        params["collected_to"] = filters.collected_to
    # A newer version of the extractor read the file again: only its pages count.
    conditions.append(
        "NOT EXISTS (SELECT 1 FROM text_extraction y WHERE y.source_file_id = x.source_file_id AND y.id > x.id)"
    )
    return " AND ".join(conditions), params, expanding


_JOINS = (
    "JOIN text_page p ON p.id = {page}"
    " JOIN text_extraction x ON x.id = p.extraction_id"
    " JOIN evidence_file s ON s.id = x.source_file_id"
    " JOIN evidence e ON e.id = s.evidence_id"
)

# The rank: BM25's term-frequency saturation with a fixed average page length, and no IDF.
_K1, _B, _AVERAGE_CHARACTERS = 1.2, 0.75, 2000.0


def score(terms: Sequence[Term], text: str) -> float:
    """How much of the page the words make up, from the page alone: each term's occurrences
    (its stem or prefix as a substring of the case-folded page, a C-speed count) saturated as
    BM25 does, against the page's length. The same on both engines."""
    page = fold_yo(text.casefold())
    norm = _K1 * (1 - _B + _B * len(page) / _AVERAGE_CHARACTERS)
    total = 0.0
    for term in terms:
        found = page.count(term.needle)
        total += found * (_K1 + 1) / (found + norm)
    return total


def _candidates(
    session: Session, sql: str, params: dict[str, Any], expanding: list[BindParameter[Any]], terms: Sequence[Term]
) -> Scored:
    statement = sql_text(sql).bindparams(*expanding)
    rows = session.execute(statement, {**params, "limit": CANDIDATE_LIMIT + 1}).all()
    return [(score(terms, row.body), row.page_id, row.evidence_id, row.page_no, row.file_id, row.body) for row in rows]


def _sqlite_candidates(session: Session, terms: Sequence[Term], scope: Scope) -> Scored:
    where, params, expanding = scope
    sql = (
        "SELECT f.rowid AS page_id, e.id AS evidence_id, p.page_no, s.id AS file_id, p.text AS body "  # noqa: S608  (constants; values are bound)
        f"FROM {SQLITE_TABLE} f {_JOINS.format(page='f.rowid')} "
        f"WHERE {SQLITE_TABLE} MATCH :match AND {where} ORDER BY f.rowid LIMIT :limit"
    )
    return _candidates(session, sql, {**params, "match": fts5_query(terms)}, expanding, terms)


def _pg_candidates(session: Session, terms: Sequence[Term], scope: Scope) -> Scored:
    where, params, expanding = scope
    tsquery, query_params = pg_tsquery(terms)
    sql = (
        "SELECT t.page_id, e.id AS evidence_id, p.page_no, s.id AS file_id, "  # noqa: S608  (constants; values bound)
        f"left(p.text, {PG_INDEXED_CHARACTERS}) AS body "
        f"FROM {PG_TABLE} t {_JOINS.format(page='t.page_id')} "
        f"WHERE t.tsv @@ ({tsquery}) AND {where} LIMIT :limit"
    )
    # The planner takes testing a page's (compressed, out-of-line) tsvector for cheap and, for a
    # common word under LIMIT, walks the pages by key testing each one (538 ms for a word on a
    # fifth of 200,000 pages, against 150 ms through the GIN index, under load): for this
    # statement only, the index's bitmap is the only way in. Restored for the rest of the request.
    saved = session.execute(
        sql_text(
            "SELECT current_setting('enable_indexscan') AS i, current_setting('enable_seqscan') AS s, "
            "current_setting('max_parallel_workers_per_gather') AS w, set_config('enable_indexscan', 'off', true), "
            "set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)"
        )
    ).one()
    try:
        return _candidates(session, sql, {**params, **query_params}, expanding, terms)
    finally:
        session.execute(
            sql_text(
                "SELECT set_config('enable_indexscan', :i, true), set_config('enable_seqscan', :s, true), "
                "set_config('max_parallel_workers_per_gather', :w, true)"
            ),
            {"i": saved.i, "s": saved.s, "w": saved.w},
        )


def _folded(word: str) -> str:
    """A word as the snippet compares it: case and diacritics folded, as FTS5 does."""
    decomposed = unicodedata.normalize("NFKD", fold_yo(word.casefold()))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _marker(terms: Sequence[Term]) -> Any:
    exact = {_folded(t.word) for t in terms}
    prefixes = tuple({_folded(p) for t in terms for p in (t.prefix, t.needle) if p})

    def matches(token: str) -> bool:
        folded = _folded(token)
        return folded in exact or folded.startswith(prefixes)

    return matches


def snippet(terms: Sequence[Term], text: str, words: int = SNIPPET_WORDS) -> Markup:
    """A window of ``words`` words of the page around its first match, as HTML: every word the
    query matches in <mark>, all text escaped. Cut from the page the search has read already,
    for the pages shown only."""
    matches = _marker(terms)
    tokens = list(_WORD.finditer(text))
    if not tokens:
        return Markup("")
    first = next((n for n, token in enumerate(tokens) if matches(token.group())), 0)
    start = max(0, min(first - words // 3, len(tokens) - words))
    end = min(len(tokens), start + words)
    out: list[Markup | str] = [_ELLIPSIS] if start > 0 else []
    at = tokens[start].start()
    for token in tokens[start:end]:
        out.append(re.sub(r"\s+", " ", text[at : token.start()]))
        out.append(Markup("<mark>%s</mark>") % token.group() if matches(token.group()) else token.group())
        at = token.end()
    tail = text[at : at + 1] if end < len(tokens) else text[at:]
    out.append(re.sub(r"\s+", " ", tail).rstrip())
    if end < len(tokens):
        out.append(_ELLIPSIS)
    return Markup("").join(escape(part) if not isinstance(part, Markup) else part for part in out)


def search_text(
    session: Session,
    text: str,
    *,
    visible: Sequence[str],
    filters: Filters | None = None,
    page: int = 1,
) -> Results:
    """Pages of exhibits the viewer may see whose text holds every word of ``text``, best
    first, ``PAGE_SIZE`` a page. Three queries whatever the data (five on PostgreSQL, which
    also sets and restores planner settings): the matches, the exhibits shown, their files;
    the snippets are cut from the pages read. FulltextQueryError for text that cannot be
    searched or a page out of range."""
    terms = parse(text)
    filters = filters or Filters()
    if page < 1 or page > max_page():
        raise FulltextQueryError(_("Pages of results run from 1 to %(num)d.", num=max_page()))
    dialect = session.get_bind().dialect.name
    scope = _scope(filters, visible)
    finder = _sqlite_candidates if dialect == "sqlite" else _pg_candidates
    try:
        scored = finder(session, terms, scope)
    except (OperationalError, ProgrammingError) as error:  # the engine refused the query itself
        raise FulltextQueryError(_("This cannot be searched; try other words.")) from error
    more = len(scored) > CANDIDATE_LIMIT
    scored = scored[:CANDIDATE_LIMIT]
    scored.sort(key=lambda row: (-row[0], row[1]))
    results = Results(terms, total=len(scored), more=more, page=page, page_size=PAGE_SIZE)
    results.limited = not set(CLASSIFICATIONS) <= set(visible)
    shown = scored[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    if not shown:
        return results
    exhibits = {
        record.id: record
        for record in session.scalars(select(Evidence).where(Evidence.id.in_({row[2] for row in shown})))
    }
    names = dict(
        session.execute(
            select(EvidenceFile.id, EvidenceFile.original_name).where(EvidenceFile.id.in_({row[4] for row in shown}))
        )
        .tuples()
        .all()
    )
    results.hits = [
        Hit(exhibits[evidence_id], page_no, names.get(file_id), snippet(terms, body))
        for _score, _page_id, evidence_id, page_no, file_id, body in shown
    ]
    return results
