"""Multipart uploads through the API: one multipart/form-data body, its fields and files
read into one schema (webargs alone reads form and files apart, and flask-smorest documents
only one request body per operation), received through the app's streaming upload request
(views/uploads.py: each file part is hashed into the store's incoming folder as it arrives,
never held in memory)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Request, current_app
from flask_smorest.fields import Upload
from werkzeug.datastructures import CombinedMultiDict, FileStorage, MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from services.evidence.store import IncomingFile
from views.api.common import ApiBlueprint, ApiParser
from views.api.problems import ApiProblem
from views.uploads import UploadRequest

MULTIPART = "multipart/form-data"


class MultipartParser(ApiParser):
    """The API's parser with a ``multipart`` location: the form fields and the file parts of
    one multipart/form-data body, read into one schema (webargs alone reads them apart, and
    flask-smorest documents only one request body)."""

    __location_map__ = {**ApiParser.__location_map__, "multipart": "load_multipart"}
    DEFAULT_UNKNOWN_BY_LOCATION = {**ApiParser.DEFAULT_UNKNOWN_BY_LOCATION, "multipart": None}

    def load_multipart(self, req: Request, schema: ma.Schema) -> Any:
        if req.mimetype != MULTIPART:
            raise ApiProblem(
                415,
                "unsupported-media-type",
                f"Send the body as {MULTIPART}, not {req.mimetype or 'without a Content-Type'}.",
            )
        parts: list[MultiDict[str, Any]] = [req.files, req.form]  # reading them receives the upload
        received = CombinedMultiDict(parts)
        _refuse_incomplete(req)
        _refuse_repeated(received)
        return self._makeproxy(received, schema)


def _incoming_files(req: Request) -> list[IncomingFile]:
    return req.incoming_files if isinstance(req, UploadRequest) else []


def _refuse_incomplete(req: Request) -> None:
    """413 when the files exceed the upload limit (MAX_CONTENT_LENGTH lets the form around
    them through, so the files are measured here, as the HTML view does); 400 when the body
    ended mid-file (Werkzeug then drops the whole form without saying so)."""
    incoming = _incoming_files(req)
    if sum(part.size for part in incoming) > current_app.config["MAX_UPLOAD_BYTES"]:
        raise RequestEntityTooLarge()
    if incoming and not req.files:
        raise ApiProblem(
            400, "malformed-request", "The upload was interrupted before it was complete. Nothing was stored."
        )


def _refuse_repeated(received: CombinedMultiDict[str, Any]) -> None:
    """400 for a part sent more than once (a second file, say): every field takes one value,
    and the parser would keep the first and drop the others without a word."""
    for name in dict.fromkeys(received.keys()):
        count = len(received.getlist(name))
        if count > 1:
            message = f"Sent {count} times; send it once."
            raise ApiProblem(
                400,
                "malformed-request",
                f"{name}: {message} Nothing was stored.",
                errors=[{"location": "multipart", "field": name, "message": message}],
            )


class MultipartBlueprint(ApiBlueprint):
    ARGUMENTS_PARSER = MultipartParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **ApiBlueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "multipart": MULTIPART,
    }


class UploadedFile(Upload):
    """A file part received through the upload machinery (a plain text field of the same
    name is not a file)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> FileStorage:
        if not isinstance(value, FileStorage) or not isinstance(value.stream, IncomingFile):
            raise ma.ValidationError("Send a file part, not a text field.")
        if not value.filename and value.stream.size == 0:
            raise ma.ValidationError("Choose a file to upload.")
        return value
