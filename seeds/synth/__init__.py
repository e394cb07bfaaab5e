"""A synthetic data set at scale, for load tests and demonstrations: ``flask demo synth``.

Deterministic (the same arguments give the same rows, files and hashes: every value comes
from the seed, timestamps are 2026-01-01 plus the row's id in seconds) and realistic in shape
(see frame.py and rows.py). Rows are written in bulk, bypassing the ORM: executemany
of plain tuples on SQLite, ``COPY ... FROM STDIN`` on PostgreSQL, with ids assigned here.
What the ORM's flush listeners would have done is done here in bulk instead: the search
index rows, and one audit event recording the run (not one per row).

All or nothing: everything is written in the caller's transaction, which the caller commits
(the CLI) or rolls back (tests, or any error). Files written into the evidence store by a
build that then fails are removed again; only a hard kill (SIGKILL, power loss) can leave
some behind, which ``evidence fixity`` reports as orphan files and a new build with the same
seed takes over (their names are their hashes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from models import AggressionAct, CustodyEvent, Decision, Evidence, Institution, Official, State, text_search
from models import search_index as search_index_table
from seeds.synth.frame import (
    EPOCH,
    TOP_INSTITUTIONS,
    Frame,
    rng_for,
    write_acts,
    write_institutions,
    write_positions,
    write_states,
)
from seeds.synth.rows import Facts, write_decisions, write_dossiers, write_evidence, write_officials, write_tenures
from seeds.synth.text import TextIds, write_text
from services.audit import trail as audit
from services.dossiers import summaries as dossier_summaries
from services.evidence import custody
from services.evidence.store import EvidenceStore
from services.facts import act_evidence
from services.search import engine as search

MAX_ROWS = 50_000_000
MAX_SUPPORTS_PER_EXHIBIT = 6
FILE_SHARE = 100  # one exhibit in a hundred has a file
INDEX_COLUMNS = ("kind", "record_id", "field", "label", "folded", "compact", "sounds")
# Tables whose ids come from a sequence on PostgreSQL: set past the ids written here.
SEQUENCED = (
    "state",
    "institution",
    "position",
    "official",
    "official_name",
    "external_identifier",
    "tenure",
    "aggression_act",
    "decision",
    "involvement",
    "evidence",
    "evidence_file",
    "custody_event",
    "support",
    "dossier",
    "text_extraction",
    "text_page",
)
CASE_TABLES = (Official, Institution, Decision, AggressionAct, Evidence)
SQLITE_CACHE_KIB = 1_000_000  # page cache while building: the indexes stay in memory


class SynthError(ValueError):
    """The arguments make no data set, or the database is not empty."""


@dataclass(frozen=True)
class SynthSpec:
    officials: int
    decisions: int
    evidence: int
    seed: int = 0
    supports: int | None = None  # three per exhibit unless given
    text_pages: int = 0  # pages of extracted text (seeds/synth/text.py)

    @property
    def support_count(self) -> int:
        return 3 * self.evidence if self.supports is None else self.supports

    def check(self) -> None:
        """Refuse what cannot be built, naming the argument at fault."""
        for name in ("officials", "decisions", "evidence", "support_count", "text_pages"):
            value = getattr(self, name)
            if not 0 <= value <= MAX_ROWS:
                option = name.replace("_count", "s").replace("_", "-")
                raise SynthError(f"--{option} must be between 0 and {MAX_ROWS:,}, not {value}")
        if not 0 <= self.seed < 2**63:
            raise SynthError("--seed must be between 0 and 2**63 - 1")
        if self.decisions and not self.officials:
            raise SynthError("decisions need officials to take them: give --officials")
        if not self.officials and not self.evidence:
            raise SynthError("nothing to build: give --officials or --evidence")
        if self.support_count and not (self.evidence and self.decisions):
            raise SynthError("supports link evidence to decisions' facts: give --evidence and --decisions")
        if self.text_pages and not self.evidence:
            raise SynthError("text pages are the text of exhibits' files: give --evidence")
        if self.support_count > MAX_SUPPORTS_PER_EXHIBIT * self.evidence:
            raise SynthError(f"at most {MAX_SUPPORTS_PER_EXHIBIT} supports per exhibit")


def check_empty(session: Session) -> None:
    """Refuse a database that already holds case data: ids are assigned from 1."""
    for model in CASE_TABLES:
        if session.scalar(select(func.count()).select_from(model)):
            raise SynthError(
                f"the database already holds {model.__tablename__} rows: build the synthetic set into an "
                "empty database (migrated, with no officials, institutions, decisions, acts or evidence)"
            )


# --- progress --------------------------------------------------------------------------------


class Progress:
    """Rows done per stage, with rate and elapsed time, at most every ``interval`` seconds."""

    def __init__(self, echo: Callable[[str], None] | None, interval: float = 0.5) -> None:
        self.echo = echo
        self.interval = interval
        self.name, self.table, self.total, self.done = "", "", 0, 0
        self.started = self.shown = self.begun = time.monotonic()

    def stage(self, name: str, table: str, total: int) -> None:
        self.end()
        self.name, self.table, self.total, self.done = name, table, total, 0
        self.started = time.monotonic()

    def advance(self, table: str, count: int) -> None:
        if table != self.table:
            return
        self.done += count
        if time.monotonic() - self.shown >= self.interval:
            self._show("")

    def end(self) -> None:
        if self.name:
            self._show(" done")
        self.name = ""

    def _show(self, suffix: str) -> None:
        now = time.monotonic()
        self.shown = now
        elapsed = max(now - self.started, 1e-6)
        if self.echo:
            self.echo(
                f"{self.name}: {self.done:,}/{self.total:,} rows, {self.done / elapsed:,.0f} rows/s, "
                f"{elapsed:.1f} s (total {now - self.begun:.0f} s){suffix}"
            )


# --- writing rows ------------------------------------------------------------------------------


class Writer:
    """Bulk rows into the connection's current transaction; implements frame.Sink."""

    def __init__(self, conn: Connection, progress: Progress) -> None:
        self.dialect = conn.dialect.name
        self.driver: Any = conn.connection.driver_connection
        self.progress = progress
        self.counts: dict[str, int] = {}
        self.pending_index: list[tuple[Any, ...]] = []
        self._days: dict[int, str] = {}

    def ts(self, seconds: int) -> Any:
        if self.dialect != "sqlite":
            return EPOCH + dt.timedelta(seconds=seconds)
        # as SQLAlchemy writes a UTCDateTime on SQLite (strftime is slow for millions of rows)
        days, rest = divmod(seconds, 86_400)
        hours, rest = divmod(rest, 3_600)
        day = self._days.get(days) or self._days.setdefault(days, (EPOCH.date() + dt.timedelta(days=days)).isoformat())
        return f"{day} {hours:02d}:{rest // 60:02d}:{rest % 60:02d}.000000"

    def day(self, value: dt.date | None) -> Any:
        if value is None or self.dialect != "sqlite":
            return value
        return value.isoformat()

    def rows(self, table: str, columns: Sequence[str], batch: list[tuple[Any, ...]]) -> None:
        if not batch:
            return
        names = ", ".join(columns)
        if self.dialect == "postgresql":
            with self.driver.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            self.driver.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)
        self.counts[table] = self.counts.get(table, 0) + len(batch)
        self.progress.advance(table, len(batch))

    def index(self, kind: str, record_id: int, texts: Sequence[tuple[str, str | None]]) -> None:
        """The search index rows ``services.search.engine.entries`` would make for these texts."""
        seen = set()
        rows: list[dict[str, Any]] = []
        for field_name, text in texts:
            if not text or text in seen:
                continue
            seen.add(text)
            entry = search._entry(kind, record_id, field_name, text)  # the index's own folding
            if entry:
                rows.append(entry)
        if self.dialect == "sqlite":  # FTS5 rows are found by rowid (see services/search/engine.py)
            self.pending_index.extend(tuple(e[c] for c in ("rowid", *INDEX_COLUMNS)) for e in search.with_rowids(rows))
        else:
            self.pending_index.extend(tuple(e[c] for c in INDEX_COLUMNS) for e in rows)
        if len(self.pending_index) >= 20_000:
            self.flush_index()

    def flush_index(self) -> None:
        columns = ("rowid", *INDEX_COLUMNS) if self.dialect == "sqlite" else INDEX_COLUMNS
        self.rows("search_index", columns, self.pending_index)
        self.pending_index = []

    def reset_sequences(self, conn: Connection) -> None:
        """PostgreSQL: later inserts must not collide with the ids written here; a sequence
        never moves back (setval is not undone by a rollback)."""
        if self.dialect != "postgresql":
            return
        for table in SEQUENCED:
            sequence = conn.exec_driver_sql(f"SELECT pg_get_serial_sequence('{table}', 'id')").scalar()
            highest = f"GREATEST((SELECT max(id) FROM {table}), (SELECT last_value FROM {sequence}))"
            conn.exec_driver_sql(f"SELECT setval('{sequence}', {highest})")


