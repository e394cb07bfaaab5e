"""What every API resource shares: field types, cursor pages, record loading, versions.

Resources are flask-smorest blueprints: the marshmallow schemas that load requests and dump
responses are also what the OpenAPI document is generated from, so the two cannot drift.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import marshmallow as ma
from flask_smorest import Blueprint
from marshmallow import fields, validate
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from extensions import db
from models import PartialDate, State
from models.partial_date import PRECISIONS, after_today, utc_today
from services.common import records
from services.common.text_rules import has_surrogates, text_fault, text_pattern
from services.facts.errors import Duplicate, FactRefused, existing
from services.facts.periods import check_period
from services.facts.tenures import InUse
from views.api.problems import ApiProblem
from views.util import MAX_ID

T = TypeVar("T")

# The URL converter for a record id in a path: /officials/<{ID}:official_id>
ID = f"int(min=1, max={MAX_ID})"
MAX_VERSION = 2**31 - 1
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
LONG_TEXT = 100_000  # notes, summaries, theories
# Arrays and objects inside one another in a JSON body: the API's bodies need three; deeper
# ones are refused before parsing (the parser recurses, and a few thousand levels crash it)
MAX_JSON_DEPTH = 32


# --- request parsing ----------------------------------------------------------------------


class ApiParser(FlaskParser):
    """webargs' parser, refusing a JSON body sent under another media type with 415
    (webargs alone would read it as an empty body and report missing fields), and leaving
    unknown query arguments to the schema, which refuses them: a misspelt filter must not
    quietly return everything."""

    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": None,
        "querystring": None,
        "files": None,
    }

    def load_json(self, req: Any, schema: ma.Schema) -> Any:
        if not is_json_request(req):
            raise ApiProblem(
                415,
                "unsupported-media-type",
                f"Send the body as application/json, not {req.mimetype or 'without a Content-Type'}.",
            )
        return super().load_json(req, schema)

    def _raw_load_json(self, req: Any) -> Any:
        if not is_json_request(req):
            return core.missing
        data = req.get_data(cache=True)  # at most MAX_BODY_BYTES (views/uploads.py)
        if nested_deeper_than(data, MAX_JSON_DEPTH):
            raise ApiProblem(
                400, "malformed-request", f"The JSON body nests arrays and objects deeper than {MAX_JSON_DEPTH} levels."
            )
        return core.parse_json(data)


_JSON_STRING = re.compile(rb'"[^"]*"')  # once escaped quotes and backslashes are gone
_NOT_BRACKETS = bytes(range(256)).translate(None, b"[]{}")
_FOLD_BRACKETS = bytes.maketrans(b"{}", b"[]")


def nested_deeper_than(data: bytes, limit: int) -> bool:
    """Whether the JSON text ``data`` nests arrays and objects more than ``limit`` deep,
    found without parsing it (the parser recurses): its strings removed, its brackets are
    all that is left, and each pass removes the innermost pairs. Linear in the size, in C.
    (UTF-8 text: no byte of a multi-byte character is a bracket, quote or backslash.)"""
    text = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    brackets = _JSON_STRING.sub(b"", text).translate(_FOLD_BRACKETS, _NOT_BRACKETS)
    for _ in range(limit):
        inner_removed = brackets.replace(b"[]", b"")
        if inner_removed == brackets:
            break
        brackets = inner_removed
    return b"[]" in brackets


class ApiBlueprint(Blueprint):
    """A resource: its operations are tagged ``tag`` in the document (the Flask name,
    ``api_<tag>``, keeps endpoints apart from the HTML views')."""

    ARGUMENTS_PARSER = ApiParser()

    def __init__(self, tag: str, import_name: str, *, description: str) -> None:
        super().__init__(f"api_{tag}", import_name, description=description)
        self.tag = tag

    def route(self, rule: str, *, parameters: Any = None, tags: Any = None, **options: Any) -> Any:
        return super().route(rule, parameters=parameters, tags=tags or [self.tag], **options)


# --- field types --------------------------------------------------------------------------


class Pattern(validate.Regexp):
    """A string that matches ``pattern`` as a whole (marshmallow's Regexp matches a prefix,
    and its ``$`` also matches before a final newline). The document states the pattern
    (apispec reads ``regex``), so a client can check a value before sending it."""

    def __init__(self, pattern: str | re.Pattern[str], *, error: str | None = None) -> None:
        super().__init__(pattern, error=error)
        self.whole: re.Pattern[str] = re.compile(pattern)

    def __call__(self, value: str | bytes) -> str:  # type: ignore[override]  # one signature for str and bytes
        if not isinstance(value, str) or self.whole.fullmatch(value) is None:
            raise ma.ValidationError(self._format_error(value))
        return value


class TextRule(Pattern):
    """Clean text (services/common/text_rules.py): no control characters but tab and newlines,
    and at least ``min_stripped`` characters besides the spaces at either end. The pattern
    decides; the messages only say why. Lone surrogates are refused beside it."""

    def __init__(self, *, min_stripped: int, blank_error: str = "Must not be blank.") -> None:
        super().__init__(text_pattern(min_stripped))
        self.min_stripped = min_stripped
        self.blank_error = blank_error

    def __call__(self, value: str | bytes) -> str:  # type: ignore[override]  # one signature for str and bytes
        if not isinstance(value, str):
            raise ma.ValidationError(self._format_error(value))
        fault = text_fault(value, self.min_stripped)
        if fault == "surrogates":
            raise ma.ValidationError("The text is not valid Unicode.")
        if fault == "control":
            raise ma.ValidationError("Control characters are not allowed.")
        if fault == "blank":
            raise ma.ValidationError(self.blank_error)
        if fault is not None:
            raise ma.ValidationError(
                f"Give at least {self.min_stripped} characters, not counting spaces at either end."
            )
        return value


def _no_surrogates(value: str) -> None:
    """TextRule's surrogate check alone, beside a field's own (stricter) pattern."""
    if has_surrogates(value):
        raise ma.ValidationError("The text is not valid Unicode.")


class Text(fields.String):
    """A string of at most ``max_length`` characters, clean of control characters, that
    keeps at least ``min_length`` once stripped (``blank_ok=False``: one). Checked as sent
    -- the document's limits are the sent value's: at most ``max_length`` characters, and a
    pattern for the rest -- then stripped.

    A field with a pattern of its own (``validate=Pattern(...)``) is documented with that
    pattern, which must refuse control characters itself (tests/test_api/test_openapi_constraints.py)."""

    def __init__(
        self,
        max_length: int,
        *,
        blank_ok: bool = True,
        min_length: int = 0,
        blank_error: str = "Must not be blank.",
        **kwargs: Any,
    ) -> None:
        least = max(min_length, 0 if blank_ok else 1)
        extra = kwargs.pop("validate", None)
        extras = list(extra) if isinstance(extra, list | tuple) else [extra] if extra is not None else []
        own_pattern = any(isinstance(v, validate.Regexp) for v in extras)
        if own_pattern and least:
            raise TypeError("A Text with a pattern of its own states its minimum in that pattern.")
        rule = _no_surrogates if own_pattern else TextRule(min_stripped=least, blank_error=blank_error)
        validators: list[Any] = [validate.Length(min=least, max=max_length), rule, *extras]
        super().__init__(validate=validators, **kwargs)

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any) -> Any:
        text = super().deserialize(value, attr, data, **kwargs)
        return text.strip() if isinstance(text, str) else text


