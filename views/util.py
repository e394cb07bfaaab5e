"""Helpers shared by the blueprints: role checks, safe redirects, record loading."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.routing import IntegerConverter, Map
from werkzeug.wrappers import Response

from extensions import db
from models import Institution, State
from services.common.access import role_at_least
from services.facts import institutions as institution_service
from services.facts.errors import FactRefused
from services.search.engine import MAX_QUERY_LENGTH, MIN_QUERY_CHARACTERS, QueryError

F = TypeVar("F", bound=Callable[..., Any])

# What a view showing a form returns: a redirect, a page, or a page with a status.
FormPage = Response | str | tuple[str, int]


def optional_text(value: str | None) -> str | None:
    """A text field's value, stripped; None when nothing is left (stored as NULL, not '')."""
    return (value or "").strip() or None


# Ids are 32-bit integers on PostgreSQL: a larger number names no record. Checked before a
# query, since SQLite's driver cannot even bind an integer past 2^63 (OverflowError, a 500).
MAX_ID = 2**31 - 1


class RecordIdConverter(IntegerConverter):
    """``<int:...>`` in a path: a larger number than any id matches no route (404)."""

    def __init__(self, map: Map, *args: Any, max: int | None = MAX_ID, **kwargs: Any) -> None:  # noqa: A002  (werkzeug's name)
        kwargs["max"] = max
        super().__init__(map, *args, **kwargs)


def refusal_on_form(form: Any, refusal: FactRefused, field: str | None = None) -> None:
    """Show a facts service's refusal beside the field it names (or ``field``, where the
    form calls it otherwise)."""
    shown = form[field or refusal.field]
    shown.errors = [*shown.errors, refusal.message]


def int_or_404(value: str) -> int:
    """An id taken from a query argument; a malformed one, or one larger than any id, is a
    missing record."""
    if not (value.isdecimal() and value.isascii() and len(value) <= len(str(MAX_ID))) or int(value) > MAX_ID:
        abort(404)
    return int(value)


def role_required(role: str) -> Callable[[F], F]:
    """403 unless the signed-in user's role includes ``role`` (the sign-in gate runs first)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not role_at_least(current_user, role):
                abort(403)
            return view(*args, **kwargs)

        setattr(wrapped, "required_role", role)  # noqa: B010 -- read by the access-matrix test
        return wrapped  # type: ignore[return-value]

    return decorator


def request_handler(request: Any) -> Any:
    """The function that answers ``request``: its view, or for a resource (a MethodView) the
    method's function, where decorators leave their marks (required_role, accepts_files,
    flask-smorest's _apidoc); None for an unknown address."""
    view: Any = current_app.view_functions.get(request.endpoint or "")
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        method = request.method.lower()
        view = getattr(view_class, "get" if method == "head" else method, None)
    return view


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a same-site relative path, else None.

    Refuses absolute URLs, scheme-relative ``//host``, backslash tricks (``/\\host``, which
    browsers read as ``//host``), ``javascript:`` and anything with control characters.
    """
    if not target or len(target) > 2000:
        return None
    if any(ord(ch) < 32 or ch == "\\" for ch in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def state_choices() -> list[tuple[int, str]]:
    """Every State, for a select: "Russian Federation (RU)"."""
    return [(s.id, f"{s.name} ({s.code})") for s in db.session.scalars(select(State).order_by(State.name))]


def state_filter_choices() -> list[tuple[str, str]]:
    """Every State for a list's filter, by code: "RU · Russian Federation"."""
    return [(s.code, f"{s.code} · {s.name}") for s in db.session.scalars(select(State).order_by(State.code))]


def institution_choices() -> list[tuple[int, str]]:
    """Every institution with its State, for a select: "Ministry of Defence (RU)"."""
    institutions = db.session.scalars(
        select(Institution).options(joinedload(Institution.state)).order_by(Institution.name)
    )
    return [(i.id, institution_service.labelled(i)) for i in institutions]


def institution_filter(value: str) -> list[int]:
    """The institutions a list's institution filter names (typed text, a label the picker
    chose, or a number from a link), best first; 400 naming the rule when the text cannot be
    looked up."""
    try:
        return institution_service.matching_ids(db.session(), value)
    except QueryError:
        abort(
            400,
            description=_(
                "The institution filter needs %(least)d to %(most)d letters or digits of a name.",
                least=MIN_QUERY_CHARACTERS,
                most=MAX_QUERY_LENGTH,
            ),
        )


def institution_shown(value: str) -> str:
    """What an institution filter's field shows: the label of an institution given by number
    (a link's ``institution=12``), otherwise the text as typed."""
    value = value.strip()
    if value.isdigit() and len(value) < 10:
        institution = db.session.get(Institution, int(value), options=[joinedload(Institution.state)])
        if institution is not None:
            return institution_service.labelled(institution)
    return value
