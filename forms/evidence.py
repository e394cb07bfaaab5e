"""Forms for evidence metadata and for supports (links from an exhibit to the fact it bears on).

The exhibit number, hashes, files and who created a record are never fields: the server
sets them. The classification choices are narrowed to the user's clearance by the view.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, Field, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from forms.fields import VersionField, not_after_today, text_length
from models.enums import (
    CREDIBILITY_GRADES,
    RELIABILITY_GRADES,
    SUPPORT_TARGETS,
    CredibilityGrade,
    EvidenceKind,
    ReliabilityGrade,
    Stance,
)
from services.evidence.exhibits import web_address_fault
from services.evidence.pinpoints import Anchor, AnchorRefused

# The Admiralty (NATO) scale, as the detail page explains a grade.
RELIABILITY_MEANINGS = {g.value: g.lazy_label for g in ReliabilityGrade}
CREDIBILITY_MEANINGS = {g.value: g.lazy_label for g in CredibilityGrade}

TARGET_LABELS = {
    "tenure": _l("a tenure (an official held a position)"),
    "involvement": _l("an involvement (an official's role in a decision)"),
    "decision": _l("a decision"),
    "act": _l("an act of aggression"),
    "act_assessment": _l("the character, gravity or scale of an act of aggression"),
}

_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def web_address(form: Any, field: Field) -> None:
    """Only http(s) addresses with a host: no javascript:, data:, file: or relative links."""
    value = (field.data or "").strip()
    fault = web_address_fault(value) if value else None
    if fault == "characters":
        raise ValidationError(_l("Enter a web address without spaces or quotes."))
    if fault is not None:
        raise ValidationError(_l("Enter a web address starting with http:// or https://."))


def language_tag(form: Any, field: Field) -> None:
    value = (field.data or "").strip()
    if value and not _LANGUAGE_TAG.match(value):
        raise ValidationError(_l("Enter a language code such as en, ru, uk or ko."))


class EvidenceForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), text_length(300)])
    kind = SelectField(_l("Kind"), choices=EvidenceKind.choices(), default="document")
    summary = TextAreaField(_l("Summary"), validators=[Optional(), text_length(20_000)])
    source = TextAreaField(
        _l("Source"),
        validators=[DataRequired(), text_length(5_000)],
        description=_l("Who published or produced it: cite it as a court would."),
    )
    provenance = TextAreaField(
        _l("Provenance"),
        validators=[Optional(), text_length(5_000)],
        description=_l("How it reached us."),
    )
    url = StringField(
        _l("Web address"),
        validators=[Optional(), text_length(2_000), web_address],
        description=_l("http:// or https:// only."),
    )
    collected_by = StringField(_l("Collected by"), validators=[Optional(), text_length(200)])
    collected_on = DateField(
        _l("Collected on"),
        validators=[Optional(), not_after_today],
        description=_l("A full date: YYYY-MM-DD."),
    )
    collection_method = TextAreaField(_l("Collection method"), validators=[Optional(), text_length(5_000)])
    originator = StringField(
        _l("Originator"),
        validators=[Optional(), text_length(300)],
        description=_l("A third party that submitted it and controls its sharing (a State, an agency)."),
    )
    originator_consent_required = BooleanField(_l("Its originator's consent is needed before disclosure"))
    language = StringField(
        _l("Language"),
        validators=[Optional(), text_length(8), language_tag],
        description=_l("Language code, e.g. en, ru, uk, ko."),
    )
    # Choices: the classifications the user may set (their clearance and below), set by the view.
    classification = SelectField(_l("Classification"), default="public")
    reliability = SelectField(
        _l("Reliability of the source"),
        choices=[(g, f"{g} · {RELIABILITY_MEANINGS[g]}") for g in RELIABILITY_GRADES],
        default="F",
    )
    credibility = SelectField(
        _l("Credibility of the information"),
        choices=[(g, f"{g} · {CREDIBILITY_MEANINGS[g]}") for g in CREDIBILITY_GRADES],
        default="6",
    )
    version = VersionField()


def _optional_int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _seconds(value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        seconds = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise AnchorRefused(_l("A time is a number of seconds, such as 12.5.")) from None
    return seconds


class TargetSelectField(SelectField):
    """One list of facts of one kind. Only the list of the chosen kind is read, so the others
    are not checked here: the form checks the chosen one (``SupportForm.validate``)."""

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        super().__init__(label, coerce=_optional_int, validate_choice=False, **kwargs)


class SupportForm(FlaskForm):
    target_type = RadioField(
        _l("The exhibit bears on"),
        choices=[(t, TARGET_LABELS[t]) for t in SUPPORT_TARGETS],
        validators=[InputRequired(message=_l("Choose what kind of fact the exhibit bears on."))],
    )
    tenure_id = TargetSelectField(_l("Tenure"))
    involvement_id = TargetSelectField(_l("Involvement"))
    decision_id = TargetSelectField(_l("Decision"))
    act_id = TargetSelectField(_l("Act of aggression"))
    act_assessment_id = TargetSelectField(_l("Character, gravity or scale of an act"))
    stance = RadioField(
        _l("Stance"),
        choices=Stance.choices(),
        default="supports",
        validators=[InputRequired()],
    )
    pinpoint = StringField(
        _l("Pinpoint"),
        validators=[Optional(), text_length(300)],
        description=_l("Where in the exhibit: page, paragraph or timestamp."),
    )
    note = TextAreaField(_l("Note"), validators=[Optional(), text_length(5_000)])
    # A passage chosen in the viewer, or a time range of a recording (services/evidence/pinpoints.py)
    anchor_file = HiddenField()
    quote_page = HiddenField()
    quote_exact = HiddenField()
    quote_prefix = HiddenField()
    quote_suffix = HiddenField()
    time_start = StringField(_l("From (seconds)"), validators=[Optional(), text_length(32)])
    time_end = StringField(_l("To (seconds)"), validators=[Optional(), text_length(32)])

    def anchor(self) -> Anchor | None:
        """The anchor the form carries (None without one), to be checked against the file;
        AnchorRefused when a number in it is not one."""
        if not self.anchor_file.data:
            return None
        file_id = _optional_int(self.anchor_file.data)
        page = _optional_int(self.quote_page.data)
        if file_id is None or (self.quote_page.data and page is None):
            raise AnchorRefused(_l("The passage's file or page is not a number."))
        return Anchor(
            file_id,
            page=page,
            exact=self.quote_exact.data or None,
            prefix=self.quote_prefix.data or None,
            suffix=self.quote_suffix.data or None,
            start=_seconds(self.time_start.data),
            end=_seconds(self.time_end.data),
        )

    def target_field(self) -> TargetSelectField | None:
        if self.target_type.data not in SUPPORT_TARGETS:
            return None
        field: TargetSelectField = self[f"{self.target_type.data}_id"]
        return field

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        field = self.target_field()
        if field is None:
            return False
        offered = {value for value, _label in field.choices if value != ""}
        if field.data is None or field.data not in offered:
            field.errors = [*field.errors, _l("Choose the fact from this list.")]
            return False
        return valid


class SupportEditForm(FlaskForm):
    """The fact a support bears on is fixed; to link another fact, add a new support."""

    stance = SupportForm.stance
    pinpoint = SupportForm.pinpoint
    note = SupportForm.note
    version = VersionField()
