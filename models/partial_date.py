"""Partial dates: a day, a month or a year, stored so they sort and compare correctly.

A partial date is kept in two columns: ``<name>`` holds the first day of the interval it
names (``2022`` -> 2022-01-01, ``2022-02`` -> 2022-02-01) and ``<name>_precision`` says
how much of it is known (``year``, ``month`` or ``day``). Ordering by the date column sorts
chronologically, with the coarser value first on ties; ``PartialDate`` turns the pair back
into the interval [start, end] so comparisons can say "certainly", "possibly" or "not".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import CheckConstraint, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import sql_in

Precision = Literal["year", "month", "day"]
PRECISIONS: tuple[Precision, ...] = ("year", "month", "day")

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class PartialDateError(ValueError):
    """Text that is not a year, year-month or full ISO date."""


def utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def after_today(first_day: dt.date, today: dt.date | None = None) -> bool:
    """Whether a date whose first possible day is ``first_day`` lies wholly after today: no
    fact (a decision, a tenure, an act, a birth, a collection) can be dated there. A coarse
    date that includes today ("2026" during 2026) is not after it."""
    return first_day > (today or utc_today())


@dataclass(frozen=True, order=True)
class PartialDate:
    value: dt.date  # the first day of the interval
    precision: Precision

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise PartialDateError(f"unknown precision {self.precision!r}")
        if self.precision != "day" and self.value.day != 1:
            raise PartialDateError("a month or year date must be stored as its first day")
        if self.precision == "year" and self.value.month != 1:
            raise PartialDateError("a year date must be stored as 1 January")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """``"2022"``, ``"2022-02"`` or ``"2022-02-24"``."""
        match = _PATTERN.match(text.strip())
        if not match:
            raise PartialDateError(f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = match.groups()
        try:
            if day is not None:
                return cls(dt.date(int(year), int(month), int(day)), "day")
            if month is not None:
                return cls(dt.date(int(year), int(month), 1), "month")
            return cls(dt.date(int(year), 1, 1), "year")
        except ValueError as exc:
            raise PartialDateError(f"{text!r} is not a valid date: {exc}") from exc

    @classmethod
    def from_columns(cls, value: dt.date | None, precision: str | None) -> PartialDate | None:
        if value is None:
            return None
        return cls(value, precision or "day")  # type: ignore[arg-type]

    @property
    def start(self) -> dt.date:
        return self.value

    @property
    def end(self) -> dt.date:
        """The last day the partial date may stand for."""
        if self.precision == "day":
            return self.value
        if self.precision == "month":
            last = calendar.monthrange(self.value.year, self.value.month)[1]
            return self.value.replace(day=last)
        return self.value.replace(month=12, day=31)

    def certainly_before(self, other: PartialDate) -> bool:
        return self.end < other.start

    def possibly_overlaps(self, other: PartialDate) -> bool:
        return self.start <= other.end and other.start <= self.end

    def __str__(self) -> str:
        if self.precision == "year":
            return f"{self.value.year:04d}"
        if self.precision == "month":
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()


def partial_date_checks(column: str) -> list[CheckConstraint]:
    """CHECK constraints for a partial-date column pair ``column`` / ``column_precision``.

    The precision is set exactly when the date is, is one of the allowed values, and a
    month or year date is stored as the first day of its interval.
    """
    precision = f"{column}_precision"
    as_text = f"CAST({column} AS VARCHAR(10))"
    return [
        CheckConstraint(f"({column} IS NULL) = ({precision} IS NULL)", name=f"{column}_has_precision"),
        CheckConstraint(f"{precision} IS NULL OR {sql_in(precision, PRECISIONS)}", name=f"{precision}_allowed"),
        CheckConstraint(
            f"{precision} IS NULL OR {precision} = 'day'"
            f" OR ({precision} = 'month' AND {as_text} LIKE '____-__-01')"
            f" OR ({precision} = 'year' AND {as_text} LIKE '____-01-01')",
            name=f"{column}_normalised",
        ),
    ]


class PeriodMixin:
    """A period from a partial start date to an optional partial end date (open: still going)."""

    start_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    start_date_precision: Mapped[str] = mapped_column(String(5), nullable=False)
    end_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    end_date_precision: Mapped[str | None] = mapped_column(String(5), nullable=True)

    @property
    def start(self) -> PartialDate:
        return PartialDate(self.start_date, self.start_date_precision)  # type: ignore[arg-type]

    @start.setter
    def start(self, value: PartialDate) -> None:
        self.start_date, self.start_date_precision = value.value, value.precision

    @property
    def end(self) -> PartialDate | None:
        return PartialDate.from_columns(self.end_date, self.end_date_precision)

    @end.setter
    def end(self, value: PartialDate | None) -> None:
        self.end_date = value.value if value else None
        self.end_date_precision = value.precision if value else None

    def is_current(self, today: dt.date) -> bool:
        """True when the period may include ``today``."""
        end = self.end
        return self.start.start <= today and (end is None or end.end >= today)


def period_checks() -> list[CheckConstraint]:
    """CHECK constraints for PeriodMixin: valid partial dates, and the end not before the start."""
    return [
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_not_before_start"),
        *partial_date_checks("start_date"),
        *partial_date_checks("end_date"),
    ]
