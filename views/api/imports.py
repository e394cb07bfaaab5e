"""API: import runs of sanctions lists and FollowTheMoney files, and their reports.

An upload is received as the HTML upload is (views/uploads.py: written to the evidence
store's incoming folder and hashed as it arrives, never held in memory, removed when the
request ends) and run by services/imports/runs.py ``run_import`` as the import page and the
``flask import`` command run it. A dry run (the default) does the whole import and rolls it
back; ``dry_run=false`` applies it. Either way the run and its report are recorded, a
refused run too (``status: refused``, nothing else written).
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app
from flask.views import MethodView
from flask_login import current_user
from marshmallow import fields
from sqlalchemy import select
from sqlalchemy.orm import defer
from werkzeug.datastructures import FileStorage

from extensions import db
from models import ImportRun
from models.enums import IMPORT_FORMATS, IMPORT_STATUSES
from services.evidence.store import IncomingFile
from services.imports.apply import Settings
from services.imports.runs import OUTCOMES, run_import
from views.api.common import (
    ID,
    Choice,
    ListArgs,
    Schema,
    keyset_page,
    load,
    page_schema,
    refuse,
)
from views.api.multipart import MultipartBlueprint, UploadedFile
from views.uploads import accepts_files
from views.util import role_required

ROWS_SHOWN = 1000  # report rows in one answer; the counts always cover every row


blp = MultipartBlueprint(
    "imports",
    __name__,
    description="Officials imported from sanctions lists (EU, OFAC) and FollowTheMoney files; a dry run first.",
)


# --- schemas ----------------------------------------------------------------------------------


def FormBoolean(**kwargs: Any) -> fields.Boolean:  # noqa: N802  (reads as a field type)
    """A form field holding true or false, spelt so; "0", "yes" and the like are refused."""
    return fields.Boolean(truthy={"true"}, falsy={"false"}, **kwargs)


class ImportUploadSchema(Schema):
    file = UploadedFile(required=True, metadata={"description": "The file to import."})
    format = Choice(
        IMPORT_FORMATS,
        required=True,
        metadata={
            "description": "ftm (FollowTheMoney JSON lines), eu-csv (OpenSanctions CSV of the EU list), ofac-csv."
        },
    )
    dry_run = FormBoolean(load_default=True, metadata={"description": "Check only, write nothing (default true)."})
    lenient = FormBoolean(
        load_default=False,
        metadata={"description": "Skip malformed rows instead of refusing the file (default false)."},
    )
    strict = FormBoolean(
        load_default=False,
        metadata={"description": "Refuse the whole file if any person in it would not be imported (default false)."},
    )
    accept_certain = FormBoolean(
        load_default=False,
        metadata={
            "description": "Merge certain matches (the same name, full birth date and State) without review; "
            "each is recorded as a confirmed review that can be undone (default false)."
        },
    )


CountsSchema = Schema.from_dict({o: fields.Integer(required=True) for o in OUTCOMES}, name="ImportCounts")


ReasonsSchema = Schema.from_dict(
    {
        "skipped": fields.Dict(
            keys=fields.String(),
            values=fields.Integer(),
            required=True,
            metadata={"description": "Rows skipped by design (legal entities, vessels...) by reason."},
        ),
        "not_imported": fields.Dict(
            keys=fields.String(),
            values=fields.Integer(),
            required=True,
            metadata={
                "description": "Persons not imported by reason: other_state (a national of another State), "
                "no_state (no nationality and no regime against Russia, Belarus or the DPRK)."
            },
        ),
    },
    name="ImportReasons",
)


class ImportRowSchema(Schema):
    line = fields.Integer(required=True)
    outcome = Choice(OUTCOMES, required=True)
    reason = fields.String(required=True)
    official_id = fields.Integer(required=True, allow_none=True)
    name = fields.String(required=True)


class ImportRunSummarySchema(Schema):
    id = fields.Integer(required=True)
    format = Choice(IMPORT_FORMATS, required=True)
    file_name = fields.String(required=True, allow_none=True)
    sha256 = fields.String(required=True, metadata={"description": "Of the file as received."})
    size = fields.Integer(required=True)
    actor_name = fields.String(required=True)
    started_at = fields.DateTime(required=True)
    finished_at = fields.DateTime(required=True, allow_none=True)
    dry_run = fields.Boolean(required=True)
    lenient = fields.Boolean(required=True)
    strict = fields.Boolean(required=True)
    accept_certain = fields.Boolean(required=True)
    status = Choice(
        IMPORT_STATUSES,
        required=True,
        metadata={"description": "applied; dry_run (checked, nothing written); refused (nothing written)."},
    )
    counts = fields.Nested(CountsSchema, required=True, metadata={"description": "Rows by outcome."})
    reasons = fields.Nested(ReasonsSchema, required=True)

    def _fields(self, run: ImportRun) -> dict[str, Any]:
        return {
            "id": run.id,
            "format": run.format,
            "file_name": run.file_name,
            "sha256": run.sha256,
            "size": run.size,
            "actor_name": run.actor_name,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "dry_run": run.dry_run,
            "lenient": run.lenient,
            "strict": run.strict,
            "accept_certain": run.accept_certain,
            "status": run.status,
            "counts": {o: int((run.counts or {}).get(o, 0)) for o in OUTCOMES},
            "reasons": {o: dict((run.reasons or {}).get(o, {})) for o in ("skipped", "not_imported")},
        }

    @ma.pre_dump
    def _columns(self, run: ImportRun, **_kw: Any) -> dict[str, Any]:
        return self._fields(run)


class ImportRunSchema(ImportRunSummarySchema):
    message = fields.String(required=True, allow_none=True, metadata={"description": "Why a run was refused."})
    rows = fields.List(
        fields.Nested(ImportRowSchema),
        required=True,
        metadata={"description": f"Rows not simply new or unchanged, with their line; the first {ROWS_SHOWN}."},
    )
    rows_omitted = fields.Integer(required=True, metadata={"description": "Report rows left out of `rows`."})

    def _fields(self, run: ImportRun) -> dict[str, Any]:
        rows = [r for r in run.report or [] if r.get("outcome") in OUTCOMES]
        refused = [r for r in run.report or [] if r.get("outcome") not in OUTCOMES]
        return {
            **super()._fields(run),
            "message": str(refused[0].get("reason") or "") or None if refused else None,
            "rows": [_row(r) for r in rows[:ROWS_SHOWN]],
            "rows_omitted": max(0, len(rows) - ROWS_SHOWN),
        }


def _row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "line": int(row.get("line") or 0),
        "outcome": row["outcome"],
        "reason": str(row.get("reason") or ""),
        "official_id": row.get("official_id"),
        "name": str(row.get("name") or ""),
    }


class ImportListArgs(ListArgs):
    status = Choice(IMPORT_STATUSES)
    format = Choice(IMPORT_FORMATS)


# --- running an import ------------------------------------------------------------------------


def _incoming(storage: FileStorage) -> IncomingFile:
    stream = storage.stream
    if not isinstance(stream, IncomingFile):  # UploadRequest writes every file part into one
        raise TypeError("the upload was not received through UploadRequest")
    if stream.size == 0:
        raise refuse("file", "The file is empty.")
    return stream


def _run(data: dict[str, Any]) -> ImportRun:
    storage: FileStorage = data["file"]
    incoming = _incoming(storage)
    incoming.flush()
    with incoming.path.open("rb") as stream:  # the request removes the file when it ends
        report = run_import(
            db.session(),
            data["format"],
            stream,
            user=current_user._get_current_object(),
            file_name=(storage.filename or "")[:500] or None,
            dry_run=data["dry_run"],
            lenient=data["lenient"],
            strict=data["strict"],
            accept_certain=data["accept_certain"],
            total_bytes=incoming.size,
            settings=Settings.from_config(current_app.config),
        )
    run = db.session.get(ImportRun, report.run_id)
    assert run is not None  # noqa: S101  (run_import has just flushed it)
    return run


@blp.route("/imports")
class Imports(MethodView):
    @role_required("analyst")
    @blp.arguments(ImportListArgs, location="query")
    @blp.response(200, page_schema(ImportRunSummarySchema, "ImportRunPage"))
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Import runs, oldest first; filter by status or format."""
        query = select(ImportRun).options(defer(ImportRun.report))
        if "status" in args:
            query = query.where(ImportRun.status == args["status"])
        if "format" in args:
            query = query.where(ImportRun.format == args["format"])
        return keyset_page(query, ImportRun.id, args)

    @role_required("analyst")
    @accepts_files
    @blp.arguments(ImportUploadSchema, location="multipart")
    @blp.response(201, ImportRunSchema)
    def post(self, data: dict[str, Any]) -> tuple[ImportRun, int, dict[str, str]]:
        """Import a file (analysts and above); a dry run unless `dry_run` is false.

        The run is recorded whatever its outcome and answered with 201: `status` says whether
        it was applied, only checked (dry_run), or refused (a malformed row without
        `lenient`, a person not imported with `strict`, or a file not in the format), in which
        case nothing else was written."""
        run = _run(data)
        return run, 201, {"Location": f"/api/v1/imports/{run.id}"}


@blp.route(f"/imports/<{ID}:run_id>")
class ImportById(MethodView):
    @role_required("analyst")
    @blp.response(200, ImportRunSchema)
    def get(self, run_id: int) -> ImportRun:
        """One run with its report."""
        return load(ImportRun, run_id)
