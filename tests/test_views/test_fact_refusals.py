"""The pages show the facts services' refusals (services/facts/) as the API does in its way:
text the API refuses is refused by the forms too, beside the field; a duplicate saved by a
concurrent request is a message on the form, not a 500."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from forms.acts import ActForm
from forms.institutions import InstitutionForm, PositionForm
from forms.officials import TenureForm
from models import Position
from tests.races import saved_meanwhile

BELL = "Naval\x07 blockade"  # U+0007: a control character the API refuses
NEXT_LINE = "Naval\x85 blockade"  # U+0085: another, outside ASCII


@pytest.fixture
def facts(make, login):
    login("analyst")
    state = make.state(code="RU", name="Russian Federation")
    institution = make.institution(state=state, name="Ministry of Defence")
    position = make.position(institution=institution, title="Minister of Defence")
    return {"state": state, "institution": institution, "position": position, "official": make.official(state=state)}


def pages(facts):
    """(address, form data, the field the text goes into) for each form of the four facts."""
    state, institution, position, official = facts["state"], facts["institution"], facts["position"], facts["official"]
    act = {"title": "Blockade", "categories": ["c"], "state_ids": [str(state.id)], "start": "2022-02", "end": ""}
    return [
        ("/institutions/new", {"state_id": str(state.id), "name": "Security Council", "kind": "ministry"}, "name"),
        (
            "/institutions/new",
            {"state_id": str(state.id), "name": "Security Council", "kind": "ministry"},
            "native_name",
        ),
        ("/positions/new", {"institution_id": str(institution.id), "title": "Deputy", "tier": "senior"}, "title"),
        ("/acts/new", act, "title"),
        ("/acts/new", act, "description"),
        (f"/officials/{official.id}/tenures/new", {"position_id": str(position.id), "start": "2020"}, "note"),
    ]


@pytest.mark.parametrize("text", [BELL, NEXT_LINE])
@pytest.mark.parametrize("case", range(6))
def test_forms_refuse_control_characters_beside_the_field(client, facts, text, case):
    address, data, field = pages(facts)[case]
    response = client.post(address, data={**data, field: text})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Control characters are not allowed." in page
    # beside the field: the message follows the field's label and comes before the next one
    assert page.index(f'name="{field}"') < page.index("Control characters are not allowed.")
    clean = client.post(address, data={**data, field: text.replace("\x07", "").replace("\x85", "")})
    assert clean.status_code == 302


@pytest.mark.parametrize(
    ("form_class", "field"),
    [(InstitutionForm, "name"), (PositionForm, "title"), (ActForm, "description"), (TenureForm, "note")],
)
def test_forms_refuse_lone_surrogates(app, form_class, field):
    """A form body is decoded as strict UTF-8, so no browser can send one; the rule is the
    API's all the same, checked where the text is."""
    with app.test_request_context("/", method="POST"):
        form = form_class(formdata=MultiDict({field: "half \ud800 of a pair"}), meta={"csrf": False})
        for each in form:
            if getattr(each, "choices", ()) is None:
                each.choices = []  # the views fill them from the database
        form.validate()
        assert form[field].errors == ["The text is not valid Unicode."]


def test_tabs_and_newlines_remain_welcome(client, facts):
    address, data, field = pages(facts)[4]
    assert client.post(address, data={**data, field: "Line one\r\n\tline two"}).status_code == 302


def test_a_position_saved_meanwhile_is_a_message_on_the_title(client, facts, session):
    institution = facts["institution"]
    twin = {"institution_id": institution.id, "title": "Deputy", "tier": "senior"}
    data = {"institution_id": str(institution.id), "title": "Deputy", "tier": "senior"}
    with saved_meanwhile(Position, twin) as raced:
        response = client.post("/positions/new", data=data)
    assert raced and response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This institution already has a position with this title." in page and 'value="Deputy"' in page


def test_a_stale_edit_is_refused_before_its_duplicate_name(client, facts, make, session):
    """The pages check the version first, as the API does: a stale edit is a conflict (409)
    whatever else is wrong with it."""
    other = make.institution(state=facts["state"], name="Security Council")
    data = {"state_id": str(facts["state"].id), "name": "Ministry of Defence", "kind": "ministry", "version": "99"}
    response = client.post(f"/institutions/{other.id}/edit", data=data)
    assert response.status_code == 409
    assert "Someone else changed this institution" in response.get_data(as_text=True)
