"""The form of a bulk intake from the interface: a zip archive and the defaults for files its
metadata CSV says nothing of. The classification choices are narrowed to the uploader's
clearance by the view."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import Optional

from forms.fields import SingleFileField, text_length
from models.enums import EvidenceKind


class IntakeForm(FlaskForm):
    archive = SingleFileField(
        _l("Zip archive"),
        validators=[FileRequired(message=_l("Choose the zip archive to upload."))],
        description=_l(
            "A zip of the files, each to become an exhibit, with metadata.csv at its top if you have "
            "metadata (columns file, title, kind, source, date, classification, grade)."
        ),
    )
    classification = SelectField(_l("Classification"), default="public")
    kind = SelectField(_l("Kind"), choices=EvidenceKind.choices(), default="document")
    source = StringField(
        _l("Source"),
        validators=[Optional(), text_length(5_000)],
        description=_l("For files the metadata names no source for; otherwise “Bulk intake of” the archive."),
    )
