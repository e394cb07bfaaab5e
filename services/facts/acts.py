"""Acts of aggression under UNGA Res. 3314 (1974), Art. 3.

Acts are edited, never deleted: decisions and evidence refer to them. Their rules: a unique
title, and a period whose end does not come before its start (at least one category and one
responsible State are the input's to give: the form and the schema require them). An act's
character, gravity and scale (element E5) are assessed once each: one finding per aspect.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from extensions import db
from models import ActAssessment, AggressionAct, PartialDate, State
from models.base import utcnow
from services.facts.errors import N_, Duplicate, writing
from services.facts.periods import check_period


@dataclass(frozen=True)
class ActInput:
    """What an act should be, every field given (an update merges what it leaves out)."""

    title: str
    categories: list[str]
    state_ids: list[int]
    start: PartialDate
    end: PartialDate | None
    description: str | None


def check_act(act: AggressionAct | None, data: ActInput) -> None:
    """Refuse a title already recorded, then a period that ends before it starts."""
    twin = db.session.scalar(select(AggressionAct).where(AggressionAct.title == data.title))
    if twin is not None and twin is not act:
        raise Duplicate(
            "title", N_("The act %(title)s is already recorded (#%(id)d)."), twin=twin, title=twin.title, id=twin.id
        )
    check_period(data.start, data.end)


def save_act(act: AggressionAct | None, data: ActInput) -> AggressionAct:
    """Add (``act`` None) or change an act; flushed, not committed.
    Raises Invalid or Duplicate (nothing written), or EditConflict."""
    check_act(act, data)
    states = list(db.session.scalars(select(State).where(State.id.in_(data.state_ids)).order_by(State.code)))

    def raced() -> Duplicate:
        return Duplicate(
            "title",
            N_("An act with this title is already recorded."),
            detail=f"An act titled {data.title} is already recorded.",
        )

    with writing(raced):
        if act is None:
            act = AggressionAct()
            db.session.add(act)
        act.title = data.title
        act.categories = data.categories
        act.states = states
        act.start, act.end = data.start, data.end
        act.description = data.description
        # Categories and States live in other tables; touching the row makes every save bump
        # (and check) the version, so a concurrent change to them is refused too.
        act.updated_at = utcnow()
    return act


def save_assessment(
    act: AggressionAct, aspect: str, finding: str, assessment: ActAssessment | None = None
) -> ActAssessment:
    """Record the act's finding on ``aspect`` (``assessment`` None), or change ``assessment``'s;
    flushed, not committed. A new one is refused (Duplicate) when the act has one of this
    aspect already, found before or by the database; a stale version raises EditConflict."""
    if assessment is None:
        twin = act.assessment(aspect)
        if twin is not None:
            raise Duplicate(
                "aspect",
                N_("This assessment is recorded already (#%(id)d): change it instead."),
                twin=twin,
                detail=f"The {aspect} of this act is already recorded (#{twin.id}).",
                id=twin.id,
            )

    def raced() -> Duplicate:
        return Duplicate(
            "aspect",
            N_("Someone else recorded this assessment meanwhile. Nothing was saved: reload to see it."),
            detail=f"The {aspect} of this act is already recorded.",
        )

    with writing(raced):
        if assessment is None:
            assessment = ActAssessment(act=act, aspect=aspect)
            db.session.add(assessment)
        assessment.finding = finding.strip()
    return assessment
