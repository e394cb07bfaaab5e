"""The app's request class: how much of a body is read, and where uploaded files go.

No body is read before the sign-in gate (app._gate) has decided what this request may send
(``admit_body``): an upload endpoint (a view marked ``accepts_files``) takes file parts of up
to MAX_UPLOAD_BYTES from a user whose role the view requires; every other request, a signed-in
one or not, takes a small body (MAX_BODY_BYTES: a form, a JSON document) and no file part.
A Content-Length over the limit is refused with 413 before a byte is read, and a body sent
without one (chunked) is cut off at the limit as it is read.

Text arrives as UTF-8 or not at all: a form field (url-encoded or a multipart text part) or a
query argument whose bytes are not UTF-8 is refused with 400 naming it (Werkzeug would
store U+FFFD, or the undecodable bytes still percent-encoded, and say nothing).

Werkzeug's form parser asks the request for a stream to write each file part into; ours
hashes the bytes as they arrive and writes them next to the store, so an upload of any size
is read once, never held in memory, and never copied again (see services/evidence/store.py).
Whatever the request did not move into the store is removed when the request closes:
a refused, interrupted or rolled-back upload leaves no file behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import IO, Any, TypeVar, cast
from urllib.parse import parse_qsl, unquote_to_bytes

from flask import Request, abort, current_app
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge
from werkzeug.formparser import FormDataParser, MultiPartParser
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream

from models import User
from services.common.access import role_at_least
from services.evidence.store import IncomingFile, store_for
from views.api.problems import ApiProblem
from views.util import request_handler

F = TypeVar("F", bound=Callable[..., Any])


def accepts_files(view: F) -> F:
    """Mark ``view`` as an upload endpoint: its requests may carry file parts, from users whose
    role passes the view's ``role_required`` (which it must have)."""
    view.accepts_files = True  # type: ignore[attr-defined]
    return view


class FilesRefused(BadRequest):
    """A file part sent to an address that takes none, or by a user who may not upload."""


class CappedStream(LimitedStream):
    """A body sent without a length (chunked), read up to ``cap`` bytes: Werkzeug's own limit
    stops there and passes the truncated body on; this one reads one byte more to tell a
    body that ends at the limit from one that goes on, and answers 413 for the latter."""

    def __init__(self, stream: IO[bytes], cap: int) -> None:
        super().__init__(stream, cap + 1, is_max=True)
        self.cap = cap

    def readinto(self, b: Any) -> int | None:
        size = super().readinto(b)
        if self._pos > self.cap:
            raise RequestEntityTooLarge()
        return size


def not_utf8(request: Request, location: str, name: str) -> HTTPException:
    """The refusal of a field or argument ``name`` whose bytes are not UTF-8 text."""
    if request.path.startswith("/api/"):
        message = "Not valid UTF-8 text."
        return ApiProblem(
            400,
            "malformed-request",
            f"{name}: {message} Nothing was saved.",
            errors=[{"location": location, "field": name, "message": message}],
        )
    return BadRequest(_("“%(name)s” is not valid UTF-8 text. Nothing was saved.", name=name))


def _shown(raw: bytes) -> str:
    return raw.decode("utf-8", "backslashreplace")


def undecodable_argument(query_string: bytes) -> str | None:
    """The first query argument whose name or value is not UTF-8 once percent-decoded, or None."""
    for pair in query_string.split(b"&"):
        name, _sep, value = pair.partition(b"=")
        for part in (name, value):
            try:
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                return _shown(unquote_to_bytes(name.replace(b"+", b" ")))
    return None


class _BytesMultiPartParser(MultiPartParser):
    """Text parts as their bytes, whatever charset a part declares: browsers send the pages'
    own, UTF-8."""

    def get_part_charset(self, headers: Any) -> str:
        return "latin-1"  # each byte one character: UploadRequest decodes the text strictly


