"""Exhibit numbers: issued by the server, once each, when an exhibit is inserted.

A number is ``P-`` and a counter of at least four digits (P-0001, P-12345). The counter is the
key of the ``exhibit_number`` table (models/evidence.py ``ExhibitNumber``): issuing one is an
INSERT ... RETURNING in the transaction that inserts the exhibit, on either engine --

- on PostgreSQL the key is a sequence: concurrent creates never wait for one another and never
  get the same number, and nothing is refused; a create that rolls back leaves a gap (numbers
  are never reused, not always consecutive);
- on SQLite a writer holds the database's write lock from its first statement (models/base.py),
  and AUTOINCREMENT never goes below a number issued before.

Nobody chooses a number (the API refuses one): a chosen number would be refused when an exhibit
the chooser may not see holds it, which tells them it exists. Numbers written by other means --
the demo data set, ``demo synth``, exhibits from before the counter -- are passed by
``catch_up``; a number already on an exhibit is never issued again all the same.
"""

from __future__ import annotations

import re

from sqlalchemy import bindparam, exists, func, insert, select, text
from sqlalchemy.orm import Session

from models import Evidence, ExhibitNumber
from models.base import utcnow

PREFIX = "P-"
_NUMBER = re.compile(r"^P-(\d+)$")


def format_number(counter: int) -> str:
    return f"{PREFIX}{counter:04d}"


# Built once: an import issues thousands of numbers, and building the statements cost 8 times
# running them (2.5 s of CPU for 2,000 numbers on SQLite, 0.3 s so)
_ISSUE = insert(ExhibitNumber).values(issued_at=bindparam("now")).returning(ExhibitNumber.number)
_HELD = select(exists().where(Evidence.exhibit_no == bindparam("number")))


def issue(session: Session) -> str:
    """The next number, reserved in the session's transaction; a number some exhibit already
    holds (one written by other means) is passed over."""
    connection = session.connection()  # Core, not the ORM: no flush of the caller's pending work
    while True:
        number = format_number(connection.execute(_ISSUE, {"now": utcnow()}).scalar_one())
        if not connection.scalar(_HELD, {"number": number}):
            return number


def highest_on_record(session: Session) -> int:
    """The highest counter of a ``P-nnnn`` number on any exhibit, deleted and hidden ones included."""
    numbers = session.connection().scalars(select(Evidence.exhibit_no).where(Evidence.exhibit_no.like(f"{PREFIX}%")))
    return max((int(m.group(1)) for m in map(_NUMBER.match, numbers) if m), default=0)


def catch_up(session: Session) -> int:
    """Move the counter past every number on record, after exhibits were numbered by other
    means (a data set loaded in bulk); returns the highest. Not for concurrent use."""
    connection = session.connection()
    highest = highest_on_record(session)
    issued = connection.scalar(select(func.max(ExhibitNumber.number))) or 0
    if highest > issued:
        connection.execute(insert(ExhibitNumber).values(number=highest, issued_at=utcnow()))
    if connection.dialect.name == "postgresql":  # an explicit key does not move the sequence
        connection.execute(
            text(
                "SELECT setval(seq, :highest) FROM (SELECT pg_get_serial_sequence('exhibit_number', 'number') AS seq) s"
                " WHERE :highest > coalesce(pg_sequence_last_value(seq::regclass), 0)"
            ),
            {"highest": max(highest, issued)},
        )
    return highest