def Id(**kwargs: Any) -> fields.Integer:  # noqa: N802  (reads as a field type)
    """A record id: a whole number from 1 to 2^31-1."""
    return fields.Integer(strict=True, validate=validate.Range(1, MAX_ID), **kwargs)


def QueryId(**kwargs: Any) -> fields.Integer:  # noqa: N802
    """A record id in a query string, where every value is text (``Id`` is strict: JSON only)."""
    return fields.Integer(validate=validate.Range(1, MAX_ID), **kwargs)


def StateCode(**kwargs: Any) -> fields.String:  # noqa: N802
    """An ISO 3166 alpha-2 code as stored (upper case): RU, BY, KP."""
    kwargs.setdefault("metadata", {"description": "ISO 3166 code of a recorded State: RU, BY, KP..."})
    return fields.String(validate=Pattern(r"^[A-Z]{2}$", error="A two-letter State code, e.g. RU."), **kwargs)


def StateFilter() -> fields.String:  # noqa: N802
    """A State code in a query string, in either case (as the HTML lists accept it)."""
    return fields.String(
        validate=Pattern(r"^[A-Za-z]{2}$", error="A two-letter State code, e.g. RU."),
        metadata={"description": "State code, e.g. RU."},
    )


def Choice(values: Sequence[str], **kwargs: Any) -> fields.String:  # noqa: N802
    return fields.String(validate=validate.OneOf(values), **kwargs)


def Version(**kwargs: Any) -> fields.Integer:  # noqa: N802
    """The version the client last read: updates with an older one are refused (409)."""
    kwargs.setdefault(
        "metadata", {"description": "The record's version as last read; a stale one is refused with 409."}
    )
    return fields.Integer(strict=True, validate=validate.Range(1, MAX_VERSION), **kwargs)


def Precision(**kwargs: Any) -> fields.String:  # noqa: N802
    return Choice(PRECISIONS, **kwargs)


