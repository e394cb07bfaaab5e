"""Forms for institutions and the positions within them."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Optional

from forms.fields import ChoiceField, VersionField, text_length
from models.enums import InstitutionKind, PositionTier, TroikaKind

NONE_CHOICE = ("", "—")


def optional_int(value: Any) -> int | None:
    """Coerce a select's value to an id; the empty choice means none."""
    if value in (None, "", "None"):
        return None
    return int(value)


class InstitutionForm(FlaskForm):
    state_id = ChoiceField(_l("State"), coerce=int, message=_l("Choose the State."))
    # Choices leave out the institution itself and everything under it, so no cycle can be made
    parent_id = SelectField(
        _l("Part of"),
        coerce=optional_int,
        validators=[Optional()],
        description=_l("The body this one belongs to, if any."),
    )
    name = StringField(_l("Name (Latin script)"), validators=[DataRequired(), text_length(300)])
    native_name = StringField(_l("Name in native script"), validators=[Optional(), text_length(300)])
    kind = SelectField(_l("Kind"), choices=InstitutionKind.choices())
    version = VersionField()


class PositionForm(FlaskForm):
    institution_id = ChoiceField(_l("Institution"), coerce=int, message=_l("Choose the institution."))
    title = StringField(_l("Title"), validators=[DataRequired(), text_length(300)])
    tier = SelectField(
        _l("Tier"),
        choices=PositionTier.choices(),
        description=_l("Leadership: able to direct the State's political or military action."),
    )
    troika = SelectField(
        _l("Troika"),
        choices=[NONE_CHOICE, *TroikaKind.choices()],
        default="",
        description=_l(
            "Head of state, head of government or foreign minister: trial in absentia waits until "
            "the person leaves office."
        ),
    )
    version = VersionField()