class _StrictTextFormParser(FormDataParser):
    """Werkzeug's parser, but text fields come out as their bytes (latin-1 maps each byte to
    one character) for UploadRequest to decode as UTF-8, refusing what is not; Werkzeug
    would replace bad bytes with U+FFFD, leave them percent-encoded, or drop the whole form."""

    def _parse_urlencoded(self, stream: IO[bytes], mimetype: str, content_length: int | None, options: Any) -> Any:
        pairs = parse_qsl(stream.read().decode("latin-1"), keep_blank_values=True, encoding="latin-1")
        return stream, self.cls(pairs), self.cls()

    def _parse_multipart(self, stream: IO[bytes], mimetype: str, content_length: int | None, options: Any) -> Any:
        parser = _BytesMultiPartParser(
            stream_factory=self.stream_factory,
            max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts,
            cls=self.cls,
        )
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        try:
            form, files = parser.parse(stream, boundary, content_length)
        except UnicodeDecodeError as exc:  # a part's headers: its name or file name
            raise BadRequest(_("A part of the form is not named in UTF-8 text. Nothing was saved.")) from exc
        return stream, form, files


class UploadRequest(Request):
    files_allowed = False  # set by admit_body for an upload endpoint and a user allowed to upload
    form_data_parser_class = _StrictTextFormParser

    @property  # type: ignore[misc]  # read-only here: the limit follows admission
    def max_content_length(self) -> int | None:  # type: ignore[override]
        """The most of the body this request reads: the upload limit (with the form around
        the files) once admitted to upload, the small body limit otherwise."""
        if not current_app:
            return None
        return int(current_app.config["MAX_CONTENT_LENGTH" if self.files_allowed else "MAX_BODY_BYTES"])

    @cached_property
    def stream(self) -> IO[bytes]:
        limit = self.max_content_length
        if self.content_length is None and "wsgi.input_terminated" in self.environ and limit is not None:
            return cast(IO[bytes], CappedStream(self.environ["wsgi.input"], limit))
        return super().stream

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        if not self.files_allowed:
            raise FilesRefused(_("This address does not accept files."))
        incoming = store_for(current_app.config).receive()
        self.__dict__.setdefault("_incoming", []).append(incoming)
        stream: Any = incoming
        return stream  # IncomingFile has the file interface the parser uses

    def _load_form_data(self) -> None:
        """Decode the form's text as UTF-8 (400 naming the first field that is not), then
        refuse a page's form holding a NUL character: no text column can store one
        (PostgreSQL refuses it outright), and no one types it. The API checks its fields
        itself and answers 422 naming the field."""
        loaded = "form" in self.__dict__
        super()._load_form_data()
        if not loaded:
            self.__dict__["form"] = self._utf8_form(self.form.items(multi=True))
        if self.path.startswith("/api/"):
            return
        if any("\x00" in name or "\x00" in value for name, value in self.form.items(multi=True)):
            raise BadRequest(_("The form contains a NUL character, which cannot be stored. Remove it and try again."))

    def _utf8_form(self, fields: Iterable[tuple[str, str]]) -> MultiDict[str, str]:
        names_as_bytes = self.mimetype == "application/x-www-form-urlencoded"  # multipart: decoded
        decoded = []
        for name, value in fields:
            raw_name = name.encode("latin-1") if names_as_bytes else name.encode()
            try:
                decoded.append((raw_name.decode("utf-8"), value.encode("latin-1").decode("utf-8")))
            except UnicodeDecodeError:
                raise not_utf8(self, "form", _shown(raw_name)) from None
        return self.parameter_storage_class(decoded)

    @property
    def incoming_files(self) -> list[IncomingFile]:
        files: list[IncomingFile] = self.__dict__.get("_incoming", [])
        return files

    def close(self) -> None:
        try:
            super().close()
        finally:
            for incoming in self.incoming_files:
                incoming.discard()  # a no-op for files already moved into the store


def _upload_role(request: Request) -> str | None:
    """The role an upload to this request's endpoint needs, or None when it takes no files."""
    view = request_handler(request)
    if not getattr(view, "accepts_files", False):
        return None
    role: str = view.required_role  # set by role_required, which every upload view has
    return role


def refuse_undecodable_query(request: Request) -> None:
    """400 naming the first query argument that is not UTF-8 text."""
    name = undecodable_argument(request.query_string)
    if name is not None:
        raise not_utf8(request, "query", name)


def admit_body(request: Request, user: User | None) -> None:
    """Decide, before anything reads the body, what it may hold (see the module's docstring):
    403 for a user who may not upload to an upload endpoint, 413 for a declared length over
    the request's limit."""
    role = _upload_role(request)
    if role is not None and isinstance(request, UploadRequest) and request.method == "POST":
        if not role_at_least(user, role):
            abort(403)
        request.files_allowed = True
    limit = request.max_content_length
    if request.content_length is not None and limit is not None and request.content_length > limit:
        abort(413)
