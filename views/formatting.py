"""Dates written for the reader's language: a day, a month or a year, as precise as known."""

from __future__ import annotations

from flask_babel import format_date

from models import PartialDate


def partial_date(value: PartialDate | None) -> str:
    """``24 Feb 2022`` / ``February 2022`` / ``2022`` in English; the same in Ukrainian."""
    if value is None:
        return ""
    if value.precision == "day":
        return str(format_date(value.value, "medium"))
    if value.precision == "month":
        return str(format_date(value.value, "LLLL y"))
    return str(value.value.year)
