"""Which dossier pages a change reaches: each official's page version, so that a write moves
the versions of the pages it can alter and leaves every other cached page in place.

Why: the page cache (views/page_cache.py) used to drop every rendered dossier at each change
of case data anywhere; with a team writing once a second it kept nothing. Now a commit that
changes case data (services/common/generation.py) also works out, from its audit events,
which officials' dossier pages can show the change, and stamps them with the generation it
brings (table ``official_page_version``). A dossier page is cached under its official's stamp
and the *shared* generation, which moves only for changes that reach too many pages to name
(an act of aggression, a State, a user's name, an import, a kind of record not mapped here).

What a dossier page of official X shows, and so which changes stamp X:
  * X's record, names and identifiers, tenures (with their positions and institutions),
    involvements (with their decisions, the decisions' institutions and acts), dossier, its
    status changes and chosen modes, exports that included X, the tasks made of its gaps;
  * the exhibits on those facts (title, grades, classification, files), and on the acts;
  * the other officials of X's decisions (names, in the network): a change of an official
    or of an involvement also stamps everyone in the same decisions.
A change this module cannot place (a kind of record not listed in ``_KINDS``) or one that
reaches more than ``WIDE`` officials moves the shared generation instead: a page is never
kept past a change it shows, only, at worst, dropped when it need not be.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import (
    DataGeneration,
    Decision,
    Dossier,
    EvidenceFile,
    Involvement,
    ModeChoice,
    OfficialPageVersion,
    Support,
    Task,
)
from services.common import generation
from services.dossiers.summaries import TARGETS, Seeds, chunks

# The counter of changes that reach too many dossier pages to name (row 2 of data_generation).
SHARED_ROW_ID = 2
# Officials a commit may stamp one by one; a change reaching more moves the shared generation.
WIDE = 500

# Audit entity types and the Seeds kind each stands for (None: resolved below by its columns)
_KINDS: dict[str, str | None] = {
    "official": "official",
    "tenure": "tenure",
    "position": "position",
    "institution": "institution",
    "involvement": "involvement",
    "decision": "decision",
    "evidence": "evidence",
    "official_name": None,
    "external_identifier": None,
    "dossier": None,
    "dossier_status_change": None,
    "mode_choice": None,
    "charged_mode": None,
    "support": None,
    "evidence_file": None,
    "task": None,
}
# Audit entity types no kept dossier page shows: a job's state shows on its exhibit's page;
# comments, watches and notifications are the reader's own, put around the kept content
# (views/dossiers.py ``_framed``)
# (views/dossiers.py ``_framed``); so is the disclosure of its contradicting exhibits to the defence
_ON_NO_DOSSIER_PAGE = frozenset(
    {
        "job",
        "comment",
        "comment_revision",
        "watch",
        "notification",
        "disclosure_recipient",
        "disclosure_batch",
        "disclosure_item",
    }
)


class _Shared(Exception):
    """The change reaches pages this module does not name one by one."""


def _values(row: dict[str, Any], column: str) -> list[int]:
    """The column's value before and after the change, as far as the event holds them."""
    found = [(row.get(side) or {}).get(column) for side in ("before", "after")]
    return [v for v in found if isinstance(v, int)]


def _ids(session: Session, column: Any, key: Any, keys: Iterable[int]) -> set[int]:
    """``column``'s values in the rows whose ``key`` is one of ``keys``."""
    query: Select[Any] = select(column).where(key.in_(bindparam("keys", expanding=True))).distinct()
    found: set[int] = set()
    for part in chunks(keys, 500):
        found.update(session.scalars(query, {"keys": part}))
    return found