def partial_date(data: dict[str, Any], name: str, *, required: bool = False) -> PartialDate | None:
    """The PartialDate that ``name`` and ``name_precision`` describe (missing precision:
    a full date). A month or year date is given as its first day: 2022-02-01 with "month"."""
    value = data.get(name)
    precision = data.get(f"{name}_precision")
    if value is None:
        if precision is not None:
            raise ma.ValidationError({name: ["A precision was given without a date."]})
        if required:
            raise ma.ValidationError({name: ["Missing data for required field."]})
        return None
    try:
        date = PartialDate(value, precision or "day")
    except ValueError as exc:
        raise ma.ValidationError({name: [f"{exc}: for {precision} precision give the first day."]}) from exc
    if after_today(date.start):
        raise ma.ValidationError({name: [FUTURE_DATE % {"today": utc_today()}]})
    return date


FUTURE_DATE = "No fact can be dated after today (%(today)s): give a date that has come."


def not_after_today(value: dt.date | None) -> None:
    """A marshmallow validator for a full date that must have come (an exhibit's collection)."""
    if value is not None and after_today(value):
        raise ma.ValidationError(FUTURE_DATE % {"today": utc_today()})


def merged_date(data: dict[str, Any], record: Any, name: str, *, required: bool) -> PartialDate | None:
    """The partial date ``name`` will have after a create or update: the body's where it
    sends the date or its precision, else the record's. A date sent without a precision is
    a full date; a precision sent without a date applies to the stored date. Refused (422,
    naming the field) when the two do not make a date."""
    precision_key = f"{name}_precision"
    if record is not None and name not in data and precision_key not in data:
        return PartialDate.from_columns(getattr(record, name), getattr(record, precision_key))
    value = data[name] if name in data else getattr(record, name, None)
    if precision_key in data:
        precision = data[precision_key]
    else:
        precision = None if name in data else getattr(record, precision_key, None)
    try:
        return partial_date({name: value, precision_key: precision}, name, required=required)
    except ma.ValidationError as exc:
        # a precision that does not fit the stored date is the precision's fault
        field = precision_key if name not in data and value is not None and precision_key in data else name
        messages = exc.normalized_messages()
        raise refuse(field, "; ".join(str(m) for m in messages.get(name, messages))) from exc


def merged_period(data: dict[str, Any], record: Any) -> tuple[PartialDate, PartialDate | None]:
    """A start_date..end_date period after the change, refused (422) when the end comes
    before the start (services/facts/periods.py, the HTML forms' rule too)."""
    start = merged_date(data, record, "start_date", required=True)
    end = merged_date(data, record, "end_date", required=False)
    if start is None:  # not reached: a required date is refused above
        raise refuse("start_date", "Missing data for required field.")
    with answering_refusals():
        check_period(start, end)
    return start, end


# --- schemas ------------------------------------------------------------------------------


class Schema(ma.Schema):
    """Unknown fields are refused, not ignored: a misspelt field must not pass silently."""

    class Meta:
        unknown = ma.RAISE
        ordered = True


def update_schema(base: type[ma.Schema], name: str) -> type[ma.Schema]:
    """The body of an update: ``base``'s fields, none required, plus the required ``version``
    the client last read. Only the fields sent change."""
    declared: dict[str, Any] = {}
    for field_name, field in base._declared_fields.items():
        if field.dump_only:
            continue
        optional = copy.copy(field)
        optional.required = False
        declared[field_name] = optional
    declared["version"] = Version(required=True)
    return type(name, (base,), declared)


# A position in a list: the id of the last item of the page before, in eight hex digits. Opaque
# to clients (pass a page's ``next_cursor`` as it is), but its form is stated so that one
# mangled in transit is refused before it is sent
CURSOR_PATTERN = "^[0-9a-f]{8}$"


