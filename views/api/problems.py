"""Errors of the JSON API as problem details (RFC 9457), whatever the status.

Every error an API request can meet -- a validation failure, a refused token, a stale
version, a missing record, an unexpected exception -- leaves as ``application/problem+json``
with ``type``, ``title``, ``status`` and ``detail``; validation failures add ``errors``, one
entry per field. Never an HTML page, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from http import HTTPStatus
from typing import Any

from flask import Response, json, request
from werkzeug.exceptions import HTTPException

API_PREFIX = "/api/"
PROBLEM_MEDIA_TYPE = "application/problem+json"

# The problem types this API names, with what each means; the docs page lists them.
PROBLEM_TYPES: dict[str, str] = {
    "validation": "A field is missing, unknown, of the wrong type or out of range; `errors` names each one.",
    "malformed-request": "The body is not valid JSON or nests too deeply, or the query cannot be read.",
    "unsupported-media-type": "The body was not sent as application/json (or multipart/form-data for uploads).",
    "unauthenticated": "No token, or a token that is unknown, expired, revoked, or older than its user's password.",
    "forbidden": "Your role does not allow this operation.",
    "not-found": "No such record, or one you are not cleared to see (the two are not told apart).",
    "edit-conflict": "The record changed since the version you sent; read it again and retry.",
    "duplicate": "The record would duplicate one that exists.",
    "in-use": "The record is still referred to by others and cannot be removed.",
    "csrf": "A cookie-authenticated request that changes data needs the X-CSRFToken header.",
    "too-large": "The upload is larger than the server accepts.",
    "rate-limited": "Too many requests; wait and retry.",
    "refused": "The request is well-formed but the data refuses it (the detail says why).",
    "server-error": "The server could not complete the request; nothing was changed.",
    "unavailable": "The database is busy or cannot be reached right now; retry after the seconds in Retry-After.",
    "insufficient-storage": "The evidence store, or the database's disk, has no room for this; nothing was stored.",
}

_TYPE_OF_STATUS = {
    400: "malformed-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "about:blank",
    409: "edit-conflict",
    413: "too-large",
    415: "unsupported-media-type",
    422: "validation",
    429: "rate-limited",
    500: "server-error",
    503: "unavailable",
    507: "insufficient-storage",
}


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def problem_type(key: str) -> str:
    """The URI of a problem type: an anchor on the API's documentation page."""
    if key == "about:blank":
        return key
    return f"/api/v1/docs#problem-{key}"


class ApiProblem(HTTPException):
    """Raise to answer with a specific problem: ``raise ApiProblem(409, "duplicate", "...")``."""

    def __init__(
        self,
        status: int,
        kind: str,
        detail: str,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(description=detail)
        self.code = status
        self.kind = kind
        self.errors = errors
        self.extra_headers = dict(headers or {})


def problem(
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    title: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    kind = kind or _TYPE_OF_STATUS.get(status, "about:blank")
    body: dict[str, Any] = {
        "type": problem_type(kind),
        "title": title or _phrase(status),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def from_http_exception(error: HTTPException) -> Response:
    """The problem for an abort(), a webargs validation failure or an ApiProblem."""
    status = error.code or 500
    if isinstance(error, ApiProblem):
        return problem(
            status, error.description or "", kind=error.kind, errors=error.errors, headers=error.extra_headers
        )
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    valid_methods = getattr(error, "valid_methods", None)
    if status == 405 and valid_methods:
        headers["Allow"] = ", ".join(valid_methods)
    messages = data.get("messages")
    if messages:
        errors = list(field_errors(messages))
        if status == 400:
            detail = errors[0]["message"] if errors else "The request could not be read."
            return problem(400, detail, errors=errors, headers=headers)
        count = len(errors)
        detail = f"{count} field{'s' if count != 1 else ''} refused: " + "; ".join(
            f"{e['field'] or e['location']}: {e['message']}" for e in errors[:5]
        )
        return problem(status, detail, kind="validation", errors=errors, headers=headers)
    return problem(status, _plain_detail(error), headers=headers)


def _plain_detail(error: HTTPException) -> str:
    description = error.description or ""
    if error.code == 404:
        return "There is no such record or address, or you are not cleared to see it."
    if error.code == 405:
        return f"{request.method} is not allowed here."
    return description or _phrase(error.code or 500)


def field_errors(messages: Any, location: str = "", path: str = "") -> Iterator[dict[str, str]]:
    """Flatten webargs' ``{"json": {"aliases": {0: {"name": ["..."]}}}}`` into one entry per
    message: ``{"location": "json", "field": "aliases.0.name", "message": "..."}``."""
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            if not location:
                yield from field_errors(value, str(key), "")
            else:
                yield from field_errors(value, location, f"{path}.{key}" if path else str(key))
    elif isinstance(messages, list | tuple):
        for item in messages:
            if isinstance(item, Mapping | list | tuple):
                yield from field_errors(item, location, path)
            else:
                yield {"location": location, "field": path, "message": str(item)}
    else:
        yield {"location": location, "field": path, "message": str(messages)}
