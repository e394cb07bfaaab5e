"""The History of each record, and the administrators' audit page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from extensions import db
from models import (
    AggressionAct,
    AuditEvent,
    Decision,
    Dossier,
    Evidence,
    Institution,
    Official,
    PartialDate,
    PartialDateError,
    Position,
    State,
    User,
)
from services.audit.history import audit_filters, changed_fields, record_history, visible_events
from services.common.access import visible_classifications
from views.listing import paginate
from views.util import role_required

bp = Blueprint("history", __name__)

# Record types that have a History page, by the table name the audit trail uses.
RECORD_TYPES: dict[str, Any] = {
    "official": Official,
    "institution": Institution,
    "position": Position,
    "decision": Decision,
    "aggression_act": AggressionAct,
    "evidence": Evidence,
    "state": State,
    "dossier": Dossier,
    "users": User,
}
RECORD_TYPE_LABELS = {
    "official": _l("Official"),
    "institution": _l("Institution"),
    "position": _l("Position"),
    "decision": _l("Decision"),
    "aggression_act": _l("Aggression act"),
    "evidence": _l("Evidence"),
    "state": _l("State"),
    "dossier": _l("Dossier"),
    "users": _l("User"),
    "official_name": _l("Name"),
    "external_identifier": _l("Identifier"),
    "tenure": _l("Tenure"),
    "involvement": _l("Involvement"),
    "support": _l("Support"),
    "act_category": _l("Act category"),
}
EVENT_SORTS = {"time": [AuditEvent.occurred_at, AuditEvent.id]}


@bp.get("/history/<entity_type>/<int:entity_id>")
@role_required("viewer")
def record(entity_type: str, entity_id: int) -> str:
    model = RECORD_TYPES.get(entity_type)
    if model is None or (entity_type == "users" and not current_user.has_role("admin")):
        abort(404)
    row = db.session.get(model, entity_id)
    visible = visible_classifications(current_user)
    if row is None or (isinstance(row, Evidence) and row.classification not in visible):
        abort(404)
    page = paginate(
        db.session(),
        record_history(entity_type, entity_id, visible),
        sorts=EVENT_SORTS,
        default_sort="time",
        default_direction="desc",
    )
    return render_template(
        "history/record.html",
        page=page,
        record=row,
        entity_type=entity_type,
        changed_fields=changed_fields,
        type_labels=RECORD_TYPE_LABELS,
    )


@bp.get("/audit")
@role_required("admin")
def audit() -> str:
    """The whole trail, newest first, filterable by user, record type and date range."""
    args = {k: request.args[k].strip() for k in ("actor", "type", "from", "to") if request.args.get(k, "").strip()}
    errors: list[str] = []
    dates: dict[str, PartialDate | None] = {}
    for name in ("from", "to"):
        try:
            dates[name] = PartialDate.parse(args[name]) if name in args else None
        except PartialDateError:
            errors.append(name)
            dates[name] = None
    query = audit_filters(
        visible_events(visible_classifications(current_user)),
        actor=args.get("actor"),
        entity_type=args["type"] if args.get("type") in RECORD_TYPE_LABELS else None,
        since=dates["from"].start if dates["from"] else None,
        until=dates["to"].end if dates["to"] else None,
    )
    page = paginate(
        db.session(), query, sorts=EVENT_SORTS, default_sort="time", default_direction="desc", extra_args=args
    )
    page.errors = errors
    return render_template(
        "history/audit.html", page=page, changed_fields=changed_fields, type_labels=RECORD_TYPE_LABELS
    )
