"""The search box: a GET form (it changes nothing, so it carries no CSRF token)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, IntegerField, SearchField
from wtforms.validators import NumberRange, Optional, ValidationError

from forms.fields import MultiCheckboxField, text_length
from models.enums import EvidenceKind
from services.search import fulltext
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
        description=_l(
            "A name in any script or spelling, a title, an instrument or an exhibit number;"
            " or words in the text of exhibits."
        ),
    )


class TextFilterForm(FlaskForm):
    """Filters of the search inside exhibits, read from the same address as the query. The
    classification choices are narrowed to the viewer's clearance by the view."""

    class Meta:
        csrf = False

    kind = MultiCheckboxField(_l("Kind of exhibit"), choices=EvidenceKind.choices())
    classification = MultiCheckboxField(_l("Classification"), choices=[])
    collected_from = DateField(_l("Collected from"), validators=[Optional()])
    collected_to = DateField(_l("Collected until"), validators=[Optional()])
    page = IntegerField(
        _l("Page of results"), validators=[Optional(), NumberRange(min=1, max=fulltext.CANDIDATE_LIMIT)]
    )

    def validate_collected_to(self, field: Field) -> None:
        if field.data and self.collected_from.data and field.data < self.collected_from.data:
            raise ValidationError(_l("The last date is before the first."))

    def filters(self) -> fulltext.Filters:
        return fulltext.Filters(
            kinds=tuple(self.kind.data or ()),
            classifications=tuple(self.classification.data or ()),
            collected_from=self.collected_from.data,
            collected_to=self.collected_to.data,
        )
