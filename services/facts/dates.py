"""No fact is dated after today: the last guard, on every ORM flush.

Forms (forms/fields.py), the API (views/api/common.py) and the importers refuse a future date
with a message naming the field; this listener catches any other path (a CLI command, a
service called from code) before a future-dated decision, tenure, act, birth or collection
reaches the database. A CHECK constraint cannot do it: "today" moves, and SQLite forbids
non-deterministic functions in constraints.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from models import AggressionAct, Decision, Evidence, Official, Tenure
from models.partial_date import after_today, utc_today

# The date columns of each kind of record that states a fact
DATED: dict[type, tuple[str, ...]] = {
    Decision: ("date",),
    Tenure: ("start_date", "end_date"),
    AggressionAct: ("start_date", "end_date"),
    Official: ("birth_date",),
    Evidence: ("collected_on",),
}


class FutureDateError(ValueError):
    """A record dated after today; the message names the record and the column."""


def check(objects: Iterable[Any]) -> None:
    today = utc_today()
    for obj in objects:
        for column in DATED.get(type(obj), ()):
            value = getattr(obj, column, None)
            if value is not None and after_today(value, today):
                raise FutureDateError(
                    f"{type(obj).__name__} {column} {value.isoformat()} is after today ({today}): no fact can be"
                    " dated in the future"
                )


def before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    check(obj for obj in (*session.new, *session.dirty) if type(obj) in DATED)