class Cursor(fields.String):
    """An opaque position in a list, as a previous page's ``next_cursor`` gave it. Any value
    of the documented form is accepted: one past every id gives an empty page."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validate=Pattern(CURSOR_PATTERN, error="Not a cursor this API issued."), **kwargs)

    def deserialize(self, value: Any, attr: str | None = None, data: Any = None, **kwargs: Any) -> Any:
        text = super().deserialize(value, attr, data, **kwargs)
        return min(int(text, 16), MAX_ID) if isinstance(text, str) else text


def encode_cursor(last_id: int) -> str:
    return f"{last_id:08x}"


class ListArgs(Schema):
    """Query arguments every list takes; unknown ones are refused."""

    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(1, MAX_LIMIT),
        metadata={"description": f"Items per page, 1 to {MAX_LIMIT}."},
    )
    cursor = Cursor(metadata={"description": "The `next_cursor` of the previous page; omit for the first."})


_page_schemas: dict[str, type[ma.Schema]] = {}


def page_schema(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    """The schema of one page of ``item``: ``{"items": [...], "next_cursor": ...}``."""
    if name not in _page_schemas:
        _page_schemas[name] = ma.Schema.from_dict(
            {
                "items": fields.List(fields.Nested(item), required=True),
                "next_cursor": fields.String(
                    required=True,
                    allow_none=True,
                    validate=Pattern(CURSOR_PATTERN),
                    metadata={"description": "Pass as `cursor` for the next page; null on the last page."},
                ),
            },
            name=name,
        )
    return _page_schemas[name]


def keyset_page(query: Select[Any], id_column: Any, args: dict[str, Any]) -> dict[str, Any]:
    """One page of ``query`` in id order, after the cursor: a fixed number of queries and
    no OFFSET, so the thousandth page costs what the first does."""
    limit = args["limit"]
    after = args.get("cursor")
    if after is not None:
        query = query.where(id_column > after)
    rows = list(db.session.scalars(query.order_by(id_column).limit(limit + 1)).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_cursor": encode_cursor(rows[-1].id) if more and rows else None}


# --- loading and saving -------------------------------------------------------------------


def not_found() -> ApiProblem:
    return ApiProblem(404, "not-found", "There is no such record, or you are not cleared to see it.")


def found(record: T | None, *, live: bool = True) -> T:
    """``record``, or 404 when it is missing or (with ``live``) soft-deleted."""
    if record is None or (live and getattr(record, "deleted_at", None) is not None):
        raise not_found()
    return record


def load(model: type[T], record_id: int, *, live: bool = True) -> T:
    if not 1 <= record_id <= MAX_ID:
        raise not_found()
    return found(db.session.get(model, record_id), live=live)


def check_version(record: Any, version: int) -> None:
    if version != record.version:
        raise ApiProblem(
            409,
            "edit-conflict",
            f"This record is at version {record.version}; you sent version {version}. "
            "Nothing was saved: read it again and reapply your change.",
        )


def _saved_meanwhile() -> ApiProblem:
    return ApiProblem(
        409, "edit-conflict", "Someone else saved this record meanwhile. Nothing was saved: read it again."
    )


def save(describe_duplicate: Callable[[], str] | None = None) -> None:
    """Flush the request's changes, turning a concurrent save into 409 edit-conflict and a
    broken unique constraint into 409 duplicate (the request then rolls back)."""
    try:
        records.flush_or_conflict(db.session())
    except records.EditConflict as exc:
        raise _saved_meanwhile() from exc
    except IntegrityError as exc:
        detail = describe_duplicate() if describe_duplicate else "The record would duplicate one that exists."
        raise ApiProblem(409, "duplicate", detail) from exc


def refuse(field: str, message: str, *, status: int = 422) -> ApiProblem:
    """A validation problem on one body field, found after parsing (an unknown reference,
    a duplicate name)."""
    return ApiProblem(
        status,
        "validation" if status == 422 else "duplicate",
        f"{field}: {message}",
        errors=[{"location": "json", "field": field, "message": message}],
    )


def problem_for(refusal: FactRefused) -> ApiProblem:
    """The problem a service's refusal answers: 422 naming the field, 409 for a duplicate
    (without a field when only the database saw it, in a race) or a record in use."""
    if isinstance(refusal, InUse):
        return ApiProblem(409, "in-use", refusal.detail)
    if isinstance(refusal, Duplicate):
        if refusal.twin is None:
            return ApiProblem(409, "duplicate", refusal.detail)
        return refuse(refusal.field, refusal.detail, status=409)
    return refuse(refusal.field, refusal.detail)


@contextmanager
def answering_refusals() -> Iterator[None]:
    """Call a facts service inside: its refusals become problems, a concurrent edit 409."""
    try:
        yield
    except FactRefused as exc:
        raise problem_for(exc) from exc
    except records.EditConflict as exc:
        raise _saved_meanwhile() from exc


def state_or_refuse(code: str, field: str) -> State:
    """The State recorded under ``code``; 422 naming ``field`` when there is none."""
    state = db.session.scalar(select(State).where(State.code == code))
    if state is None:
        raise refuse(field, f"No State {code} is recorded.")
    return state


def exists_or_refuse(model: type[T], record_id: int | None, field: str, *, live: bool = True) -> T | None:
    """The record a body field refers to, or 422 naming the field when there is none."""
    with answering_refusals():
        return existing(model, record_id, field, live=live)


class DeleteArgs(Schema):
    reason = Text(500, load_default="", metadata={"description": "Why the record is deleted (kept in its history)."})