# Memory for building the search index's GIN indexes in one pass (this transaction only).
GIN_BUILD_MEMORY = "256MB"


@contextmanager
def search_indexes_after(conn: Connection, echo: Callable[[str], None] | None) -> Iterator[None]:
    """PostgreSQL: the search index's GIN indexes dropped while the rows go in and made again
    from the whole table at the end (they write through, without a pending list: millions of
    single inserts into them would take far longer than one build). In the build's transaction,
    so a failed build leaves them as they were."""
    if conn.dialect.name != "postgresql":
        yield
        return
    for name in (*search_index_table.PG_GIN_INDEXES, text_search.PG_INDEX):
        conn.exec_driver_sql(f"DROP INDEX {name}")
    yield
    if echo:
        echo("search index: building its trigram and phonetic indexes, and the text pages' index...")
    conn.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{GIN_BUILD_MEMORY}'")
    for sql in (*search_index_table.pg_gin_index_statements(), text_search.PG_CREATE_INDEX):
        conn.exec_driver_sql(sql)


@contextmanager
def sqlite_cache(conn: Connection, enabled: bool) -> Iterator[None]:
    """A large page cache while building on SQLite, restored afterwards. (``synchronous``
    stays as it is: the build is one transaction, so turning it off would save little and
    risk the database on a power loss.)"""
    if not enabled or conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before or -2000)}")


