"""List filters, each a function narrowing a query with one value of the query string.

The lists' views apply them to a page (views/listing.py ``paginate``); the services that must
know what a list shows without a request -- a watched saved search's new results
(services/workspace/watches.py) -- apply the same functions to the same arguments
(``narrow``). A value that cannot be read raises ``FilterError`` with the message to show;
views answer it with 400.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, and_, or_

from models import PartialDate, PartialDateError

Filter = Callable[[Select[Any], str], Select[Any]]


class FilterError(ValueError):
    """A filter's value cannot be read; the message says why."""


def one_of(column: Any, allowed: tuple[str, ...]) -> Filter:
    """A filter on an enumerated column; an unknown value narrows nothing."""

    def apply(query: Select[Any], value: str) -> Select[Any]:
        return query.where(column == value) if value in allowed else query

    return apply


def date_range_filter(column: Any, bound: str, precision: Any = None) -> Filter:
    """A filter keeping rows whose (partial) date may fall on or after / on or before a bound.

    With the ``precision`` column of a partial date, a month- or year-precise row counts as
    possibly inside the range when its month or year reaches the bound: a decision of
    "2022-02" is kept by ``from=2022-02-21``.
    """

    def apply(query: Select[Any], value: str) -> Select[Any]:
        try:
            date = PartialDate.parse(value)
        except PartialDateError as exc:
            raise FilterError(_("%(value)s is not a date: use YYYY, YYYY-MM or YYYY-MM-DD.", value=value)) from exc
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


def narrow(
    query: Select[Any], filters: Mapping[str, Filter], args: Mapping[str, str]
) -> tuple[Select[Any], dict[str, str]]:
    """``query`` narrowed by every filter given a non-empty value in ``args``, and the values
    applied (for the page's links). Raises FilterError for a value that cannot be read."""
    applied: dict[str, str] = {}
    for name, apply in filters.items():
        value = (args.get(name) or "").strip()
        if value:
            query = apply(query, value)
            applied[name] = value
    return query, applied
