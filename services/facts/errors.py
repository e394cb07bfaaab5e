"""How the facts services refuse a write, and the savepoint that turns a concurrent
duplicate into the same refusal as one found beforehand."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask_babel import gettext
from sqlalchemy.exc import IntegrityError

from extensions import db
from services.common import records

T = TypeVar("T")


def N_(text: str) -> str:  # noqa: N802  (the name the message extractor looks for)
    """Marks ``text`` as a message to translate; it is translated when the refusal is raised."""
    return text


class FactRefused(Exception):
    """A write refused by a rule, nothing flushed. ``field`` names the input at fault (as the
    API calls it); ``message`` is the sentence in the user's language, for the pages;
    ``detail`` the sentence in English, as the API answers (its problems are not translated).
    Both come from ``text`` and ``params`` unless ``detail`` is given: the API has said some
    refusals in its own words since it began."""

    def __init__(self, field: str, text: str, *, detail: str | None = None, **params: Any) -> None:
        self.field = field
        self.message = gettext(text, **params)
        self.detail = detail if detail is not None else text % params if params else text
        super().__init__(f"{field}: {self.detail}")


class Invalid(FactRefused):
    """A value or a reference the rules refuse (the API answers 422)."""


class Duplicate(FactRefused):
    """The record would duplicate one that exists (the API answers 409). ``twin`` is that
    record, or None when only the database saw it: a concurrent save got there first."""

    def __init__(self, field: str, text: str, *, twin: Any = None, detail: str | None = None, **params: Any) -> None:
        super().__init__(field, text, detail=detail, **params)
        self.twin = twin


def existing(model: type[T], record_id: int | None, field: str, *, live: bool = True) -> T | None:
    """The record ``field`` refers to (None for none), refused when there is no such record
    (or, with ``live``, it is soft-deleted)."""
    if record_id is None:
        return None
    record = db.session.get(model, record_id)
    if record is None or (live and getattr(record, "deleted_at", None) is not None):
        raise Invalid(field, N_("There is no record %(id)d."), id=record_id)
    return record


@contextmanager
def writing(raced: Callable[[], Duplicate]) -> Iterator[None]:
    """Set a record's fields inside this block; they are flushed in a savepoint when it ends.

    The duplicate checks run before, but a concurrent request may save the same unique key in
    between: the constraint then refuses the flush, only the savepoint is undone, and
    ``raced()`` is raised. A concurrent edit (a version that moved) raises EditConflict.
    Nothing reaches the database before every field is set: the version is checked once."""
    try:
        with db.session.begin_nested(), db.session.no_autoflush:
            yield
            records.flush_or_conflict(db.session())
    except IntegrityError as exc:
        raise raced() from exc
