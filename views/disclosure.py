"""The disclosure register (issue 23): recipients and batches, a batch's page with its items,
and the steps of its workflow (services/disclosure/). Every list, count and item shows only
what the viewer's clearance covers (services/disclosure/visibility.py); preparing takes an
analyst, approving and disclosing a prosecutor."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from extensions import db
from forms.disclosure import BatchForm, ConsentForm, ItemForm, RecipientForm, StepForm, WithholdForm
from models import DisclosureBatch, DisclosureItem, DisclosureRecipient, EvidenceFile
from models.enums import BatchStatus, DisclosureCategory, ItemStatus, RecipientKind, WithholdingReason
from services.common import records
from services.common.access import role_at_least, visible_classifications
from services.disclosure import stamping, visibility
from services.disclosure import workflow as disclosure
from services.evidence import exhibits as evidence_service
from services.evidence.files import get_visible_file
from services.evidence.store import store_for
from services.facts.errors import FactRefused
from views.labels import label
from views.util import MAX_ID, FormPage, optional_text, role_required

bp = Blueprint("disclosure", __name__)

# The status a refusal answers with: a step the batch's state refuses, one the role refuses, bad input
_STATUS = {disclosure.Refused: 409, disclosure.NotAllowed: 403}


def _visible() -> tuple[str, ...]:
    return visible_classifications(current_user)


def _labels() -> dict[str, Any]:
    return {
        "kind_label": lambda v: label(RecipientKind, v),
        "batch_status_label": lambda v: label(BatchStatus, v),
        "item_status_label": lambda v: label(ItemStatus, v),
        "category_label": lambda v: label(DisclosureCategory, v),
        "reason_label": lambda v: label(WithholdingReason, v),
        "ern": lambda number: stamping.ern(current_app.config["ERN_PREFIX"], number),
    }


def _refusal_status(refusal: FactRefused) -> int:
    return next((code for kind, code in _STATUS.items() if isinstance(refusal, kind)), 400)


def _show_refusal(form: Any, refusal: FactRefused) -> int:
    if refusal.field in form:
        form[refusal.field].errors = [*form[refusal.field].errors, refusal.message]
    else:
        form.form_errors.append(refusal.message)
    return _refusal_status(refusal)


# --- the register -----------------------------------------------------------------------------


@bp.get("/disclosure")
@role_required("viewer")
def register() -> str:
    recipients, batches = visibility.register(db.session(), _visible())
    counts = visibility.item_counts(db.session(), [b.id for b in batches], _visible())
    return render_template(
        "disclosure/register.html", recipients=recipients, batches=batches, counts=counts, **_labels()
    )


def _recipient_or_404(recipient_id: int) -> DisclosureRecipient:
    recipient = db.session.get(DisclosureRecipient, recipient_id)
    if recipient is None:
        abort(404)
    return recipient


@bp.route("/disclosure/recipients/new", methods=["GET", "POST"])
@role_required("analyst")
def new_recipient() -> FormPage:
    return _recipient_page(None)


@bp.route("/disclosure/recipients/<int:recipient_id>/edit", methods=["GET", "POST"])
@role_required("analyst")
def edit_recipient(recipient_id: int) -> FormPage:
    return _recipient_page(_recipient_or_404(recipient_id))


def _recipient_page(recipient: DisclosureRecipient | None) -> FormPage:
    form = RecipientForm(obj=recipient) if request.method == "GET" and recipient else RecipientForm()
    if request.method == "GET" and recipient is not None:
        form.official_ids.data = ", ".join(str(o.id) for o in recipient.officials)
        form.version.data = recipient.version
    code = 400 if request.method == "POST" else 200
    if form.validate_on_submit():
        try:
            if recipient is not None:
                records.check_version(recipient, form.version.data)
            saved = disclosure.save_recipient(
                db.session(),
                recipient,
                disclosure.RecipientInput(
                    form.kind.data,
                    form.name.data,
                    optional_text(form.notes.data),
                    getattr(form.official_ids, "numbers", []),
                ),
            )
            records.flush_or_conflict(db.session())
        except records.EditConflict:
            db.session.rollback()
            form.form_errors.append(
                _("Someone else changed this recipient meanwhile. Nothing was saved: reload to see it.")
            )
            code = 409
        except FactRefused as refusal:
            code = _show_refusal(form, refusal)
        else:
            flash(_("Recipient %(name)s saved.", name=saved.name), "success")
            return redirect(url_for("disclosure.register"))
    return render_template("disclosure/recipient_form.html", form=form, recipient=recipient), code


# --- batches ---------------------------------------------------------------------------------


def _batch_or_404(batch_id: int) -> DisclosureBatch:
    batch = visibility.get_visible_batch(db.session(), batch_id, _visible())
    if batch is None:
        abort(404)  # a batch of exhibits above the viewer's clearance is as absent as a missing one
    return batch


def _item_or_404(item_id: int) -> DisclosureItem:
    item = visibility.get_visible_item(db.session(), item_id, _visible())
    if item is None:
        abort(404)
    return item


def _recipient_choices() -> list[tuple[int, str]]:
    query = select(DisclosureRecipient).order_by(DisclosureRecipient.name)
    return [(r.id, f"{r.name} ({label(RecipientKind, r.kind)})") for r in db.session.scalars(query)]


@bp.route("/disclosure/batches/new", methods=["GET", "POST"])
@role_required("analyst")
def new_batch() -> FormPage:
    form = BatchForm()
    form.recipient_id.choices = _recipient_choices()
    if request.method == "GET" and request.args.get("recipient", "").isdecimal():
        form.recipient_id.data = int(request.args["recipient"][:10])
    code = 400 if request.method == "POST" else 200
    if form.validate_on_submit():
        try:
            batch = disclosure.create_batch(
                db.session(),
                disclosure.BatchInput(
                    form.recipient_id.data, form.batch_date.data, form.basis.data, optional_text(form.notes.data)
                ),
                current_user,
            )
        except FactRefused as refusal:
            code = _show_refusal(form, refusal)
        else:
            flash(_("Batch %(number)d made: add its items.", number=batch.id), "success")
            return redirect(url_for("disclosure.show_batch", batch_id=batch.id))
    return render_template("disclosure/batch_form.html", form=form), code


def _exhibit_files(number: str) -> tuple[Any, list[EvidenceFile]]:
    """The exhibit a batch page's search names (``?exhibit=P-0001``), as the viewer may see it."""
    number = number.strip()[:40]
    if not number:
        return None, []
    evidence = evidence_service.get_by_number(db.session(), number, _visible())
    if evidence is None:
        return None, []
    return evidence, list(evidence.files)


