"""Answers for a database or an evidence store that cannot serve a request right now.

Never a 500 for these, always an answer that says what happened and what to do, as a page
or, on the API, as problem details:

- Lock contention (SQLite still "database is locked" after ``SQLITE_BUSY_TIMEOUT_MS``; a
  PostgreSQL deadlock, lock or statement timeout; no pooled connection free in time):
  503 with ``Retry-After``. The transaction was rolled back: nothing was changed.
- The database cannot be reached (PostgreSQL restarting or refusing connections, a
  connection dropped under a request): 503 with ``Retry-After``. Pooled connections are
  checked before use, so the first request once it is back is served as usual.
- The evidence store's file system is full (``services.evidence.store.StoreFull``): 507 naming the
  store and the size of the upload; the partial file is removed when the request closes
  (views/uploads.py). The database's disk full: 507 too.

Each is logged for the operator (the full store with its path and free space).
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass

from flask import Response, current_app, g, render_template, request
from flask_babel import gettext as _
from sqlalchemy import exc, inspect

from services.evidence.exhibits import human_size
from services.evidence.store import StoreFull
from views.api import problems

# Seconds a client should wait before trying again
RETRY_BUSY = 5
RETRY_UNREACHABLE = 30

# SQLite result codes (sqlite3 exposes them from Python 3.11 on)
_SQLITE_BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_SQLITE_GONE = sqlite3.SQLITE_CANTOPEN  # the file cannot be opened (its volume went away)
_SQLITE_FULL = sqlite3.SQLITE_FULL
# PostgreSQL SQLSTATEs: 40xxx transaction rollback (deadlock, serialization), 55P03 lock not
# available, 57014 statement timeout; 08xxx connection exceptions, 57P0x shutting down or
# starting up, 53300 too many connections; 53100 disk full.
_PG_BUSY = ("40", "55P03", "57014")
_PG_UNREACHABLE = ("08", "57P", "53300")
_PG_FULL = "53100"


@dataclass(frozen=True)
class Trouble:
    kind: str  # "busy", "unreachable" or "full"
    status: int
    retry_after: int | None


BUSY = Trouble("busy", 503, RETRY_BUSY)
UNREACHABLE = Trouble("unreachable", 503, RETRY_UNREACHABLE)
DATABASE_FULL = Trouble("full", 507, None)


def database_trouble(error: BaseException) -> Trouble | None:
    """What ``error`` says about the database, when it is one of the troubles above."""
    if isinstance(error, exc.TimeoutError):  # the connection pool had none free in time
        return BUSY
    if not isinstance(error, exc.DBAPIError):
        return None
    if error.connection_invalidated:
        return UNREACHABLE
    original = error.orig
    if isinstance(original, sqlite3.Error):
        code = getattr(original, "sqlite_errorcode", None)
        if code in _SQLITE_BUSY:
            return BUSY
        if code == _SQLITE_GONE:
            return UNREACHABLE
        return DATABASE_FULL if code == _SQLITE_FULL else None
    if type(original).__module__.startswith("psycopg") and isinstance(error, exc.OperationalError):
        state = getattr(original, "sqlstate", None) or ""
        if state == _PG_FULL:
            return DATABASE_FULL
        if state.startswith(_PG_BUSY):
            return BUSY
        if not state or state.startswith(_PG_UNREACHABLE):  # no SQLSTATE: the connection failed
            return UNREACHABLE
    return None


def response_for(error: BaseException) -> Response | None:
    """The answer for ``error`` when it is an outage of the database or the store, else None."""
    if isinstance(error, StoreFull):
        _without_the_database()
        return _store_full(error)
    trouble = database_trouble(error)
    if trouble is None:
        return None
    _without_the_database()
    current_app.logger.warning("database %s: %s", trouble.kind, str(error).splitlines()[0])
    messages = {
        "busy": _(
            "The database is busy with another change (an import, perhaps). Nothing was changed: "
            "try again in a few seconds."
        ),
        "unreachable": _(
            "The database cannot be reached right now (it may be restarting). Try again in a minute; "
            "if you were saving a change, check afterwards whether it was saved."
        ),
        "full": _("The database's disk is full. Nothing was changed; the administrators must make room."),
    }
    titles = {"busy": _("Busy"), "unreachable": _("Unavailable"), "full": _("Disk full")}
    return _answer(trouble.status, titles[trouble.kind], messages[trouble.kind], trouble.retry_after)


def _store_full(error: StoreFull) -> Response:
    needed = request.content_length or error.received
    try:
        free: int | None = shutil.disk_usage(error.directory).free
    except OSError:
        free = None
    current_app.logger.error(
        "evidence store full: %s has %s bytes free; refused an upload of %s bytes (%s %s)",
        error.directory,
        "unknown" if free is None else free,
        needed,
        request.method,
        request.path,
    )
    amount, unit = human_size(needed)
    message = _(
        "The evidence store has no room for this upload of %(amount)s %(unit)s. Nothing was stored; "
        "the administrators have been told.",
        amount=amount,
        unit=unit,
    )
    return _answer(507, _("Evidence store full"), message, None)


def _without_the_database() -> None:
    """The answer names the signed-in user (the page's header, the language chosen): not
    loaded yet (the database failed while loading them) or expired by the rollback, they
    would be read from the database again. The answer is then made as to a visitor."""
    user = g.get("_login_user")
    state = inspect(user, raiseerr=False) if user is not None else None
    if user is None or (state is not None and state.expired_attributes):
        g._login_user = getattr(current_app, "login_manager").anonymous_user()  # noqa: B009 -- set by flask-login


def _answer(status: int, title: str, message: str, retry_after: int | None) -> Response:
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    if problems.is_api_request():
        return problems.problem(status, message, headers=headers)
    body = render_template("error.html", code=status, title=title, message=message)
    response = Response(body, status=status, mimetype="text/html")
    response.headers.update(headers)
    return response
