"""Bulk intake from the interface: an analyst uploads a zip; a job makes the exhibits and its page
shows the progress and the per-file report (views/jobs.py)."""

from __future__ import annotations

import zipfile

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from extensions import db
from forms.intake import IntakeForm
from models import User
from models.enums import Classification
from services.common.access import settable_classifications
from services.evidence.intake import ingest
from services.evidence.intake import job as intake_job
from services.evidence.intake.sources import IntakeRefused, Limits, list_intake
from services.evidence.store import store_for
from views.evidence_files import incoming_of, received_form_problem
from views.labels import label
from views.uploads import accepts_files
from views.util import FormPage, optional_text, role_required

bp = Blueprint("intake", __name__)


def _form() -> IntakeForm:
    form = IntakeForm()
    form.classification.choices = [(c, label(Classification, c)) for c in settable_classifications(current_user)]
    return form


def _limits() -> Limits:
    config = current_app.config
    return Limits(config["INTAKE_MAX_FILES"], config["INTAKE_MAX_BYTES"], config["MAX_UPLOAD_BYTES"])


@bp.route("/evidence/intake", methods=["GET", "POST"])
@role_required("analyst")
@accepts_files
def new_intake() -> FormPage:
    form = _form()
    if request.method == "POST":
        problem = received_form_problem()
        if problem:
            form.form_errors.append(problem)
        elif form.validate_on_submit():
            incoming = incoming_of(form.archive.data)
            try:
                if not zipfile.is_zipfile(incoming.path):
                    raise IntakeRefused(_("The file is not a zip archive."))
                incoming.flush()
                list_intake(incoming.path, _limits())  # a bomb or a broken archive is refused now
            except IntakeRefused as refusal:
                form.form_errors.extend([str(refusal), _("Nothing was stored.")])
            else:
                user: User = current_user._get_current_object()
                defaults = ingest.Defaults(
                    kind=form.kind.data,
                    source=optional_text(form.source.data),
                    classification=form.classification.data,
                )
                token = intake_job.keep_upload(store_for(current_app.config), incoming)
                name = form.archive.data.filename or "archive.zip"
                job = intake_job.schedule(db.session(), token, name, user, defaults)
                return redirect(url_for("jobs.show_job", job_id=job.id))
    status = 400 if request.method == "POST" else 200
    return render_template("intake/new.html", form=form), status
