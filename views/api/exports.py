"""API: case-file exports of a dossier, and the record of past ones.

An export is made by services/exports/case_files.py exactly as the dossier page's export button makes
it: only what the caller may see goes in, the bytes are spooled to a temporary file (never
whole in memory), and the export is recorded with its SHA-256, an audit event and custody
events. The file itself is the response; its hash is repeated in ``X-Content-SHA256`` so a
client can check what it received against the record.
"""

from __future__ import annotations

import tempfile
from typing import Any

from flask import current_app, send_file
from flask.views import MethodView
from flask_login import current_user
from marshmallow import fields
from werkzeug.wrappers import Response

from extensions import db
from models import Export, Official
from models.enums import CLASSIFICATIONS, EXPORT_FORMATS
from services.common.access import visible_classifications
from services.exports.case_files import MEDIA_TYPES, download_name, export_case_file, past_exports
from services.exports.data import ExportError
from views.api.common import ID, ApiBlueprint, Choice, Schema, load
from views.api.problems import ApiProblem
from views.util import role_required

blp = ApiBlueprint(
    "exports",
    __name__,
    description="Case files of a dossier (PDF, signed bag, FollowTheMoney, CSV) and the record of each one made.",
)

BINARY = {"type": "string", "format": "binary"}
# As documented: the media type without its parameters (CSV is sent with charset=utf-8)
DOCUMENTED_TYPES = {fmt: MEDIA_TYPES[fmt].split(";")[0] for fmt in EXPORT_FORMATS}
HASH_HEADERS = {
    "X-Content-SHA256": {
        "description": "SHA-256 (hex) of the file, as recorded with the export.",
        "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
    },
    "X-Export-Id": {"description": "The id of the export's record.", "schema": {"type": "integer"}},
    "Content-Disposition": {"description": "attachment, with the file's name.", "schema": {"type": "string"}},
}


class ExportRequestSchema(Schema):
    format = Choice(
        EXPORT_FORMATS,
        required=True,
        metadata={"description": "pdf, bag (a signed BagIt zip with the files), ftm (JSON lines) or csv."},
    )


class ExportSchema(Schema):
    """One case file handed out; the log is never changed."""

    id = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    actor_name = fields.String(required=True, metadata={"description": "Who exported it."})
    format = Choice(EXPORT_FORMATS, required=True)
    sha256 = fields.String(required=True)
    size = fields.Integer(required=True)
    highest_classification = Choice(CLASSIFICATIONS, required=True)
    exhibit_count = fields.Integer(required=True)
    withheld_count = fields.Integer(required=True, metadata={"description": "Exhibits above the exporter's clearance."})


class ExportListSchema(Schema):
    items = fields.List(
        fields.Nested(ExportSchema), required=True, metadata={"description": "Newest first, 50 at most."}
    )


def _documented_files(view: Any) -> Any:
    """Document the 200 answer once per format's media type (all binary)."""
    for fmt in reversed(EXPORT_FORMATS[1:]):
        view = blp.alt_response(
            200, schema=BINARY, content_type=DOCUMENTED_TYPES[fmt], headers=HASH_HEADERS, success=True
        )(view)
    return view


def _sent(official_id: int, fmt: str) -> Response:
    """Build the case file in a temporary file, record it, and send it as an attachment;
    the request then commits the record (a failure rolls it back)."""
    spool = tempfile.TemporaryFile(prefix="tribunal-export-")  # noqa: SIM115  (closed by the response)
    try:
        record: Export = export_case_file(
            db.session(), [official_id], fmt, current_user._get_current_object(), spool, config=current_app.config
        )
    except ExportError as exc:
        spool.close()
        raise ApiProblem(422, "refused", str(exc)) from exc
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    response = send_file(
        spool,
        mimetype=MEDIA_TYPES[fmt],
        as_attachment=True,
        download_name=download_name(record),
        max_age=0,
        etag=False,
        conditional=False,
    )
    response.headers["X-Content-SHA256"] = record.sha256
    response.headers["X-Export-Id"] = str(record.id)
    return response


@blp.route(f"/dossiers/<{ID}:official_id>/exports")
class DossierExports(MethodView):
    @role_required("viewer")
    @blp.response(200, ExportListSchema)
    def get(self, official_id: int) -> dict[str, Any]:
        """The latest exports that included this official, newest first: those made at a
        clearance yours covers, your own among them (others are not mentioned)."""
        load(Official, official_id)
        return {"items": past_exports(db.session(), official_id, visible_classifications(current_user))}

    @role_required("analyst")
    @blp.arguments(ExportRequestSchema)
    @_documented_files
    @blp.response(
        200,
        BINARY,
        content_type=DOCUMENTED_TYPES[EXPORT_FORMATS[0]],
        headers=HASH_HEADERS,
        description="The case file, as an attachment, in the media type of its format.",
    )
    def post(self, data: dict[str, Any], official_id: int) -> Response:
        """Export the dossier's case file (analysts and above): the file itself is the answer.

        Only evidence your clearance covers goes in; the rest is counted in the record's
        `withheld_count`. The export is recorded (see GET) with the file's SHA-256."""
        load(Official, official_id)
        return _sent(official_id, data["format"])
