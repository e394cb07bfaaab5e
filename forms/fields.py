"""Fields and checks shared by the forms."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import Field, HiddenField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import Choice
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from models import PartialDate, PartialDateError
from models.partial_date import after_today, utc_today
from services.common.text_rules import text_fault
from services.facts.errors import Invalid
from services.facts.periods import check_period


def future_date_message() -> str:
    return gettext("No fact can be dated after today (%(today)s): enter a date that has come.", today=str(utc_today()))


class PartialDateField(StringField):
    """A date typed as ``2022``, ``2022-02`` or ``2022-02-24``; ``data`` is a PartialDate."""

    data: PartialDate | None

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("description", _l("YYYY, YYYY-MM or YYYY-MM-DD"))
        super().__init__(label, validators or [Optional()], **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return str(self.data) if self.data else ""

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None
            return
        try:
            self.data = PartialDate.parse(text)
        except PartialDateError as exc:
            self.data = None
            raise ValueError(_l("Enter a date as YYYY, YYYY-MM or YYYY-MM-DD.")) from exc
        if after_today(self.data.start):
            self.data = None
            raise ValueError(future_date_message())


def not_after_today(form: Any, field: Field) -> None:
    """A full date (``DateField``) that has come."""
    if field.data is not None and after_today(field.data):
        raise ValidationError(future_date_message())


class SingleFileField(FileField):
    """One file: a second file part sent under the field's name is refused (Werkzeug and
    WTForms would keep the first and drop the others without a word)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if sum(1 for value in valuelist if isinstance(value, FileStorage) and value) > 1:
            raise ValueError(_l("Send one file here, not several: nothing was stored."))


def end_not_before_start(start_field: str) -> Any:
    """A validator for an end date: the period rule (services/facts/periods.py)."""

    def check(form: Any, field: Field) -> None:
        start = getattr(form, start_field).data
        if not (field.data and start):
            return
        try:
            check_period(start, field.data)
        except Invalid as refusal:
            raise ValidationError(refusal.message) from refusal

    return check


class ChoiceField(SelectField):
    """A required choice that starts empty: its first option asks to choose, so that saving
    without choosing is refused with ``message`` instead of taking whatever came first (an
    official saved without a State became a DPRK official). A record being edited shows its
    value, as any select does."""

    PROMPT = _l("Choose…")

    def __init__(self, label: Any = None, *, message: Any, coerce: Any = str, **kwargs: Any) -> None:
        validators = [InputRequired(message=message), *kwargs.pop("validators", [])]

        def empty_or(value: Any) -> Any:
            return None if value in ("", None) else coerce(value)

        super().__init__(label, validators=validators, coerce=empty_or, **kwargs)

    def iter_choices(self) -> Any:
        yield Choice(value="", label=self.PROMPT, selected=self.data is None, render_kw={})
        yield from super().iter_choices()

    def pre_validate(self, form: Any) -> None:
        if self.data is not None:  # no choice at all: InputRequired says so
            super().pre_validate(form)


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes: no JavaScript, usable with a keyboard."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VersionField(HiddenField):
    """The version of the record the form was filled from, to refuse lost updates."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            self.data = int(valuelist[0]) if valuelist and valuelist[0] else None
        except ValueError:
            self.data = None


def text_length(maximum: int) -> Length:
    """Every free-text field's rule: at most ``maximum`` characters of clean text."""
    return CleanText(max=maximum, message=_l("At most %(max)d characters.", max=maximum))


class CleanText(Length):
    """At most ``max`` characters, and clean (``clean_text``): the API's rule for text, so
    a form and the API accept the same values."""

    def __call__(self, form: Any, field: Field) -> None:
        super().__call__(form, field)
        clean_text(form, field)


def clean_text(form: Any, field: Field) -> None:
    """The API's rule for text (services/common/text_rules.py): no control characters but tab and
    newlines, no lone surrogates. (A NUL never gets this far: views/uploads.py refuses the
    whole form.)"""
    fault = text_fault(field.data or "")
    if fault == "surrogates":
        raise ValidationError(_l("The text is not valid Unicode."))
    if fault == "control":
        raise ValidationError(_l("Control characters are not allowed."))
