"""Institutions: the public bodies of a State, each optionally part of another.

Institutions are edited, never deleted: tenures and decisions refer to them. Their rules: the
parent exists and does not put the institution inside itself, and the name is unique in the
State.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from extensions import db
from models import Institution, State
from services.facts.errors import N_, Duplicate, Invalid, existing, writing


@dataclass(frozen=True)
class InstitutionInput:
    """What an institution should be, every field given (an update merges what it leaves out)."""

    state_id: int
    name: str
    native_name: str | None
    kind: str
    parent_id: int | None


# "Ministry of Defence (RU)": how a picker shows an institution, and how a filter reads it back
_LABELLED = re.compile(r"(?P<name>.+) \((?P<state>[A-Z]{2,3})\)")
LOOKUP_LIMIT = 20


def labelled(institution: Institution) -> str:
    """The institution as a picker and a filter field show it: its name and its State's code."""
    return f"{institution.name} ({institution.state.code})"


def matching_ids(session: Session, text: str, limit: int | None = None) -> list[int]:
    """Institutions a filter's text names, best first: an institution's number; its label as
    ``labelled`` writes it (the name exactly, in that State); otherwise every institution
    whose name or native name the search finds for the text, in any script. Raises the
    search's QueryError (its message says why) for text too short or too long to look up."""
    from services.search import engine as search

    text = text.strip()
    if text.isdigit() and len(text) < 10:
        return [int(text)]
    labelled_as = _LABELLED.fullmatch(text)
    if labelled_as:
        exact = session.scalars(
            select(Institution.id)
            .join(State, Institution.state_id == State.id)
            .where(Institution.name == labelled_as["name"], State.code == labelled_as["state"])
        ).all()
        if exact:
            return list(exact)
    query = search.parse_query(text)
    dialect = session.get_bind().dialect.name
    found: list[int] = []
    for row in session.execute(search.candidates_query(dialect, "institution", query, ())):
        if row.record_id not in found:
            found.append(row.record_id)
            if limit is not None and len(found) >= limit:
                break
    return found


def lookup(session: Session, text: str, limit: int = LOOKUP_LIMIT) -> list[Institution]:
    """Institutions for a picker, best first (empty when the text is too short to look up)."""
    from services.search import engine as search

    try:
        ids = matching_ids(session, text, limit)
    except search.QueryError:
        return []
    by_id = {
        i.id: i
        for i in session.scalars(
            select(Institution).where(Institution.id.in_(ids)).options(joinedload(Institution.state))
        )
    }
    return [by_id[i] for i in ids if i in by_id]


def inside(institution_id: int, parents: Mapping[int, int | None]) -> set[int]:
    """The institution and every one under it, at any depth, given each institution's parent:
    none of them can be its parent (a body cannot sit inside itself)."""
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found: set[int] = set()
    todo = [institution_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, []))
    return found


def _parents() -> dict[int, int | None]:
    return {row.id: row.parent_id for row in db.session.execute(select(Institution.id, Institution.parent_id))}


def institution_named(state_id: int, name: str) -> Institution | None:
    return db.session.scalar(select(Institution).where(Institution.state_id == state_id, Institution.name == name))


def check_institution(institution: Institution | None, data: InstitutionInput) -> None:
    """Refuse a parent that does not exist or lies inside the institution, then a name
    already recorded in the State."""
    existing(Institution, data.parent_id, "parent_id")
    if institution is not None and data.parent_id is not None and data.parent_id in inside(institution.id, _parents()):
        raise Invalid("parent_id", N_("An institution cannot be part of itself or of one under it."))
    twin = institution_named(data.state_id, data.name)
    if twin is not None and twin is not institution:
        raise Duplicate(
            "name",
            N_("%(name)s (%(state)s) is already recorded as institution #%(id)d."),
            twin=twin,
            name=twin.name,
            state=twin.state.code,
            id=twin.id,
        )


def save_institution(institution: Institution | None, data: InstitutionInput) -> Institution:
    """Add (``institution`` None) or change an institution; flushed, not committed.
    Raises Invalid or Duplicate (nothing written), or EditConflict."""
    check_institution(institution, data)
    state = db.session.get(State, data.state_id)
    code = state.code if state is not None else ""

    def raced() -> Duplicate:
        return Duplicate(
            "name",
            N_("An institution of this State with this name is already recorded."),
            detail=f"An institution of {code} named {data.name} is already recorded.",
        )

    with writing(raced):
        if institution is None:
            institution = Institution()
            db.session.add(institution)
        institution.state_id = data.state_id
        institution.name = data.name
        institution.native_name = data.native_name
        institution.kind = data.kind
        institution.parent_id = data.parent_id
    return institution
