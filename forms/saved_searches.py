"""Saving the filters of a page under a name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired

from forms.fields import text_length


class SavedSearchForm(FlaskForm):
    page = HiddenField()
    query = HiddenField()
    name = StringField(
        _l("Save these filters as"),
        validators=[DataRequired(message=_l("Give the search a name.")), text_length(120)],
    )