# --- files and their custody ----------------------------------------------------------------------


def file_bytes(seed: int, exhibit_no: str, kind: str) -> bytes:
    """0.5-4 KB of text standing for an exhibit's scan or transcript, the same for the same seed."""
    rng = rng_for(seed, f"file:{exhibit_no}")
    size = rng.randint(512, 4096)
    header = f"Synthetic exhibit {exhibit_no} ({kind.replace('_', ' ')}), seed {seed}\n\n".encode()
    body = rng.getrandbits(size * 4).to_bytes(size // 2 + 1, "big").hex()
    lines = "\n".join(body[i : i + 64] for i in range(0, len(body), 64)).encode()
    return (header + lines)[:size].rstrip() + b"\n"


def place_file(store: EvidenceStore, data: bytes) -> tuple[str, Path | None]:
    """Put ``data`` where the store keeps it (read-only, named by its hash); returns the hash
    and the path when this call created it (None when the bytes were already stored)."""
    sha256 = hashlib.sha256(data).hexdigest()
    target = store.path_for(sha256)
    if target.exists():
        return sha256, None
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(dir=target.parent, prefix=".synth-", suffix=".part")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(partial, target)
    os.chmod(target, stat.S_IRUSR | stat.S_IRGRP)
    return sha256, target


def write_files(
    writer: Writer, store: EvidenceStore, seed: int, filed: list[tuple[int, str, str]], created: list[Path]
) -> None:
    """Each file's bytes, its evidence_file row, and a custody chain of one "received" event
    hashed by services.evidence.custody itself, so ``evidence fixity`` verifies it like any other."""
    files, events, heads = [], [], []
    for file_id, (evidence_id, exhibit_no, kind) in enumerate(filed, start=1):
        data = file_bytes(seed, exhibit_no, kind)
        sha256, path = place_file(store, data)
        if path is not None:
            created.append(path)
        moment = EPOCH + dt.timedelta(seconds=evidence_id)
        name = f"{exhibit_no}.txt"
        files.append((file_id, evidence_id, sha256, len(data), "text/plain", name, writer.ts(evidence_id)))
        event = CustodyEvent(
            evidence_id=evidence_id,
            event_type="received",
            actor_id=None,
            actor_name=custody.actor_label(None),
            occurred_at=moment,
            from_party=None,
            to_party=None,
            location=custody.SYSTEM_LOCATION,
            purpose="Synthetic data set",
            evidence_file_id=file_id,
            verified_sha256=sha256,
            prev_hash=None,
        )
        digest = custody.event_hash(event)
        events.append(
            (file_id, evidence_id, "received", event.actor_name, writer.ts(evidence_id), event.location)
            + (event.purpose, file_id, sha256, digest)
        )
        heads.append((evidence_id, 1, digest))
    if created:
        os.sync()  # the bytes are on disk before the rows that name them commit
    file_columns = ("id", "evidence_id", "sha256", "size", "media_type", "original_name", "created_at")
    writer.rows("evidence_file", file_columns, files)
    event_columns = ("id", "evidence_id", "event_type", "actor_name", "occurred_at", "location", "purpose")
    writer.rows("custody_event", (*event_columns, "evidence_file_id", "verified_sha256", "event_hash"), events)
    writer.rows("custody_head", ("evidence_id", "event_count", "head_hash"), heads)


# --- the build ------------------------------------------------------------------------------------


def _files_for(spec: SynthSpec) -> set[int]:
    """The exhibits with a file: one in a hundred, at least one when there is any evidence."""
    if not spec.evidence:
        return set()
    wanted = max(1, spec.evidence // FILE_SHARE)
    return set(rng_for(spec.seed, "files").sample(range(1, spec.evidence + 1), wanted))


def build(
    session: Session,
    spec: SynthSpec,
    store: EvidenceStore,
    *,
    echo: Callable[[str], None] | None = None,
    tune: bool = False,
) -> dict[str, int]:
    """Write the whole set into ``session``'s transaction (flushed, not committed) and return
    the rows written per table. ``tune``: a larger SQLite page cache while building."""
    spec.check()
    check_empty(session)
    conn = session.connection()
    progress = Progress(echo)
    writer = Writer(conn, progress)
    created: list[Path] = []
    existing_states = dict(session.execute(select(State.code, State.id)).tuples().all())
    try:
        with sqlite_cache(conn, tune):
            with search_indexes_after(conn, echo):
                _build(writer, spec, store, existing_states, created)
                progress.stage("search index (last rows)", "search_index", len(writer.pending_index))
                writer.flush_index()
                progress.end()
            writer.reset_sequences(conn)
            if conn.dialect.name == "postgresql":
                # statistics for the planner: without them the digests' and summaries' reads
                # below, on millions of fresh rows, get plans fit for empty tables
                if echo:
                    echo("analysing the new tables...")
                conn.exec_driver_sql("ANALYZE")
            if echo:
                echo("act evidence digests...")
            act_evidence.refresh(conn)  # before the summaries, which read them
            if echo:
                echo(f"dossier summaries of {spec.officials:,} officials...")
            dossier_summaries.refresh(session)
    except BaseException:
        for path in created:  # the transaction rolls back; its files go too
            path.unlink(missing_ok=True)
        raise
    audit.record(session, "import", "synth_run", None, **asdict(spec), counts=dict(sorted(writer.counts.items())))
    session.flush()
    return writer.counts


def _build(writer: Writer, spec: SynthSpec, store: EvidenceStore, states: dict[str, int], created: list[Path]) -> None:
    frame, facts, progress = Frame(), Facts(), writer.progress
    main_bodies = sum(len(bodies) for bodies in TOP_INSTITUTIONS.values())
    progress.stage("institutions and positions", "institution", main_bodies + spec.officials // 60)
    write_states(writer, frame, states)
    write_institutions(writer, frame, spec.seed, spec.officials // 60)
    write_positions(writer, frame, spec.seed)
    write_acts(writer, frame)
    progress.stage("officials", "official", spec.officials)
    write_officials(writer, facts, frame, spec.seed, spec.officials)
    progress.stage("tenures", "tenure", 2 * spec.officials)
    write_tenures(writer, facts, frame, spec.seed)
    progress.stage("decisions", "decision", spec.decisions)
    write_decisions(writer, facts, frame, spec.seed, spec.decisions)
    progress.stage("evidence and supports", "evidence", spec.evidence)
    filed = write_evidence(writer, facts, spec.seed, spec.evidence, spec.support_count, _files_for(spec))
    progress.stage("files", "evidence_file", len(filed))
    write_files(writer, store, spec.seed, filed, created)
    if spec.text_pages:
        progress.stage("text pages (and their full-text index)", "text_page", spec.text_pages)
        ids = TextIds(first_file_id=len(filed) + 1, evidence_count=spec.evidence)
        write_text(writer, store, spec.seed, spec.text_pages, ids, place_file, created)
    progress.stage("dossiers", "dossier", spec.officials // 20)
    write_dossiers(writer, facts, spec.seed)
