"""The prosecutor's part of a dossier: status, lead, theory of the case, notes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from forms.fields import MultiCheckboxField, VersionField, text_length
from models.enums import LiabilityMode, Stance


def _optional_int(value: object) -> int | None:
    return int(str(value)) if value not in (None, "", "None") else None


class CaseForm(FlaskForm):
    status = SelectField(_l("Status"), validators=[InputRequired()])
    lead_prosecutor_id = SelectField(_l("Lead prosecutor"), coerce=_optional_int, validators=[Optional()])
    theory = TextAreaField(_l("Theory of the case"), validators=[Optional(), text_length(20_000)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), text_length(20_000)])
    reason = TextAreaField(
        _l("Reason for a change of status"),
        validators=[Optional(), text_length(5_000)],
        description=_l("Recorded with the change, with your name and the time."),
    )
    version = VersionField()


class ModeChoiceForm(FlaskForm):
    """The modes of liability to charge, and why (services/dossiers/workflow.py choose_modes)."""

    # validate_choice=False: an unknown mode is refused by the workflow, with its own message
    modes = MultiCheckboxField(
        _l("Modes of liability to charge"),
        choices=LiabilityMode.choices(),
        validate_choice=False,
        description=_l("None chosen withdraws the earlier choice."),
    )
    reason = TextAreaField(
        _l("Reason for this choice"),
        validators=[
            InputRequired(message=_l("Give the reason for this choice of the modes to charge.")),
            text_length(5_000),
        ],
        description=_l("Recorded with the choice, with your name and the time."),
    )
    version = VersionField()


class LinkEvidenceForm(FlaskForm):
    exhibit_no = StringField(
        _l("Exhibit number"),
        validators=[InputRequired(message=_l("Give the exhibit's number, such as P-0012.")), text_length(40)],
        filters=[lambda v: v.strip().upper() if isinstance(v, str) else v],
    )
    stance = RadioField(_l("Stance"), choices=Stance.choices(), default="supports")
    pinpoint = StringField(
        _l("Pinpoint"),
        validators=[Optional(), text_length(300)],
        description=_l("Where in the exhibit: page, paragraph or timestamp."),
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), text_length(5_000)])