def _file_label(file: EvidenceFile) -> str:
    name = file.original_name or _("file #%(id)d", id=file.id)
    kind = _("original") if file.derivation is None else file.derivation
    return f"{name} · {kind} · SHA-256 {file.sha256[:12]}…"


def _batch_page(batch: DisclosureBatch, code: int = 200, **forms: Any) -> tuple[str, int]:
    session = db.session()
    visible = _visible()
    items = list(session.scalars(visibility.visible_items(visible, batch.id)))
    item_form = forms.get("item_form")
    evidence = forms.get("found")
    if item_form is None:
        evidence, files = _exhibit_files(request.args.get("exhibit", ""))
        if evidence is not None:
            item_form = ItemForm()
            item_form.evidence_file_id.choices = [(f.id, _file_label(f)) for f in files]
    analyst = role_at_least(current_user, "analyst")
    context = {
        "batch": batch,
        "items": items,
        "exhibit_query": request.args.get("exhibit", "")[:40],
        "found": evidence,
        "item_form": item_form,
        "step_form": forms.get("step_form") or StepForm(),
        "withhold_forms": {
            i.id: forms.get("withhold_forms", {}).get(i.id) or WithholdForm(prefix=f"w{i.id}") for i in items
        },
        "consent_forms": {
            i.id: forms.get("consent_forms", {}).get(i.id) or ConsentForm(prefix=f"c{i.id}") for i in items
        },
        "may_prepare": analyst and batch.status == "draft",
        "may_decide": role_at_least(current_user, "prosecutor"),
        "missing_consents": {i.id for i in disclosure.missing_consents(batch)} if batch.status == "approved" else set(),
        **_labels(),
    }
    return render_template("disclosure/batch.html", **context), code


@bp.get("/disclosure/batches/<int:batch_id>")
@role_required("viewer")
def show_batch(batch_id: int) -> FormPage:
    return _batch_page(_batch_or_404(batch_id))


