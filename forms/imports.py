"""Forms for the import rules and the review queue.

The choices of the select fields (decisions, positions and the translated labels of roles
and kinds) are filled in by the view for each request.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forms.fields import VersionField, text_length
from services.imports.rules import target_faults


def optional_int(value: Any) -> int | None:
    """A select's value as an id; the blank choice is None."""
    if value in (None, ""):
        return None
    return int(value)


class ImportRuleForm(FlaskForm):
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    pattern = StringField(
        _l("Pattern"),
        validators=[
            DataRequired(message=_l("Enter the phrase to look for.")),
            Length(min=4, message=_l("At least %(min)d characters: a shorter phrase matches too much.", min=4)),
            text_length(2000),
        ],
        description=_l(
            "A phrase of the statement of reasons (or of the position text), matched regardless of case, "
            "quotation marks and spacing."
        ),
    )
    decision_id = SelectField(_l("Decision"), coerce=optional_int, validators=[Optional()])
    role = SelectField(_l("Role"), default="", validators=[Optional()])
    position_id = SelectField(_l("Position"), coerce=optional_int, validators=[Optional()])
    active = BooleanField(_l("Active"), default=True, description=_l("Inactive rules are kept but not applied."))
    note = TextAreaField(_l("Note"), validators=[Optional(), text_length(2000)])
    version = VersionField()

    def validate(self, extra_validators: Any = None) -> bool:
        """The target must match the kind (services/imports/rules.py target_faults)."""
        valid = super().validate(extra_validators)
        given = {name: self[name].data not in (None, "") for name in ("decision_id", "role", "position_id")}
        faults = target_faults(self.kind.data, given)
        for fault in faults:
            self[fault.field].errors = [*self[fault.field].errors, gettext(fault.message)]
        return valid and not faults


class ReviewForm(FlaskForm):
    """Only the CSRF token: the button says which judgement."""
