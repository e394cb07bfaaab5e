"""Positions: the posts within an institution, with their tier and troika flag.

Positions are edited, never deleted: tenures refer to them. Their rules: the institution
exists, and the title is unique within it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from extensions import db
from models import Institution, Position
from services.facts.errors import N_, Duplicate, existing, writing


@dataclass(frozen=True)
class PositionInput:
    """What a position should be, every field given (an update merges what it leaves out)."""

    institution_id: int
    title: str
    tier: str
    troika: str | None


def check_position(position: Position | None, data: PositionInput) -> None:
    """Refuse an institution that does not exist, then a title it already has."""
    existing(Institution, data.institution_id, "institution_id")
    twin = db.session.scalar(
        select(Position).where(Position.institution_id == data.institution_id, Position.title == data.title)
    )
    if twin is not None and twin is not position:
        raise Duplicate(
            "title",
            N_("%(institution)s already has the position %(title)s (#%(id)d)."),
            detail=f"Institution #{data.institution_id} already has the position {data.title} (#{twin.id}).",
            twin=twin,
            institution=twin.institution.name,
            title=twin.title,
            id=twin.id,
        )


def save_position(position: Position | None, data: PositionInput) -> Position:
    """Add (``position`` None) or change a position; flushed, not committed.
    Raises Invalid or Duplicate (nothing written), or EditConflict."""
    check_position(position, data)

    def raced() -> Duplicate:
        return Duplicate(
            "title",
            N_("This institution already has a position with this title."),
            detail=f"Institution #{data.institution_id} already has a position titled {data.title}.",
        )

    with writing(raced):
        if position is None:
            position = Position()
            db.session.add(position)
        position.institution_id = data.institution_id
        position.title = data.title
        position.tier = data.tier
        position.troika = data.troika
    return position
