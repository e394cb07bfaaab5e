"""Forms for decisions and for the involvement of officials in them.

The choices of the select fields (institutions, officials, acts, and the translated labels
of enumerated values) are filled in by the view for each request.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from forms.fields import ChoiceField, MultiCheckboxField, PartialDateField, VersionField, text_length


class DecisionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), text_length(300)])
    kind = ChoiceField(_l("Kind"), message=_l("Choose the kind of decision."))
    date = PartialDateField(_l("Date"), validators=[InputRequired(message=_l("Enter the date of the decision."))])
    institution_id = ChoiceField(_l("Institution"), coerce=int, message=_l("Choose the institution."))
    instrument = StringField(
        _l("Instrument or reference"),
        validators=[Optional(), text_length(300)],
        description=_l("Decree, resolution, treaty or order, with its number where it has one."),
    )
    summary = TextAreaField(_l("Summary"), validators=[Optional(), text_length(20_000)])
    stage = SelectField(
        _l("Conduct stage"),
        default="",
        description=_l(
            "What the decision represents under Art. 8 bis: planning, preparation, initiation or execution."
        ),
    )
    act_ids = MultiCheckboxField(_l("Acts of aggression it contributed to"), coerce=int, validators=[Optional()])
    version = VersionField()


class InvolvementForm(FlaskForm):
    """An involvement's role, status and note; the official and the decision stay as they are."""

    role = ChoiceField(_l("Role"), message=_l("Choose the role."))
    status = SelectField(_l("Status"), default="alleged", validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), text_length(2000)])
    version = VersionField()


class NewInvolvementForm(InvolvementForm):
    official_id = ChoiceField(_l("Official"), coerce=int, message=_l("Choose the official."))
