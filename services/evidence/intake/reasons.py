"""Why a file of an intake was skipped or refused, as a code and its values.

A report keeps the code and the values (a job's report is stored, and read later in the reader's
language); ``explain`` puts them into words when the report is shown or printed.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

REASONS = {
    # skipped: nothing wrong, nothing to do
    "held": _l("already held as %(exhibit)s"),
    "empty": _l("empty file: nothing to store"),
    "system_file": _l("a file the operating system made (%(name)s)"),
    # refused: the file or its metadata is not acceptable
    "unsafe_path": _l("its path leaves the archive or is absolute: not read"),
    "link": _l("a symbolic or hard link: not followed"),
    "special": _l("not a regular file: not read"),
    "encrypted": _l("encrypted in the archive: not read"),
    "listed_twice": _l("the archive holds two members of this name: neither is read"),
    "too_large": _l("larger than the limit of %(limit)s bytes for one file"),
    "size_mismatch": _l("the archive misstates its size or content (damaged or crafted): not read"),
    "damaged": _l("the archive member cannot be read: %(error)s"),
    "nested_archive": _l("an archive inside the intake is not opened: ingest it on its own"),
    "bad_name": _l("its name holds no printable character"),
    "row_twice": _l("the metadata lists it more than once (rows %(rows)s)"),
    "row_cells": _l("row %(row)s of the metadata has more cells than its header"),
    "bad_value": _l("row %(row)s, column %(column)s: %(problem)s"),
    "above_clearance": _l("classification %(classification)s is above your clearance"),
    "missing_file": _l("listed in the metadata (row %(row)s) but not in the intake"),
    "store_full": _l("the evidence store is full: nothing more was stored"),
    "not_tried": _l("not tried: the intake stopped at an earlier file"),
    "unexpected": _l("unexpected error: %(error)s"),
}

# The problems of one value of the metadata (the ``problem`` of "bad_value")
PROBLEMS = {
    "text": _l("control characters, or too long (at most %(limit)s characters)"),
    "blank": _l("blank"),
    "kind": _l("“%(value)s” is not a kind of exhibit (%(allowed)s)"),
    "classification": _l("“%(value)s” is not a classification (%(allowed)s)"),
    "grade": _l("“%(value)s” is not a grade: a reliability A-F and a credibility 1-6, such as B2"),
    "date": _l("“%(value)s” is not a date: YYYY-MM-DD"),
    "partial_date": _l(
        "“%(value)s” is a partial date; the exhibit's date (collected on) takes a full date, YYYY-MM-DD"
    ),
    "future_date": _l("“%(value)s” is after today"),
}


def explain(code: str, values: dict[str, Any] | None = None) -> str:
    """The reason in words, in the current language."""
    values = dict(values or {})
    problem = values.get("problem")
    if isinstance(problem, dict):  # a bad value: its own code and values
        values["problem"] = explain_problem(problem.get("code", ""), problem.get("values") or {})
    message = REASONS.get(code)
    if message is None:
        return code
    return str(message) % values if "%(" in str(message) else str(message)


def explain_problem(code: str, values: dict[str, Any]) -> str:
    message = PROBLEMS.get(code)
    if message is None:
        return code
    return str(message) % values if "%(" in str(message) else str(message)
