"""Forms for uploading an import file and applying a previewed import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileRequired
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.validators import DataRequired, Regexp

from forms.fields import SingleFileField

# The formats services/imports/runs.py reads, with what a user recognises them by
FORMAT_CHOICES = [
    ("eu-csv", _l("EU sanctions list (OpenSanctions CSV of the Official Journal)")),
    ("ofac-csv", _l("US OFAC SDN list (CSV)")),
    ("ftm", _l("FollowTheMoney entities (JSON lines)")),
]
TOKEN_PATTERN = r"^[0-9a-f]{32}$"  # noqa: S105  (the shape of a token, not a secret)


class ImportUploadForm(FlaskForm):
    fmt = SelectField(_l("Format"), choices=FORMAT_CHOICES, validators=[DataRequired()])
    file = SingleFileField(
        _l("File"),
        validators=[FileRequired(message=_l("Choose the file to import."))],
        description=_l("Nothing is written yet: a preview of the import comes first."),
    )
    lenient = BooleanField(
        _l("Skip malformed rows"),
        description=_l("Without this, one malformed row refuses the whole file."),
    )
    strict = BooleanField(
        _l("Import every person or nothing"),
        description=_l("Refuse the whole file if any person in it would not be imported (another State's national…)."),
    )
    accept_certain = BooleanField(
        _l("Accept certain matches"),
        description=_l(
            "Merge a person into an official with the same name, full birth date and State without review. "
            "Each acceptance is recorded with your name and can be undone."
        ),
    )


class ApplyImportForm(FlaskForm):
    # A server-made token naming the previewed file; checked against the user's session
    token = HiddenField(validators=[DataRequired(), Regexp(TOKEN_PATTERN)])