@bp.post("/disclosure/batches/<int:batch_id>/items")
@role_required("analyst")
def add_item(batch_id: int) -> FormPage:
    batch = _batch_or_404(batch_id)
    form = ItemForm()
    chosen = form.evidence_file_id.data if isinstance(form.evidence_file_id.data, int) else None
    file = _visible_file(chosen)
    form.evidence_file_id.choices = [(f.id, _file_label(f)) for f in (file.evidence.files if file else [])]
    code = 400
    if form.validate_on_submit() and file is not None:
        try:
            disclosure.add_item(
                db.session(),
                batch,
                file,
                category=form.category.data,
                conditions=optional_text(form.conditions.data),
                actor=current_user,
            )
        except FactRefused as refusal:
            code = _show_refusal(form, refusal)
        else:
            flash(_("%(exhibit)s proposed for disclosure.", exhibit=file.evidence.exhibit_no), "success")
            return redirect(url_for("disclosure.show_batch", batch_id=batch.id))
    elif file is None and not form.evidence_file_id.errors:
        form.evidence_file_id.errors = [_("Choose the file to disclose.")]
    return _batch_page(batch, code, item_form=form, found=file.evidence if file else None)


def _visible_file(file_id: int | None) -> EvidenceFile | None:
    """A file the viewer may see, or None."""
    if file_id is None or not 0 < file_id <= MAX_ID:
        return None
    return get_visible_file(db.session(), file_id, _visible())


def _step(batch_id: int, step: str) -> FormPage:
    batch = _batch_or_404(batch_id)
    form = StepForm()
    if not form.validate_on_submit():
        form.form_errors.append(_("The form expired: try again."))
        return _batch_page(batch, 400, step_form=form)
    try:
        if step == "approve":
            disclosure.approve(db.session(), batch, current_user, _visible())
            message = _("Batch %(number)d approved.", number=batch.id)
        else:
            store = store_for(current_app.config)
            disclosure.disclose(
                db.session(), batch, current_user, _visible(), store, ern_prefix=current_app.config["ERN_PREFIX"]
            )
            message = _("Batch %(number)d disclosed: each file's custody chain records it.", number=batch.id)
    except FactRefused as refusal:
        db.session.rollback()
        batch = _batch_or_404(batch_id)
        form.form_errors.append(refusal.message)
        return _batch_page(batch, _refusal_status(refusal), step_form=form)
    flash(message, "success")
    return redirect(url_for("disclosure.show_batch", batch_id=batch.id))


@bp.post("/disclosure/batches/<int:batch_id>/approve")
@role_required("prosecutor")
def approve_batch(batch_id: int) -> FormPage:
    return _step(batch_id, "approve")


@bp.post("/disclosure/batches/<int:batch_id>/disclose")
@role_required("prosecutor")
def disclose_batch(batch_id: int) -> FormPage:
    return _step(batch_id, "disclose")


@bp.post("/disclosure/items/<int:item_id>/withhold")
@role_required("analyst")
def withhold_item(item_id: int) -> FormPage:
    item = _item_or_404(item_id)
    form = WithholdForm(prefix=f"w{item.id}")
    code = 400
    if form.validate_on_submit():
        try:
            disclosure.withhold(db.session(), item, form.reason.data, optional_text(form.note.data), current_user)
        except FactRefused as refusal:
            code = _show_refusal(form, refusal)
        else:
            flash(_("%(exhibit)s withheld.", exhibit=item.evidence.exhibit_no), "success")
            return redirect(url_for("disclosure.show_batch", batch_id=item.batch_id))
    return _batch_page(item.batch, code, withhold_forms={item.id: form})


@bp.post("/disclosure/items/<int:item_id>/consent")
@role_required("analyst")
def record_consent(item_id: int) -> FormPage:
    item = _item_or_404(item_id)
    form = ConsentForm(prefix=f"c{item.id}")
    code = 400
    if form.validate_on_submit():
        try:
            disclosure.record_consent(
                db.session(),
                item,
                given_by=form.given_by.data,
                given_on=form.given_on.data,
                reference=form.reference.data,
                actor=current_user,
            )
        except FactRefused as refusal:
            code = _show_refusal(form, refusal)
        else:
            flash(
                _("The originator's consent for %(exhibit)s is recorded.", exhibit=item.evidence.exhibit_no), "success"
            )
            return redirect(url_for("disclosure.show_batch", batch_id=item.batch_id))
    return _batch_page(item.batch, code, consent_forms={item.id: form})
