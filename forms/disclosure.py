"""The disclosure register's forms (services/disclosure/workflow.py): a recipient, a batch, an
item proposed in it, an item withheld, an originator's consent, and the approval and
disclosure buttons (a CSRF token and nothing else)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from forms.fields import ChoiceField, VersionField, not_after_today, text_length
from models.enums import DisclosureCategory, RecipientKind, WithholdingReason

MAX_OFFICIALS = 50


class FullDateField(DateField):
    """A full date, with a message of our own for one that is not a date."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(_l("Enter the date as YYYY-MM-DD.")) from exc


def official_numbers(form: Any, field: Any) -> None:
    """``12, 15``: the officials' numbers, as their pages' addresses show them."""
    parts = [p.strip() for p in (field.data or "").replace(";", ",").split(",") if p.strip()]
    if len(parts) > MAX_OFFICIALS or not all(p.isascii() and p.isdecimal() and len(p) <= 10 for p in parts):
        raise ValidationError(_l("Give the officials' numbers separated by commas, e.g. 12, 15."))
    field.numbers = [int(p) for p in parts]


class RecipientForm(FlaskForm):
    kind = SelectField(_l("Kind of recipient"), choices=RecipientKind.choices(), validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), text_length(300)])
    official_ids = StringField(
        _l("Officials defended"),
        validators=[text_length(MAX_OFFICIALS * 12), official_numbers],
        description=_l("For a defence team: the numbers of the officials it defends, separated by commas."),
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), text_length(5_000)])
    version = VersionField()


class BatchForm(FlaskForm):
    # Choices: the recipients on record, set by the view
    recipient_id = ChoiceField(_l("Recipient"), message=_l("Choose the recipient."), coerce=int)
    batch_date = FullDateField(
        _l("Date of the batch"),
        validators=[InputRequired(message=_l("Give the date of the batch."))],
        description=_l("A full date: YYYY-MM-DD."),
    )
    basis = StringField(
        _l("Rule or order it answers"),
        validators=[DataRequired(), text_length(500)],
        description=_l("E.g. Rule 77, or the order of the Pre-Trial Chamber and its date."),
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), text_length(5_000)])


class ItemForm(FlaskForm):
    # Choices: the files of the exhibit looked up, set by the view
    evidence_file_id = RadioField(
        _l("File"), coerce=int, validators=[InputRequired(message=_l("Choose the file to disclose."))]
    )
    category = SelectField(_l("Disclosed as"), choices=DisclosureCategory.choices(), validators=[InputRequired()])
    conditions = TextAreaField(
        _l("Conditions and restrictions"),
        validators=[Optional(), text_length(5_000)],
        description=_l("E.g. for counsel's eyes only; not to be copied."),
    )


class WithholdForm(FlaskForm):
    reason = ChoiceField(
        _l("Reason for withholding"),
        message=_l("Choose the reason under Rule 81."),
        choices=WithholdingReason.choices(),
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), text_length(5_000)])


class ConsentForm(FlaskForm):
    given_by = StringField(
        _l("Consent given by"),
        validators=[DataRequired(message=_l("Name who gave the consent.")), text_length(300)],
    )
    given_on = FullDateField(
        _l("Consent given on"),
        validators=[InputRequired(message=_l("Give the date of the consent.")), not_after_today],
        description=_l("A full date: YYYY-MM-DD."),
    )
    reference = StringField(
        _l("Reference"),
        validators=[DataRequired(message=_l("Give the reference of the consent.")), text_length(300)],
        description=_l("A letter, a note verbale, an e-mail's reference."),
    )


class StepForm(FlaskForm):
    """Approve or disclose a batch: the CSRF token is all there is to send."""
