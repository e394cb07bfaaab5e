"""Search across officials, institutions, decisions and evidence, in any script.

Every searchable text is folded to lower-case ASCII words (anyascii: Шойгу -> shoygu,
Лукашэнка -> lukashenka, 김정은 -> gimjeongeun) and stored in the search index
(models/search_index.py) with two keys:

- ``compact``: the folded words without spaces, so ``Kim Jong-un``, ``Kim Jong Un`` and
  ``kimjongun`` are one string; a query matches when its compact form is a substring.
- ``sounds``: for names only, the Metaphone key of each word (jellyfish), so spellings
  that sound alike match: shoygu / shoigu -> XK, lukashenka / lukashenko -> LKXNK. A query
  matches when every one of its words' keys is among the entry's.

The index is kept in step by an ``after_flush`` listener (installed by services/common/hooks.py): folding needs
Python, so database triggers could not compute it. Writes that bypass the ORM must call
``rebuild``. Soft-deleted records are taken out of the index; the queries also re-check
deletion and, for evidence, the viewer's clearance against the records themselves.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import jellyfish
from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Table,
    case,
    delete,
    func,
    insert,
    inspect,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session, UOWTransaction, joinedload

from models import Decision, Evidence, Institution, Official, OfficialName
from models.ascii import to_ascii
from models.enums import CLASSIFICATIONS
from models.search_index import TABLE, search_index, search_index_with_rowid

MAX_QUERY_LENGTH = 200
# The trigram index cannot look up fewer than three characters.
MIN_QUERY_CHARACTERS = 3
# Records listed per kind; the count says how many more matched.
SHOWN_PER_KIND = 25
# Index rows read per kind before picking each record's best match.
CANDIDATE_LIMIT = 2000
_CHUNK = 500

KINDS = ("official", "institution", "decision", "evidence")
# Which field of a record a match is shown under, best first on equal rank.
FIELD_ORDER = {
    "name": 0,
    "title": 0,
    "exhibit_no": 0,
    "native_name": 1,
    "alias": 2,
    "instrument": 2,
    "summary": 3,
}
# Phonetic keys are for names; in running text they would match too much.
PHONETIC_FIELDS = frozenset({"name", "native_name", "alias"})
PHONETIC_KINDS = frozenset({"official", "institution"})

# --- folding ------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower-case ASCII words of ``text`` in any script.

    Apostrophes vanish rather than split words: anyascii writes the soft sign as one
    (Зеленський -> zelens'kiy), and O'Brien should read as obrien."""
    ascii_text = to_ascii(unicodedata.normalize("NFKC", text)).casefold().replace("'", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


def compact(folded: str) -> str:
    return folded.replace(" ", "")


def sound_keys(folded: str) -> tuple[str, ...]:
    """The Metaphone key of each word, once each, in order (digits have none)."""
    keys = (jellyfish.metaphone(word).lower() for word in folded.split())
    return tuple(dict.fromkeys(key for key in keys if key))


def _sounds_column(folded: str) -> str:
    return " ".join(f"#{key}#" for key in sound_keys(folded))


# --- keeping the index in step --------------------------------------------------------------


def _entry(kind: str, record_id: int, field_name: str, label: str) -> dict[str, Any] | None:
    folded = fold(label)
    if not folded:
        return None
    phonetic = kind in PHONETIC_KINDS and field_name in PHONETIC_FIELDS
    return {
        "kind": kind,
        "record_id": record_id,
        "field": field_name,
        "label": label,
        "folded": folded,
        "compact": compact(folded),
        "sounds": _sounds_column(folded) if phonetic else "",
    }


# On SQLite the index is an FTS5 table whose other columns cannot be indexed, so the rowid
# says what a row is about: the kind in the top bits, then the record id, then a row number
# within the record. Finding a record's rows (to replace them) or one kind's matches is then
# a rowid range, which FTS5 reads from its index without touching the rows themselves.
KIND_CODES = {"official": 1, "institution": 2, "decision": 3, "evidence": 4}
ROWS_PER_RECORD = 256  # index rows one record may have (its names and texts); more are not indexed
_KIND_SHIFT = 40


def record_rowids(kind: str, record_id: int) -> tuple[int, int]:
    """The first and last SQLite rowid the index rows of one record may have."""
    base = (KIND_CODES[kind] << _KIND_SHIFT) + record_id * ROWS_PER_RECORD
    return base, base + ROWS_PER_RECORD - 1


def kind_rowids(kind: str) -> tuple[int, int]:
    code = KIND_CODES[kind]
    return code << _KIND_SHIFT, ((code + 1) << _KIND_SHIFT) - 1


def with_rowids(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` (as ``entries`` gives them, grouped by record) with their SQLite rowids."""
    numbered: list[dict[str, Any]] = []
    counts: dict[tuple[str, int], int] = {}
    for row in rows:
        key = (row["kind"], row["record_id"])
        n = counts.get(key, 0)
        if n >= ROWS_PER_RECORD:
            continue
        counts[key] = n + 1
        numbered.append({**row, "rowid": record_rowids(*key)[0] + n})
    return numbered


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


# The texts of each kind of record that are indexed (officials add every OfficialName).
_INDEXED: dict[str, tuple[Any, tuple[str, ...]]] = {
    "official": (Official, ("name", "native_name")),
    "institution": (Institution, ("name", "native_name")),
    "decision": (Decision, ("title", "instrument", "summary")),
    "evidence": (Evidence, ("exhibit_no", "title", "summary")),
}


def _texts(conn: Connection, kind: str, ids: Sequence[int]) -> Iterator[tuple[int, str, str | None]]:
    """(record id, field, text) for the live records ``ids`` of ``kind``."""
    model, fields = _INDEXED[kind]
    records = _table(model)
    query = select(records.c.id, *(records.c[name] for name in fields)).where(records.c.id.in_(ids))
    if "deleted_at" in records.c:
        query = query.where(records.c.deleted_at.is_(None))
    live = []
    for row in conn.execute(query):
        live.append(row.id)
        for name in fields:
            yield row.id, name, row._mapping[name]
    if kind == "official" and live:
        names = _table(OfficialName)
        aliases = select(names.c.official_id, names.c.name).where(names.c.official_id.in_(live)).order_by(names.c.id)
        for row in conn.execute(aliases):
            yield row.official_id, "alias", row.name


def entries(conn: Connection, kind: str, ids: Sequence[int]) -> list[dict[str, Any]]:
    """Index rows for the live records ``ids`` of ``kind``; a text written twice counts once."""
    rows, seen = [], set()
    for record_id, field_name, text in _texts(conn, kind, ids):
        if not text or (record_id, text) in seen:
            continue
        seen.add((record_id, text))
        entry = _entry(kind, record_id, field_name, text)
        if entry:
            rows.append(entry)
    return rows


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def reindex(conn: Connection, targets: dict[str, set[int]]) -> None:
    """Replace the index rows of the given records by what the database now holds."""
    sqlite = conn.dialect.name == "sqlite"
    for kind, ids in targets.items():
        for chunk in _chunks(ids):
            if sqlite:
                conn.execute(
                    sql_text(f"DELETE FROM {TABLE} WHERE rowid BETWEEN :first AND :last"),  # noqa: S608  (a constant)
                    [dict(zip(("first", "last"), record_rowids(kind, record_id), strict=True)) for record_id in chunk],
                )
            else:
                conn.execute(
                    delete(search_index).where(search_index.c.kind == kind, search_index.c.record_id.in_(chunk))
                )
            rows = entries(conn, kind, chunk)
            if rows and sqlite:
                conn.execute(insert(search_index_with_rowid), with_rowids(rows))
            elif rows:
                conn.execute(insert(search_index), rows)


def rebuild(session: Session) -> int:
    """Empty the index and fill it from every live record; returns the number of rows."""
    conn = session.connection()
    conn.execute(delete(search_index))
    for kind, (model, _fields) in _INDEXED.items():
        reindex(conn, {kind: set(conn.scalars(select(_table(model).c.id)))})
    return int(conn.scalar(select(func.count()).select_from(search_index)) or 0)


# The kind of each indexed model; a change of an indexed text or of deletion reindexes it.
_KIND_OF: dict[type, str] = {model: kind for kind, (model, _fields) in _INDEXED.items()}


def _watched(obj: Any) -> tuple[str, ...]:
    fields = _INDEXED[_KIND_OF[type(obj)]][1]
    return (*fields, "deleted_at") if hasattr(obj, "deleted_at") else fields


def _changed(obj: Any, columns: Iterable[str]) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in columns)


def _targets(session: Session) -> dict[str, set[int]]:
    targets: dict[str, set[int]] = {}

    def add(kind: str, record_id: Any) -> None:
        if isinstance(record_id, int):
            targets.setdefault(kind, set()).add(record_id)

    for obj in session.new:
        if isinstance(obj, OfficialName):
            add("official", obj.official_id)
        elif type(obj) in _KIND_OF:
            add(_KIND_OF[type(obj)], obj.id)
    for obj in session.dirty:
        if isinstance(obj, OfficialName) and _changed(obj, ("name", "official_id")):
            history = inspect(obj).attrs["official_id"].history
            for official_id in [obj.official_id, *(history.deleted or ())]:
                add("official", official_id)
        elif type(obj) in _KIND_OF and _changed(obj, _watched(obj)):
            add(_KIND_OF[type(obj)], obj.id)
    for obj in session.deleted:
        if isinstance(obj, OfficialName):
            add("official", obj.official_id)
        elif type(obj) in _KIND_OF:
            add(_KIND_OF[type(obj)], obj.id)
    return targets


_DEFERRED = "search_index_deferred"


def after_flush(session: Session, flush_context: UOWTransaction) -> None:
    targets = _targets(session)
    if not targets:
        return
    pending = session.info.get(_DEFERRED)
    if pending is None:
        reindex(session.connection(), targets)
        return
    for kind, ids in targets.items():
        pending.setdefault(kind, set()).update(ids)


@contextmanager
def deferred(session: Session) -> Iterator[None]:
    """Reindex once, when the block ends, what every flush inside it changed: a bulk import
    flushes thousands of times. The block's own queries of the index see the old rows."""
    if _DEFERRED in session.info:  # already deferred by an enclosing block
        yield
        return
    session.info[_DEFERRED] = {}
    try:
        yield
        session.flush()
        pending = session.info.get(_DEFERRED) or {}
        if pending:
            reindex(session.connection(), pending)
    finally:
        session.info.pop(_DEFERRED, None)


# --- querying -----------------------------------------------------------------------------


class QueryError(ValueError):
    """The query cannot be searched; the message says why."""


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    folded: str
    compact: str
    sounds: tuple[str, ...]


def parse_query(text: str) -> ParsedQuery:
    """Fold a query; QueryError when it is too long or has too little to look up."""
    text = text.strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError("too long")
    folded = fold(text)
    if len(compact(folded)) < MIN_QUERY_CHARACTERS:
        raise QueryError("too short")
    return ParsedQuery(text, folded, compact(folded), sound_keys(folded))


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def match_clause(dialect: str, kind: str, query: ParsedQuery) -> ColumnElement[bool]:
    """Rows whose compact text contains the query's, or whose names sound like every word of it."""
    phonetic = kind in PHONETIC_KINDS and bool(query.sounds)
    if dialect == "sqlite":
        expression = f"compact : {_fts_phrase(query.compact)}"
        if phonetic:
            expression += " OR sounds : (" + " AND ".join(_fts_phrase(f"#{key}#") for key in query.sounds) + ")"
        return literal_column(TABLE).op("MATCH")(literal(expression))
    clauses: list[ColumnElement[bool]] = [search_index.c.compact.like(f"%{query.compact}%")]
    if phonetic:
        simple: ColumnElement[Any] = literal_column("'simple'::regconfig")
        clauses.append(
            func.to_tsvector(simple, search_index.c.sounds).op("@@")(
                func.plainto_tsquery(simple, literal(" ".join(query.sounds)))
            )
        )
    return or_(*clauses)


def _rank(query: ParsedQuery) -> ColumnElement[int]:
    """0 the whole text, 1 whole words of it, 2 its start, 3 inside a word, 4 sounds alike."""
    folded, packed = search_index.c.folded, search_index.c.compact
    return case(
        (folded == query.folded, 0),
        ((literal(" ") + folded + literal(" ")).like(f"% {query.folded} %"), 1),
        (packed.like(f"{query.compact}%"), 2),
        (packed.like(f"%{query.compact}%"), 3),
        else_=4,
    )


def _live(kind: str, visible: Sequence[str] | None, dialect: str) -> list[ColumnElement[bool]]:
    records = _table(_INDEXED[kind][0])
    # The kind written into the statement, not bound: PostgreSQL picks the kind's partial
    # index only when it can see which kind is asked for.
    # (``kind`` is one of _INDEXED's keys, never user input: looked up above.)
    conditions: list[ColumnElement[bool]] = [search_index.c.kind == literal_column(f"'{kind}'")]
    if dialect == "sqlite":  # the kind's rowid range: FTS5 skips other kinds' matches unread
        conditions.append(literal_column(f"{TABLE}.rowid").between(*kind_rowids(kind)))
    if "deleted_at" in records.c:
        conditions.append(records.c.deleted_at.is_(None))
    if kind == "evidence" and visible is not None:
        conditions.append(records.c.classification.in_(visible))
    return conditions


def candidates_query(dialect: str, kind: str, query: ParsedQuery, visible: Sequence[str]) -> Select[Any]:
    """Index rows of live (and, for evidence, visible) records matching ``query``, best first."""
    records = _table(_INDEXED[kind][0])
    rank = _rank(query).label("rank")
    return (
        select(search_index.c.record_id, search_index.c.field, search_index.c.label, rank)
        .select_from(search_index.join(records, records.c.id == search_index.c.record_id))
        .where(match_clause(dialect, kind, query), *_live(kind, visible, dialect))
        .order_by(rank, search_index.c.record_id)
        .limit(CANDIDATE_LIMIT)
    )


SNIPPET_LENGTH = 160


def snippet(text: str, query: ParsedQuery, length: int = SNIPPET_LENGTH) -> str:
    """A window of ``text`` around the query (or its first word found), for long texts."""
    if len(text) <= length:
        return text
    lowered = text.casefold()
    needles = [query.text.casefold(), *(word for word in query.text.casefold().split() if len(word) >= 3)]
    at = next((pos for pos in (lowered.find(n) for n in needles) if pos >= 0), 0)
    start = max(0, min(at - length // 3, len(text) - length))
    window = text[start : start + length].strip()
    return ("…" if start > 0 else "") + window + ("…" if start + length < len(text) else "")


@dataclass
class Hit:
    record: Any
    field: str  # which field matched: name, native_name, alias, title, ...
    matched: str  # the text that matched, as written (a window of it when long)
    rank: int


@dataclass
class Group:
    kind: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # records found (at least, when ``more`` is true)
    more: bool = False  # the candidate limit was reached


@dataclass
class Results:
    query: ParsedQuery
    groups: list[Group]
    # The viewer is not cleared for every classification: evidence above theirs was not searched.
    # Said whatever the query and whatever exists, never as a count of matches: a count of
    # hidden exhibits matching the query would spell out their titles one letter at a time.
    limited: bool = False

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)


def _best_per_record(rows: Sequence[Any]) -> list[tuple[int, str, str, int]]:
    best: dict[int, tuple[int, int, int, str, str]] = {}
    for row in rows:
        key = (row.rank, FIELD_ORDER.get(row.field, 9), len(row.label), row.field, row.label)
        if row.record_id not in best or key < best[row.record_id]:
            best[row.record_id] = key
    ordered = sorted(best.items(), key=lambda item: (item[1][:3], item[0]))
    return [(record_id, f, label, rank) for record_id, (rank, _o, _n, f, label) in ordered]


def _load(session: Session, kind: str, ids: list[int], visible: Sequence[str]) -> dict[int, Any]:
    if not ids:
        return {}
    model = _INDEXED[kind][0]
    query = select(model).where(model.id.in_(ids))
    if kind != "institution":
        query = query.where(model.deleted_at.is_(None))
    if kind == "evidence":
        query = query.where(Evidence.classification.in_(visible))
    if kind in ("official", "institution"):
        query = query.options(joinedload(model.state))
    elif kind == "decision":
        query = query.options(joinedload(Decision.institution))
    return {record.id: record for record in session.scalars(query)}


def search(session: Session, text: str, *, visible: Sequence[str]) -> Results:
    """Records of every kind matching ``text``, grouped by kind, best first.

    Evidence above ``visible`` is not searched: nothing of the answer depends on it. A fixed
    number of queries, whatever the data: per kind one for the matches and one for the
    records shown.
    Raises QueryError for a query that cannot be searched (see ``parse_query``)."""
    query = parse_query(text)
    dialect = session.get_bind().dialect.name
    groups = []
    for kind in KINDS:
        rows = session.execute(candidates_query(dialect, kind, query, visible)).all()
        best = _best_per_record(rows)
        shown = best[:SHOWN_PER_KIND]
        records = _load(session, kind, [record_id for record_id, *_ in shown], visible)
        hits = [
            Hit(records[record_id], field_name, snippet(label, query), rank)
            for record_id, field_name, label, rank in shown
            if record_id in records
        ]
        groups.append(Group(kind, hits, total=len(best), more=len(rows) >= CANDIDATE_LIMIT))
    return Results(query, groups, limited=not set(CLASSIFICATIONS) <= set(visible))


def found_among(
    session: Session, text: str, kind: str, record_ids: Iterable[int], *, visible: Sequence[str]
) -> set[int]:
    """Which of ``record_ids`` (of ``kind``) ``search`` finds for ``text`` at ``visible``: the
    same match (``candidates_query``), asked of these records only. A query that cannot be
    searched finds nothing."""
    ids = sorted(set(record_ids))
    if not ids:
        return set()
    try:
        query = parse_query(text)
    except QueryError:
        return set()
    dialect = session.get_bind().dialect.name
    found: set[int] = set()
    for chunk in _chunks(ids):
        candidates = (
            candidates_query(dialect, kind, query, visible)
            .where(search_index.c.record_id.in_(chunk))
            .limit(None)  # every index row of these records: none is left out by the search's cap
        )
        found.update(row.record_id for row in session.execute(candidates))
    return found
