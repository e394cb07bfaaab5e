"""Requests whose uploaded files go straight into the evidence store's incoming folder.

Werkzeug's form parser asks the request for a stream to write each file part into; ours
hashes the bytes as they arrive and writes them next to the store, so an upload of any size
is read once, never held in memory, and never copied again (see services/store.py).
Whatever the request did not move into the store is removed when the request closes:
a refused, interrupted or rolled-back upload leaves no file behind.
"""

from __future__ import annotations

from typing import IO, Any

from flask import Request, current_app
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

from services.store import IncomingFile, store_for


class UploadRequest(Request):
    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        incoming = store_for(current_app.config).receive()
        self.__dict__.setdefault("_incoming", []).append(incoming)
        stream: Any = incoming
        return stream  # IncomingFile has the file interface the parser uses

    def _load_form_data(self) -> None:
        """Refuse a page's form holding a NUL character: no text column can store one
        (PostgreSQL refuses it outright), and no one types it. The API checks its fields
        itself and answers 422 naming the field."""
        super()._load_form_data()
        if self.path.startswith("/api/"):
            return
        if any("\x00" in name or "\x00" in value for name, value in self.form.items(multi=True)):
            raise BadRequest(_("The form contains a NUL character, which cannot be stored. Remove it and try again."))

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
