"""The search box: a GET form (it changes nothing, so it carries no CSRF token)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SearchField
from wtforms.validators import ValidationError

from forms.fields import text_length
from services.search.engine import MAX_QUERY_LENGTH, MIN_QUERY_CHARACTERS, compact, fold


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def searchable(form: Any, field: Field) -> None:
    """Refuse a query with too few letters or digits to look up, in any script."""
    if field.data and len(compact(fold(field.data))) < MIN_QUERY_CHARACTERS:
        raise ValidationError(_l("Type at least %(num)d letters or digits.", num=MIN_QUERY_CHARACTERS))


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(
        _l("Search"),
        filters=[_strip],
        validators=[text_length(MAX_QUERY_LENGTH), searchable],
        description=_l("A name in any script or spelling, a title, an instrument or an exhibit number."),
    )