def touched_officials(session: Session, rows: Sequence[dict[str, Any]]) -> set[int]:
    """The officials whose dossier page can show the changes ``rows`` (audit events) record;
    raises _Shared when some change cannot be placed or reaches more than ``WIDE``."""
    seeds = Seeds()
    officials: set[int] = set()
    dossiers: set[int] = set()
    choices: set[int] = set()
    supports: set[int] = set()
    files: set[int] = set()
    tasks: set[int] = set()
    for row in rows:
        kind, record_id = row["entity_type"], row["entity_id"]
        if kind in _ON_NO_DOSSIER_PAGE:
            continue
        if kind not in _KINDS:
            raise _Shared(kind)
        seed = _KINDS[kind]
        if seed is not None and isinstance(record_id, int):
            seeds.add(seed, [record_id])
        if kind in ("tenure", "involvement", "dossier", "official_name", "external_identifier", "task"):
            officials.update(_values(row, "official_id"))
        if kind == "involvement":
            seeds.add("decision", _values(row, "decision_id"))  # the decisions' other officials
        elif kind in ("official_name", "external_identifier") and row.get("parent_type") == "official":
            officials.update(v for v in [row.get("parent_id")] if isinstance(v, int))
        elif kind == "dossier":
            dossiers.update(v for v in [record_id] if isinstance(v, int))
        elif kind in ("dossier_status_change", "mode_choice"):
            dossiers.update(_values(row, "dossier_id"))
            if kind == "mode_choice" and isinstance(record_id, int):
                choices.add(record_id)
        elif kind == "charged_mode":
            choices.update(_values(row, "choice_id"))
        elif kind == "support":
            for target in TARGETS:
                seeds.add(target, _values(row, f"{target}_id"))
            supports.update(v for v in [record_id] if isinstance(v, int))
        elif kind == "task" and isinstance(record_id, int):  # a gap's task shows beside the gap
            tasks.add(record_id)
        elif kind == "evidence_file":
            seeds.add("evidence", _values(row, "evidence_id"))
            files.update(v for v in [record_id] if isinstance(v, int))
    # What the events leave out (an update names only the columns it changed): read it
    if choices:
        dossiers |= _ids(session, ModeChoice.dossier_id, ModeChoice.id, choices)
    officials |= _ids(session, Dossier.official_id, Dossier.id, dossiers)
    officials |= _ids(session, Task.official_id, Task.id, tasks)
    for target in TARGETS:
        seeds.add(target, _ids(session, getattr(Support, f"{target}_id"), Support.id, supports))
    seeds.add("evidence", _ids(session, EvidenceFile.evidence_id, EvidenceFile.id, files))
    # a decision shows the institution that took it
    seeds.add("decision", _ids(session, Decision.id, Decision.institution_id, seeds.ids["institution"]))
    if seeds.ids["official"] or seeds.ids["involvement"]:
        # an official's name, and who took part, show on the pages of everyone in the same decisions
        seeds.add("decision", _decisions_of(session, seeds.ids["official"], seeds.ids["involvement"]))
    seeds.add("official", officials)
    found = seeds.officials(session.connection())
    if len(found) > WIDE:
        raise _Shared(f"{len(found)} officials")
    return found


def _decisions_of(session: Session, officials: set[int], involvements: set[int]) -> set[int]:
    return _ids(session, Involvement.decision_id, Involvement.official_id, officials) | _ids(
        session, Involvement.decision_id, Involvement.id, involvements
    )


def _stamp(session: Session, officials: set[int], value: int) -> None:
    """Upsert the officials' page versions (in id order: writers lock rows alike)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for part in chunks(sorted(officials), 500):
        statement = insert(OfficialPageVersion).values([{"official_id": i, "generation": value} for i in part])
        session.execute(
            statement.on_conflict_do_update(
                index_elements=[OfficialPageVersion.official_id], set_={"generation": statement.excluded.generation}
            )
        )


def before_commit(session: Session) -> None:
    """After the data generation moved (services/common/generation.py): stamp the pages the
    commit's changes reach, or move the shared generation."""
    if session.get_nested_transaction() is not None:
        return
    committing = generation.committing(session)
    if committing is None:
        return
    value, rows = committing
    try:
        officials = touched_officials(session, rows)
    except _Shared:
        generation.bump(session, SHARED_ROW_ID)
        return
    if officials:
        _stamp(session, officials, value)


def current(session: Session, official_id: int) -> tuple[int, int]:
    """What an official's cached dossier page is kept under: the shared generation and the
    official's page version, read together."""
    shared = select(DataGeneration.value).where(DataGeneration.id == SHARED_ROW_ID).scalar_subquery()
    own = select(OfficialPageVersion.generation).where(OfficialPageVersion.official_id == official_id).scalar_subquery()
    row = session.execute(select(shared, own)).one()
    return int(row[0] or 0), int(row[1] or 0)
