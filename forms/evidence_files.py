"""Forms for an exhibit's files and its chain of custody.

Hashes, sizes, media types and who acted are never fields: the server computes or records
them. The file a custody event concerns is chosen from the exhibit's own files, set by the view.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileRequired, MultipleFileField
from wtforms import DateTimeLocalField, Field, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from forms.fields import SingleFileField, text_length
from models.enums import CUSTODY_EVENT_TYPES, CustodyEventType, DerivationKind

# Recorded only by the system, as it hands bytes out: a person cannot claim them.
SYSTEM_EVENT_TYPES = ("downloaded", "exported")
MANUAL_EVENT_TYPES = tuple(t for t in CUSTODY_EVENT_TYPES if t not in SYSTEM_EVENT_TYPES)

PURPOSE_HINT = _l("Why: kept in the chain of custody with each file.")


class UploadForm(FlaskForm):
    files = MultipleFileField(
        _l("Files"),
        validators=[FileRequired(message=_l("Choose at least one file to upload."))],
        description=_l("One or more files; each is hashed (SHA-256) as it arrives and stored unchanged."),
    )
    purpose = StringField(_l("Purpose"), validators=[Optional(), text_length(2_000)], description=PURPOSE_HINT)


class DerivativeForm(FlaskForm):
    file = SingleFileField(_l("File"), validators=[FileRequired(message=_l("Choose the file to upload."))])
    kind = SelectField(
        _l("Kind of derivative"),
        choices=DerivationKind.choices(),
        validators=[DataRequired()],
    )
    note = TextAreaField(
        _l("How it was made"),
        validators=[DataRequired(message=_l("Say how the derivative was made.")), text_length(5_000)],
        description=_l("Who made it, with what tool or method, from which part of the original."),
    )


def _optional_int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def not_in_the_future(form: Any, field: Field) -> None:
    if field.data is not None and field.data.replace(tzinfo=dt.UTC) > dt.datetime.now(dt.UTC):
        raise ValidationError(_l("The time cannot be in the future."))


class CustodyEventForm(FlaskForm):
    event_type = SelectField(
        _l("Event"), choices=[(t, text) for t, text in CustodyEventType.choices() if t in MANUAL_EVENT_TYPES]
    )
    occurred_at = DateTimeLocalField(
        _l("When (UTC)"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        validators=[Optional(), not_in_the_future],
        description=_l("Coordinated Universal Time; leave empty for now."),
    )
    from_party = StringField(_l("From"), validators=[Optional(), text_length(300)])
    to_party = StringField(_l("To"), validators=[Optional(), text_length(300)])
    location = StringField(
        _l("Location or system"),
        validators=[Optional(), text_length(300)],
        description=_l("Where it happened: a place, a vault, a system."),
    )
    purpose = TextAreaField(
        _l("Purpose"),
        validators=[DataRequired(message=_l("Say why this happened.")), text_length(5_000)],
    )
    # Choices: the exhibit's files, set by the view
    evidence_file_id = SelectField(
        _l("File concerned"),
        coerce=_optional_int,
        description=_l("When the event concerns one file, its stored bytes are re-verified and the hash recorded."),
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.event_type.data == "transferred":
            for field in (self.from_party, self.to_party):
                if not (field.data or "").strip():
                    field.errors = [*field.errors, _l("A transfer needs both who handed it over and who received it.")]
                    valid = False
        return valid

    def occurred_at_utc(self) -> dt.datetime | None:
        """The time entered, read as UTC (the field says so)."""
        value: dt.datetime | None = self.occurred_at.data
        return value.replace(tzinfo=dt.UTC) if value else None
