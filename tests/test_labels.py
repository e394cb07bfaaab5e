"""Every value of every enumeration in models/enums.py has its own label, in English and in
Ukrainian, and no page shows a bare value for one."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

from models.enums import ENUMERATIONS, DerivationKind, Gender, InstitutionKind, Labelled, StateRole
from views.labels import label

ROOT = Path(__file__).resolve().parents[1]
# Names that read the same in Ukrainian
SAME_IN_UKRAINIAN = {"OpenSanctions", "Wikidata"}

MEMBERS = [member for enumeration in ENUMERATIONS for member in enumeration]


def _catalog():
    with (ROOT / "translations/uk/LC_MESSAGES/messages.po").open("rb") as handle:
        return read_po(handle)


def _msgid(member: Labelled) -> tuple[str | None, str]:
    """(context, msgid) of the member's label: lazy_gettext(msgid) or lazy_pgettext(context, msgid)."""
    args = member.lazy_label._args
    return (None, args[0]) if len(args) == 1 else (args[0], args[1])


def test_every_enumeration_of_models_is_listed():
    import models.enums

    declared = {v for v in vars(models.enums).values() if isinstance(v, type) and issubclass(v, Labelled)}
    assert set(ENUMERATIONS) == declared - {Labelled}
    assert len(ENUMERATIONS) >= 30


@pytest.mark.parametrize("member", MEMBERS, ids=lambda m: f"{type(m).__name__}.{m.name}")
def test_every_value_has_a_ukrainian_label(app, member):
    context, msgid = _msgid(member)
    found = _catalog().get(msgid, context=context)
    assert found is not None and found.string and not found.fuzzy, (context, msgid)
    if msgid not in SAME_IN_UKRAINIAN:
        assert found.string != msgid
    with app.test_request_context(), force_locale("uk"):
        shown = label(type(member), member.value)
        assert shown == found.string  # the compiled catalog is the edited one
        assert shown not in (member.value, member.value.replace("_", " "))
    with app.test_request_context(), force_locale("en"):
        assert label(member) == msgid


def test_a_value_shared_by_enumerations_reads_as_each_of_them(app):
    with app.test_request_context(), force_locale("uk"):
        shown = {label(e, "other") for e in (Gender, StateRole, InstitutionKind, DerivationKind)}
    assert len(shown) == 4


def test_a_bare_value_has_no_label(app):
    with app.test_request_context():
        with pytest.raises(ValueError):
            label(Gender, "robot")
        assert label(Gender, None) == ""


def test_the_stored_strings_are_the_values():
    from models.enums import CLASSIFICATIONS, GENDERS, Classification

    assert GENDERS == ("male", "female", "other")
    assert CLASSIFICATIONS == tuple(Classification) and all(type(v) is str for v in CLASSIFICATIONS)


def test_an_officials_page_shows_the_gender_by_its_label(client, login, make):
    login("viewer")
    official = make.official(name="Valentina Matviyenko", gender="female")
    unknown = make.official(name="Nobody Known")
    assert "<dt>Gender</dt><dd>female</dd>" in client.get(f"/officials/{official.id}").get_data(as_text=True)
    client.post("/language/uk", data={})
    page = client.get(f"/officials/{official.id}").get_data(as_text=True)
    assert "<dt>Стать</dt><dd>жіноча</dd>" in page
    assert "<dt>Стать</dt><dd>не внесено</dd>" in client.get(f"/officials/{unknown.id}").get_data(as_text=True)


def test_the_official_form_offers_genders_and_registers_by_their_labels(client, login):
    login("analyst")
    client.post("/language/uk", data={})
    page = client.get("/officials/new").get_data(as_text=True)
    assert '<option value="female">жіноча</option>' in page
    assert '<option value="ofac_sdn">Перелік SDN OFAC</option>' in page
