"""One rule for text, forms and API alike (issue 21): every free-text field of every form
refuses control characters and lone surrogates with the API's messages, as the API's
validators do (services/common/text_rules.py) -- found by walking every form class, so a new form
or field cannot miss it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from flask_wtf import FlaskForm
from wtforms import Form, StringField, TextAreaField, ValidationError
from wtforms.fields import EmailField, HiddenField, PasswordField

import forms
from forms.fields import CleanText, PartialDateField

# Fields whose own validators are stricter than the text rule (a fixed pattern of digits or a
# code), or which are not stored (search queries are folded, never saved). Hidden fields
# (versions, tokens: a pattern each), e-mail addresses and partial dates parse their value.
NOT_TEXT = (PasswordField, HiddenField, EmailField, PartialDateField)
NOT_FREE_TEXT = {
    ("TwoFactorForm", "code"),
    ("EnrolmentForm", "code"),
    ("EnrolmentForm", "enrolment_code"),
    ("SearchForm", "q"),
}


def _form_classes() -> list[type[Form]]:
    found = {}
    for info in pkgutil.iter_modules(forms.__path__):
        module = importlib.import_module(f"forms.{info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Form) and cls not in (Form, FlaskForm) and cls.__module__.startswith("forms."):
                found[cls.__qualname__] = cls
    return [found[name] for name in sorted(found)]


def _text_fields(cls: type[Form]) -> list[tuple[str, object]]:
    fields = []
    for name, unbound in inspect.getmembers(cls):
        field_class = getattr(unbound, "field_class", None)
        if (
            field_class
            and issubclass(field_class, (StringField, TextAreaField))
            and not issubclass(field_class, NOT_TEXT)
        ):
            fields.append((name, unbound))
    return fields


CASES = [
    (cls, name)
    for cls in _form_classes()
    for name, _f in _text_fields(cls)
    if (cls.__name__, name) not in NOT_FREE_TEXT
]


def test_the_walk_finds_the_forms():
    names = {cls.__name__ for cls, _name in CASES}
    assert {"OfficialForm", "EvidenceForm", "DecisionForm", "CaseForm", "InstitutionForm", "ActForm"} <= names
    assert len(CASES) > 40


@pytest.mark.parametrize(("cls", "name"), CASES, ids=[f"{c.__name__}.{n}" for c, n in CASES])
def test_every_free_text_field_keeps_the_text_rule(app, cls, name):
    unbound = getattr(cls, name)
    validators = unbound.kwargs.get("validators") or (unbound.args[1] if len(unbound.args) > 1 else [])
    assert any(isinstance(v, CleanText) for v in validators), f"{cls.__name__}.{name} lacks text_length()"
    rule = next(v for v in validators if isinstance(v, CleanText))
    with app.test_request_context():
        form = cls(meta={"csrf": False}) if issubclass(cls, FlaskForm) else cls()
        field = form[name]
        for value, message in (
            ("a\x07b", "Control characters are not allowed."),
            ("a\ud800b", "The text is not valid Unicode."),
        ):
            field.data = value
            with pytest.raises(ValidationError, match=message):
                rule(form, field)
        field.data = "Приказ № 1\tоб увольнении\n김정은"[: rule.max]
        rule(form, field)  # tabs, newlines and every script pass


def test_a_control_character_in_a_form_is_refused_beside_its_field_and_nothing_is_saved(client, login, make, session):
    from sqlalchemy import select

    from models import Official
    from tests.test_views.test_official_forms import official_form

    russia = make.state(code="RU", name="Russian Federation")
    login("analyst")
    response = client.post(
        "/officials/new", data={**official_form(russia), "notes": "Chief of the General Staff\x1b[31m"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Control characters are not allowed." in page
    assert session.scalar(select(Official).where(Official.name == "Valery Gerasimov")) is None
