"""Tenures: an official's time in a position, from a partial start to a partial end.

Their rules: the official is a live one (a deleted official's tenures go with their page) and
the position exists; one tenure per official, position and start; the end not before the
start; a tenure with evidence linked to it cannot be removed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select

from extensions import db
from models import Official, PartialDate, Position, Support, Tenure
from services.common import records
from services.facts.errors import N_, Duplicate, FactRefused, existing, writing
from services.facts.periods import check_period


@dataclass(frozen=True)
class TenureInput:
    """What a tenure should be, every field given (an update merges what it leaves out)."""

    official_id: int
    position_id: int
    start: PartialDate
    end: PartialDate | None
    note: str | None


class InUse(FactRefused):
    """Other records refer to this one: it cannot be removed (the API answers 409 in-use)."""


def check_tenure(tenure: Tenure | None, data: TenureInput) -> Official:
    """Refuse a missing or deleted official (for a new tenure), a missing position, a period
    that ends before it starts, then a second tenure of the official in the position from the
    same start. Returns the official."""
    official = tenure.official if tenure is not None else existing(Official, data.official_id, "official_id")
    existing(Position, data.position_id, "position_id")
    check_period(data.start, data.end)
    twin = db.session.scalar(
        select(Tenure).where(
            Tenure.official_id == data.official_id,
            Tenure.position_id == data.position_id,
            Tenure.start_date == data.start.value,
        )
    )
    if twin is not None and twin is not tenure:
        raise Duplicate(
            "start_date",
            N_("%(name)s already has a tenure in this position from %(start)s."),
            detail=f"The official already has a tenure in this position from {data.start} (#{twin.id}).",
            twin=twin,
            name=official.name,  # type: ignore[union-attr]  # existing() refused a missing one
            start=str(data.start),
        )
    return official  # type: ignore[return-value]


def save_tenure(tenure: Tenure | None, data: TenureInput) -> Tenure:
    """Add (``tenure`` None) or change a tenure; its official stays its own. Flushed, not
    committed. Raises Invalid or Duplicate (nothing written), or EditConflict."""
    check_tenure(tenure, data)

    def raced() -> Duplicate:
        return Duplicate(
            "start_date",
            N_("The official already has a tenure in this position from that date."),
        )

    with writing(raced):
        if tenure is None:
            tenure = Tenure(official_id=data.official_id)
            db.session.add(tenure)
        tenure.position_id = data.position_id
        tenure.start, tenure.end = data.start, data.end
        tenure.note = data.note
    return tenure


def delete_tenure(tenure: Tenure) -> None:
    """Remove a tenure entered in error; refused (InUse) while evidence is linked to it,
    whoever may see that evidence, deleted or not."""
    if db.session.scalar(select(exists().where(Support.tenure_id == tenure.id))):
        raise InUse("id", N_("This tenure has evidence linked to it: remove those links first."))
    db.session.delete(tenure)
    records.flush_or_conflict(db.session())
