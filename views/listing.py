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
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from models import PartialDate, PartialDateError

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
    for name, apply in filters.items():
        value = request.args.get(name, "").strip()
        if value:
            query = apply(query, value)
            args[name] = value
    sort = request.args.get("sort", default_sort)
    if sort not in sorts:
        sort = default_sort
    direction = request.args.get("dir", default_direction)
    if direction not in ("asc", "desc"):
        direction = default_direction
    columns = [c.desc() if direction == "desc" else c.asc() for c in sorts[sort]]
    page_no = request.args.get("page", 1, type=int) or 1
    if page_no < 1:
        abort(404)
    size = min(per_page or current_app.config.get("LIST_PER_PAGE", 50), MAX_PER_PAGE)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    result = session.execute(query.order_by(*columns).limit(size).offset((page_no - 1) * size))
    rows = list(result.unique().scalars() if unique else result.scalars())
    if page_no > 1 and not rows:
        abort(404)
    return Page(rows, total, page_no, size, sort, direction, args)


def date_range_filter(column: Any, bound: str, precision: Any = None) -> Callable[[Select[Any], str], Select[Any]]:
    """A filter keeping rows whose (partial) date may fall on or after / on or before a bound.

    With the ``precision`` column of a partial date, a month- or year-precise row counts as
    possibly inside the range when its month or year reaches the bound: a decision of
    "2022-02" is kept by ``from=2022-02-21``.
    """

    def apply(query: Select[Any], value: str) -> Select[Any]:
        try:
            date = PartialDate.parse(value)
        except PartialDateError:
            abort(400, description=_("%(value)s is not a date: use YYYY, YYYY-MM or YYYY-MM-DD.", value=value))
        if bound == "to":
            return query.where(column <= date.end)
        if precision is None:
            return query.where(column >= date.start)
        month, year = date.start.replace(day=1), date.start.replace(month=1, day=1)
        return query.where(
            or_(
                column >= date.start,
                and_(precision == "month", column >= month),
                and_(precision == "year", column >= year),
            )
        )

    return apply
