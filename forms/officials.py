"""Forms for officials, with their names and identifiers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from forms.fields import ChoiceField, PartialDateField, VersionField, end_not_before_start, text_length
from models.enums import Gender, IdentifierScheme, NameKind, Script

SCRIPT_CHOICES = Script.choices()


class NameForm(Form):
    """One more written form of the name; a row left empty is ignored, emptied is removed."""

    name = StringField(_l("Name"), validators=[Optional(), text_length(300)])
    script = SelectField(_l("Script"), choices=SCRIPT_CHOICES, default="Latn")
    lang = StringField(_l("Language"), validators=[Optional(), text_length(8)], description=_l("e.g. ru, be, ko, en"))
    kind = SelectField(_l("Kind"), choices=NameKind.choices(), default="alias")


class IdentifierForm(Form):
    scheme = SelectField(_l("Register"), choices=IdentifierScheme.choices())
    value = StringField(_l("Identifier"), validators=[Optional(), text_length(100)])


class OfficialForm(FlaskForm):
    name = StringField(_l("Name (Latin script)"), validators=[DataRequired(), text_length(300)])
    native_name = StringField(_l("Name in native script"), validators=[Optional(), text_length(300)])
    native_script = SelectField(_l("Native script"), choices=[("", "—"), *SCRIPT_CHOICES], default="")
    state_id = ChoiceField(_l("State"), coerce=int, message=_l("Choose the State."))
    birth_date = PartialDateField(_l("Date of birth"))
    gender = SelectField(_l("Gender"), choices=[("", "—"), *Gender.choices()], default="")
    notes = TextAreaField(_l("Notes"), validators=[Optional(), text_length(10_000)])
    names = FieldList(FormField(NameForm), min_entries=0)
    identifiers = FieldList(FormField(IdentifierForm), min_entries=0)
    # Ticked after the form showed officials who may be the same person: save all the same
    different_person = BooleanField(_l("This is a different person: add the official all the same"))
    version = VersionField()


class DeleteForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for deleting"),
        validators=[DataRequired(), text_length(2000)],
        description=_l("Kept with the record; an administrator can restore it."),
    )


class ConfirmForm(FlaskForm):
    """Only the CSRF token: a confirmation button."""


BLANK_ROWS = 2  # empty rows offered for adding names or identifiers without JavaScript


class TenureForm(FlaskForm):
    position_id = ChoiceField(_l("Position"), coerce=int, message=_l("Choose the position."))
    start = PartialDateField(_l("From"), validators=[DataRequired(message=_l("Enter the date the tenure began."))])
    end = PartialDateField(
        _l("To"), validators=[Optional(), end_not_before_start("start")], description=_l("Leave empty while in office.")
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), text_length(2000)])
    version = VersionField()
