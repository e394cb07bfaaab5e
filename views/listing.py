"""Paginated, sortable, filterable lists: one mechanism for every kind of record.

Sorting and filtering take field names only from the allowlists a view declares, so a
request can never name an arbitrary column; unknown values fall back to the defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import abort, current_app, request
from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from services.common.filters import FilterError, date_range_filter, narrow

__all__ = ["Page", "date_range_filter", "page_number", "paginate"]

MAX_PER_PAGE = 200


@dataclass
class Page:
    rows: list[Any]
    total: int
    page: int
    per_page: int
    sort: str
    direction: str
    args: dict[str, str] = field(default_factory=dict)  # the active filters, for links
    errors: list[str] = field(default_factory=list)  # filter values that were refused

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def link_args(self, **changes: Any) -> dict[str, Any]:
        """Query arguments for a link to another page or order of the same list."""
        args: dict[str, Any] = {**self.args, "sort": self.sort, "dir": self.direction, "page": self.page}
        args.update(changes)
        return {k: v for k, v in args.items() if v not in (None, "")}


def paginate(
    session: Session,
    query: Select[Any],
    *,
    sorts: Mapping[str, Sequence[Any]],
    default_sort: str,
    filters: Mapping[str, Callable[[Select[Any], str], Select[Any]]] = {},  # noqa: B006  (read only)
    default_direction: str = "asc",
    per_page: int | None = None,
    extra_args: Mapping[str, str] | None = None,
    unique: bool = False,
) -> Page:
    """Apply the requested filters, order and page to ``query``.

    ``sorts`` maps a sort name to the columns to order by; ``filters`` maps a query-string
    argument to a function that narrows the query with the (non-empty) value given;
    ``extra_args`` are filters the view applied itself, kept in the page's links.
    """
    args: dict[str, str] = dict(extra_args or {})
    try:
        query, applied = narrow(query, filters, request.args)
    except FilterError as exc:
        abort(400, description=str(exc))
    args.update(applied)
    sort = request.args.get("sort", default_sort)
    if sort not in sorts:
        sort = default_sort
    direction = request.args.get("dir", default_direction)
    if direction not in ("asc", "desc"):
        direction = default_direction
    columns = [c.desc() if direction == "desc" else c.asc() for c in sorts[sort]]
    size = min(per_page or current_app.config.get("LIST_PER_PAGE", 50), MAX_PER_PAGE)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page_no = page_number(request.args.get("page"), pages=max(1, -(-total // size)))
    result = session.execute(query.order_by(*columns).limit(size).offset((page_no - 1) * size))
    rows = list(result.unique().scalars() if unique else result.scalars())
    return Page(rows, total, page_no, size, sort, direction, args)


def page_number(value: str | None, *, pages: int) -> int:
    """The page asked for (the first when none is), or 400 when it is not one of the list's
    ``pages``: checked before any query, so that no number reaches the database's OFFSET,
    whose integers a number of thirty digits would overflow."""
    if value is None or value == "":
        return 1
    number = int(value) if value.isdecimal() and value.isascii() and len(value) <= len(str(pages)) else 0
    if not 1 <= number <= pages:
        message = _("There is no page %(page)s of this list: it has %(pages)d.", page=value[:20], pages=pages)
        abort(400, description=message)
    return number
