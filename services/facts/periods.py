"""The rule for a period, an act's or a tenure's: its end does not come before its start.

Partial dates are stored as the first day they may stand for, and the database refuses an
end whose first day precedes the start's (start 2020-05, end 2020): such an end must be
written at least as precisely as the start. The forms (forms/fields.py), the API
(views/api/common.py) and the services below all ask ``check_period``.
"""

from __future__ import annotations

from models import PartialDate
from services.facts.errors import N_, Invalid


def check_period(start: PartialDate, end: PartialDate | None, field: str = "end_date") -> None:
    """Refuse an end (named ``field``) that comes, or is written to come, before the start."""
    if end is None:
        return
    if end.certainly_before(start):
        raise Invalid(field, N_("The end cannot come before the start."))
    if end.value < start.value:
        raise Invalid(field, N_("Write the end at least as precisely as the start (e.g. 2020-05, not 2020)."))
