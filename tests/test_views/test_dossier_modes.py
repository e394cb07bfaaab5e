"""The modes of liability on the dossier page (issue 20, item 5): the matrix of the modes the
roles suggest, and the prosecutors' choice of the modes to charge, with its reason."""

from __future__ import annotations

import re

import pytest

from models import ModeChoice


def _case(session, make, role="ordered"):
    """An official with a leadership post, in a role, in a decision serving an act of their State."""
    official = make.official()
    position = make.position(tier="leadership")
    make.tenure(official=official, position=position)
    decision = make.linked_decision(position.institution.state, institution=position.institution)
    involvement = make.involvement(official=official, decision=decision, role=role)
    make.support(evidence=make.evidence(reliability="A", credibility="1"), involvement_id=involvement.id)
    session.flush()
    return official


def _section(html: str) -> str:
    return html[html.index('<section id="modes">') : html.index("</section>", html.index('<section id="modes">'))]


def test_the_page_shows_the_modes_the_roles_suggest_with_their_elements(client, login, make, session):
    official = _case(session, make, role="ordered")
    login("viewer", "public")
    html = client.get(f"/dossiers/{official.id}").get_data(as_text=True)
    section = _section(html)
    assert "Modes of liability" in section and "Art. 25(3 bis)" in section
    assert 'id="mode-ordering"' in section and 'id="mode-indirect_perpetration"' in section
    for absent in ("co_perpetration", "inducing", "aiding", "common_purpose"):
        assert f'id="mode-{absent}"' not in section
    ordering = section[section.index('id="mode-ordering"') :]
    for name in ("Leadership position (Art. 25(3 bis))", "The order", "The act of aggression was committed"):
        assert name in ordering
    assert "Ordering" in ordering and "Art. 25(3)(b)" in ordering
    # the law of the mode and of each of its elements, and what the system checks
    for key in ("ordering", "ordering.leadership", "ordering.conduct", "ordering.act", "ordering.intent"):
        assert f'data-law="{key}"' in ordering, key
    assert "orders, solicits or induces" in ordering and "What the system checks:" in ordering
    assert "No mode of liability has been chosen to charge yet." in section
    assert "Record the choice" not in html  # a viewer cannot choose


def test_a_prosecutor_records_the_modes_to_charge_with_a_reason(client, login, make, session):
    official = _case(session, make)
    prosecutor = login("prosecutor", "public")
    html = client.get(f"/dossiers/{official.id}").get_data(as_text=True)
    assert "Record the choice" in html and 'name="modes-reason"' in html
    response = client.post(
        f"/dossiers/{official.id}/modes",
        data={"modes-modes": ["ordering", "common_purpose"], "modes-reason": "He gave the order."},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("#modes")
    [choice] = session.query(ModeChoice).all()
    assert choice.modes == ("ordering", "common_purpose") and choice.chosen_by == prosecutor
    section = _section(client.get(f"/dossiers/{official.id}").get_data(as_text=True))
    assert "He gave the order." in section and (prosecutor.name or prosecutor.email) in section
    assert section.count("chosen to charge</span>") == 2
    # a mode chosen that no role suggests is shown, with what it lacks
    assert 'id="mode-common_purpose"' in section
    common = section[section.index('id="mode-common_purpose"') :]
    assert "a role that suggests this mode (attended)" in common
    # the form starts from the choice made
    assert re.search(r'value="ordering"[^>]*checked|checked[^>]*value="ordering"', section)


NO_REASON = "Give the reason for this choice of the modes to charge."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"modes-modes": ["ordering"]}, NO_REASON),
        ({"modes-modes": ["ordering"], "modes-reason": "   "}, NO_REASON),
        ({"modes-modes": ["superior"], "modes-reason": "A reason."}, "Unknown mode of liability: superior."),
        ({"modes-reason": "A reason."}, "Choose at least one mode of liability to charge."),
    ],
)
def test_a_choice_without_a_reason_or_with_an_unknown_mode_is_refused(client, login, make, session, data, message):
    official = _case(session, make)
    login("prosecutor", "public")
    response = client.post(f"/dossiers/{official.id}/modes", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert session.query(ModeChoice).count() == 0


def test_only_prosecutors_choose_and_a_stale_form_is_refused(client, login, make, session):
    official = _case(session, make)
    login("analyst", "public")
    data = {"modes-modes": ["ordering"], "modes-reason": "A reason."}
    assert client.post(f"/dossiers/{official.id}/modes", data=data).status_code == 403
    login("prosecutor", "public")
    assert client.post(f"/dossiers/{official.id}/modes", data=data).status_code == 302
    stale = {"modes-modes": ["aiding"], "modes-reason": "Another.", "modes-version": "1"}
    response = client.post(f"/dossiers/{official.id}/modes", data=stale)
    assert response.status_code == 409
    assert [c.modes for c in session.query(ModeChoice)] == [("ordering",)]


def test_the_page_says_the_modes_in_ukrainian(client, login, make, session):
    official = _case(session, make)
    login("prosecutor", "public")
    client.post("/language/uk", data={"next": "/"})
    section = _section(client.get(f"/dossiers/{official.id}").get_data(as_text=True))
    for text in ("Форми відповідальності", "Керівне становище (ст. 25(3 bis))", "Наказ", "Зафіксувати вибір"):
        assert text in section, text


def test_the_choice_needs_the_pages_csrf_token(app, client, login, make, session, monkeypatch):
    """SECURITY.md: CSRF on every state change. A form posted from elsewhere, without the token
    (or with a forged one), records nothing; the page's own form does."""
    official = _case(session, make)
    login("prosecutor", "public")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    data = {"modes-modes": ["ordering"], "modes-reason": "He gave the order."}
    assert client.post(f"/dossiers/{official.id}/modes", data=data).status_code == 400
    forged = {**data, "modes-csrf_token": "forged"}
    assert client.post(f"/dossiers/{official.id}/modes", data=forged).status_code == 400
    assert session.query(ModeChoice).count() == 0
    form = _section(client.get(f"/dossiers/{official.id}").get_data(as_text=True))
    [token] = re.findall(r'name="modes-csrf_token"[^>]*value="([^"]+)"', form)
    response = client.post(f"/dossiers/{official.id}/modes", data={**data, "modes-csrf_token": token})
    assert response.status_code == 302
    assert [c.modes for c in session.query(ModeChoice)] == [("ordering",)]
