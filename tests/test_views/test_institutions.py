"""Institutions and positions: lists, pages, adding and editing through the browser forms."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditEvent, Institution, Position
from tests.races import saved_meanwhile

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def russia(make):
    return make.state(code="RU", name="Russian Federation")


@pytest.fixture
def belarus(make):
    return make.state(code="BY", name="Republic of Belarus", role="co_aggressor_territory")


@pytest.fixture
def mod(make, russia):
    """The Russian Ministry of Defence with its General Staff, posts, holders and a decision."""
    ministry = make.institution(state=russia, name="Ministry of Defence", native_name="Министерство обороны")
    staff = make.institution(state=russia, name="General Staff", parent=ministry, kind="military_command")
    minister = make.position(institution=ministry, title="Minister of Defence", tier="leadership")
    deputy = make.position(institution=ministry, title="Deputy Minister", tier="senior")
    make.position(institution=staff, title="Chief of the General Staff", tier="leadership")
    make.tenure(
        official=make.official(state=russia, name="Sergei Shoigu"),
        position=minister,
        start="2012-11-06",
        end="2024-05-12",
    )
    make.tenure(official=make.official(state=russia, name="Andrei Belousov"), position=minister, start="2024-05")
    make.tenure(official=make.official(state=russia, name="Timur Ivanov"), position=deputy, start="2016")
    make.decision(
        institution=ministry, title="Order on the redeployment", when="2022-02", kind="military", stage="preparation"
    )
    return ministry


def institution_form(state, **overrides):
    data = {
        "state_id": str(state.id),
        "parent_id": "",
        "name": "Security Council",
        "native_name": "Совет Безопасности",
        "kind": "security_council",
        "version": "",
    }
    data.update(overrides)
    return data


def position_form(institution, **overrides):
    data = {"institution_id": str(institution.id), "title": "Secretary", "tier": "senior", "troika": "", "version": ""}
    data.update(overrides)
    return data


# --- institutions: list and page ---------------------------------------------------------------


def test_institution_list_shows_state_kind_parent_and_filters(client, login, mod, make, belarus):
    login("viewer")
    make.institution(state=belarus, name="Belarusian Ministry of Defence")
    page = client.get("/institutions").get_data(as_text=True)
    assert "Ministry of Defence" in page and "Министерство обороны" in page and "General Staff" in page
    assert "military command" in page and "Russian Federation" in page
    by = client.get("/institutions?state=by").get_data(as_text=True)
    assert "Belarusian Ministry of Defence" in by and "General Staff" not in by
    commands = client.get("/institutions?kind=military_command").get_data(as_text=True)
    assert "General Staff" in commands and "Belarusian Ministry" not in commands
    children = client.get(f"/institutions?parent={mod.id}").get_data(as_text=True)
    assert "General Staff" in children and "Belarusian Ministry" not in children
    assert client.get("/institutions?parent=abc").status_code == 404


def test_institution_list_sorts_from_an_allowlist(client, login, mod, make, belarus):
    login("viewer")
    make.institution(state=belarus, name="Belarusian Ministry of Defence")
    by_name = client.get("/institutions?sort=name&dir=desc").get_data(as_text=True)
    assert by_name.index("Ministry of Defence<") < by_name.index("General Staff") < by_name.index("Belarusian")
    by_state = client.get("/institutions?sort=state").get_data(as_text=True)
    assert by_state.index("Belarusian") < by_state.index("General Staff")
    by_kind = client.get("/institutions?sort=kind").get_data(as_text=True)
    assert by_kind.index("General Staff") < by_kind.index("Belarusian")  # military_command < ministry
    fallback = client.get("/institutions?sort=version;drop&dir=sideways")
    assert fallback.status_code == 200
    page = fallback.get_data(as_text=True)
    assert page.index("Belarusian") < page.index("General Staff")  # default: by name


def test_institution_page_shows_parent_children_positions_holders_and_decisions(client, login, mod, make):
    login("viewer")
    page = client.get(f"/institutions/{mod.id}").get_data(as_text=True)
    for text in [
        "Russian Federation",
        "General Staff",
        "Minister of Defence",
        "Deputy Minister",
        "leadership",
        "senior",
        "Sergei Shoigu",
        "2012-11-06",
        "2024-05-12",
        "Andrei Belousov",
        "in office",
        "Order on the redeployment",
        "2022-02",
        "military",
        "preparation",
        f"/history/institution/{mod.id}",
    ]:
        assert text in page, text
    assert "Chief of the General Staff" not in page  # the General Staff's own post
    staff = mod.children[0]
    child_page = client.get(f"/institutions/{staff.id}").get_data(as_text=True)
    assert f'href="/institutions/{mod.id}"' in child_page and "Chief of the General Staff" in child_page


def test_institution_page_shows_troika_flag_and_hides_deleted_officials_and_decisions(
    client, login, make, russia, session
):
    login("viewer")
    office = make.institution(state=russia, name="Office of the President", kind="head_of_state_office")
    president = make.position(institution=office, title="President", troika="head_of_state")
    gone = make.official(state=russia, name="Deleted Person")
    make.tenure(official=gone, position=president, start="2000")
    gone.soft_delete("mistake")
    decision = make.decision(institution=office, title="Withdrawn decision")
    decision.soft_delete("duplicate")
    session.flush()
    page = client.get(f"/institutions/{office.id}").get_data(as_text=True)
    assert "head of state" in page
    assert "Deleted Person" not in page and "Withdrawn decision" not in page


def test_the_institution_picker_finds_names_in_any_script(client, login, mod, make, belarus, count_queries):
    make.institution(state=belarus, name="Ministry of Defence of Belarus", native_name="Міністэрства абароны")
    login("viewer")

    def found(q):
        response = client.get("/institutions/lookup", query_string={"q": q})
        assert response.status_code == 200 and response.mimetype == "application/json"
        return [item["value"] for item in response.get_json()["items"]]

    assert found("Ministry of Defence") == ["Ministry of Defence (RU)", "Ministry of Defence of Belarus (BY)"]
    assert found("министерство обороны") == ["Ministry of Defence (RU)"]
    assert found("абароны") == ["Ministry of Defence of Belarus (BY)"]
    assert found("general") == ["General Staff (RU)"]
    assert found("") == found("ab") == found("%_%") == found("x" * 300) == []
    [item] = client.get("/institutions/lookup?q=general").get_json()["items"]
    assert item == {
        "value": "General Staff (RU)",
        "label": "General Staff",
        "text": "",
        "details": ["RU", "military command"],
    }
    with count_queries() as few:
        client.get("/institutions/lookup?q=directorate")
    for n in range(30):
        make.institution(state=belarus, name=f"Directorate {n}")
    with count_queries() as many:
        assert len(client.get("/institutions/lookup?q=directorate").get_json()["items"]) == 20
    assert many.count == few.count


def test_the_institution_picker_needs_a_sign_in(client):
    response = client.get("/institutions/lookup?q=ministry")
    assert response.status_code in (302, 401) and b"Ministry" not in response.data


def test_unknown_institution_is_404(client, login):
    login("analyst")
    assert client.get("/institutions/987654").status_code == 404
    assert client.get("/institutions/987654/edit").status_code == 404
    assert client.post("/institutions/987654/edit", data={}).status_code == 404
    assert client.get("/institutions/abc").status_code == 404


# --- institutions: add and edit ---------------------------------------------------------------


def test_analyst_adds_an_institution(client, login, russia, session):
    login("analyst")
    response = client.post("/institutions/new", data=institution_form(russia))
    assert response.status_code == 302
    institution = session.scalar(select(Institution).where(Institution.name == "Security Council"))
    assert institution.native_name == "Совет Безопасности" and institution.kind == "security_council"
    assert institution.parent_id is None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Совет Безопасности" in page and "added" in page


def test_creation_and_edit_are_audited(client, login, russia, session, mod):
    user = login("analyst")
    client.post("/institutions/new", data=institution_form(russia))
    institution = session.scalar(select(Institution).where(Institution.name == "Security Council"))
    data = institution_form(russia, parent_id=str(mod.id), kind="other", version=str(institution.version))
    assert client.post(f"/institutions/{institution.id}/edit", data=data).status_code == 302
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity_type == "institution", AuditEvent.entity_id == institution.id)
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.actor_id) for e in events] == [("create", user.id), ("update", user.id)]
    assert events[0].after["name"] == "Security Council"
    assert events[1].before == {"parent_id": None, "kind": "security_council"}
    assert events[1].after == {"parent_id": mod.id, "kind": "other"}


def test_edit_form_is_filled_and_offers_no_parent_inside_itself(client, login, mod, session):
    login("analyst")
    staff = mod.children[0]
    page = client.get(f"/institutions/{mod.id}/edit").get_data(as_text=True)
    assert 'value="Ministry of Defence"' in page and "Министерство обороны" in page
    assert f'name="version" type="hidden" value="{mod.version}"' in page
    parent_options = page.split('name="parent_id"')[1].split("</select>")[0]
    assert f'value="{mod.id}"' not in parent_options and f'value="{staff.id}"' not in parent_options
    # a forged cycle is refused: the ministry cannot sit under its own General Staff
    data = institution_form(
        mod.state, name=mod.name, kind="ministry", parent_id=str(staff.id), version=str(mod.version)
    )
    response = client.post(f"/institutions/{mod.id}/edit", data=data)
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)
    session.expire_all()
    assert mod.parent_id is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "x" * 301, "At most 300 characters."),
        ("native_name", "я" * 301, "At most 300 characters."),
        ("kind", "secret_police", "Not a valid choice"),
        ("state_id", "987654", "Not a valid choice"),
    ],
)
def test_bad_institution_input_is_refused_next_to_the_field_and_kept(
    client, login, russia, session, field, value, message
):
    login("analyst")
    data = institution_form(russia, **{field: value})
    response = client.post("/institutions/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    field_html = page.split(f'name="{field}"')[1].split('class="field')[0]
    assert message in field_html  # the message sits with its field
    if field != "native_name":
        assert "Совет Безопасности" in page  # what was typed is kept
    if field != "name":
        assert 'value="Security Council"' in page
    assert session.scalar(select(Institution).where(Institution.name == "Security Council")) is None


def test_duplicate_institution_names_the_existing_one(client, login, russia, belarus, mod, session):
    login("analyst")
    response = client.post("/institutions/new", data=institution_form(russia, name="Ministry of Defence"))
    assert response.status_code == 400
    assert f"Ministry of Defence (RU) is already recorded as institution #{mod.id}" in response.get_data(as_text=True)
    # the same name in another State is a different body
    assert (
        client.post("/institutions/new", data=institution_form(belarus, name="Ministry of Defence")).status_code == 302
    )
    # renaming another institution onto an existing name is refused too
    staff = mod.children[0]
    data = institution_form(
        russia, name="Ministry of Defence", parent_id=str(mod.id), kind="military_command", version=str(staff.version)
    )
    response = client.post(f"/institutions/{staff.id}/edit", data=data)
    assert response.status_code == 400 and "already recorded" in response.get_data(as_text=True)


def test_duplicate_caught_only_by_the_database_is_a_message_not_a_500(client, login, russia, session):
    """Two people adding the same institution at once: the second flush hits the unique constraint."""
    login("analyst")
    twin = {"state_id": russia.id, "name": "Ministry of Defence", "kind": "ministry"}
    with saved_meanwhile(Institution, twin) as raced:
        response = client.post("/institutions/new", data=institution_form(russia, name="Ministry of Defence"))
    assert raced
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "An institution of this State with this name is already recorded." in page
    assert 'value="Ministry of Defence"' in page


def test_second_of_two_concurrent_institution_edits_is_refused(client, login, russia, make, session):
    institution = make.institution(state=russia, name="Original", kind="ministry")
    login("analyst")
    stale = str(institution.version)
    first = client.post(
        f"/institutions/{institution.id}/edit", data=institution_form(russia, name="First", version=stale)
    )
    assert first.status_code == 302
    second = client.post(
        f"/institutions/{institution.id}/edit", data=institution_form(russia, name="Second", version=stale)
    )
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Someone else changed this institution" in page and "Reload the current version" in page
    assert 'value="Second"' in page  # what was typed is still there
    session.expire_all()
    assert institution.name == "First"


def test_forged_protected_fields_are_ignored(client, login, russia, make, session):
    institution = make.institution(state=russia, name="Target")
    login("analyst")
    data = institution_form(russia, name="Target", version=str(institution.version), id="999", created_at="2000-01-01")
    client.post(f"/institutions/{institution.id}/edit", data=data)
    session.expire_all()
    assert institution.id != 999 and institution.created_at.year > 2000


def test_viewer_may_not_add_or_edit(client, login, russia, mod):
    login("viewer")
    assert client.get("/institutions/new").status_code == 403
    assert client.post("/institutions/new", data=institution_form(russia)).status_code == 403
    assert client.get(f"/institutions/{mod.id}/edit").status_code == 403
    assert client.post(f"/institutions/{mod.id}/edit", data=institution_form(russia)).status_code == 403
    assert client.get("/positions/new").status_code == 403
    assert client.post("/positions/new", data=position_form(mod)).status_code == 403
    position = mod.positions[0]
    assert client.get(f"/positions/{position.id}/edit").status_code == 403
    assert client.post(f"/positions/{position.id}/edit", data=position_form(mod)).status_code == 403
    page = client.get(f"/institutions/{mod.id}").get_data(as_text=True)
    assert f"/institutions/{mod.id}/edit" not in page and "/positions/new" not in page


def test_institution_markup_renders_as_inert_text(client, login, russia):
    login("analyst")
    data = institution_form(russia, name=XSS, native_name=XSS + "n")
    response = client.post("/institutions/new", data=data, follow_redirects=True)
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True)  # the flash too
    for url in ["/institutions", response.request.path, "/positions/new", "/institutions/new"]:
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, url
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in client.get(response.request.path).get_data(as_text=True)
    refused = client.post("/institutions/new", data=institution_form(russia, name=XSS, kind="bad"))
    assert refused.status_code == 400 and "<script>alert" not in refused.get_data(as_text=True)


# --- positions ----------------------------------------------------------------------------------


def test_position_list_filters_by_state_institution_tier_and_troika(client, login, mod, make, belarus):
    login("viewer")
    office = make.institution(state=belarus, name="Belarusian Presidency", kind="head_of_state_office")
    make.position(institution=office, title="President of Belarus", tier="leadership", troika="head_of_state")
    page = client.get("/positions").get_data(as_text=True)
    for text in ["Minister of Defence", "Deputy Minister", "President of Belarus", "head of state", "Andrei Belousov"]:
        assert text in page, text
    assert "Sergei Shoigu" not in page  # his tenure ended: not in office now
    assert "President of Belarus" not in client.get("/positions?state=RU").get_data(as_text=True)
    by_institution = client.get(f"/positions?institution={mod.id}").get_data(as_text=True)
    assert "Deputy Minister" in by_institution and "Chief of the General Staff" not in by_institution
    senior = client.get("/positions?tier=senior").get_data(as_text=True)
    assert "Deputy Minister" in senior and "Minister of Defence<" not in senior
    troika = client.get("/positions?troika=yes").get_data(as_text=True)
    assert "President of Belarus" in troika and "Deputy Minister" not in troika
    assert "President of Belarus" in client.get("/positions?troika=head_of_state").get_data(as_text=True)
    assert "President of Belarus" not in client.get("/positions?troika=no").get_data(as_text=True)
    by_name = client.get("/positions", query_string={"institution": "general staff"}).get_data(as_text=True)
    assert "Chief of the General Staff" in by_name and "Deputy Minister" not in by_name
    assert client.get("/positions?institution=x").status_code == 400  # too short to look up


def test_position_list_sorts_from_an_allowlist(client, login, mod):
    login("viewer")
    by_title = client.get("/positions?sort=title").get_data(as_text=True)
    assert by_title.index("Chief of the General Staff") < by_title.index("Deputy Minister")
    by_tier = client.get("/positions?sort=tier").get_data(as_text=True)
    assert by_tier.index("Minister of Defence<") < by_tier.index("Deputy Minister")  # leadership first
    by_tier_desc = client.get("/positions?sort=tier&dir=desc").get_data(as_text=True)
    assert by_tier_desc.index("Deputy Minister") < by_tier_desc.index("Minister of Defence<")
    by_institution = client.get("/positions?sort=institution").get_data(as_text=True)
    assert by_institution.index("Chief of the General Staff") < by_institution.index("Deputy Minister")
    fallback = client.get("/positions?sort=institution.state_id&dir=up")
    assert fallback.status_code == 200
    page = fallback.get_data(as_text=True)
    assert page.index("Chief of the General Staff") < page.index("Deputy Minister")  # default: by title


def test_position_page_shows_institution_tier_troika_and_every_tenure(client, login, mod, make):
    login("viewer")
    minister = next(p for p in mod.positions if p.title == "Minister of Defence")
    minister.troika = None
    page = client.get(f"/positions/{minister.id}").get_data(as_text=True)
    shoigu = next(t.official for t in minister.tenures if t.official.name == "Sergei Shoigu")
    for text in [
        "Minister of Defence",
        f'href="/institutions/{mod.id}"',
        "leadership",
        f'href="/officials/{shoigu.id}"',
        "2012-11-06",
        "2024-05-12",
        "Andrei Belousov",
        "2024-05",
        "in office",
        f"/history/position/{minister.id}",
    ]:
        assert text in page, text
    assert page.index("Sergei Shoigu") < page.index("Andrei Belousov")
    president = make.position(institution=mod, title="Foreign Minister", troika="foreign_minister")
    assert "foreign minister" in client.get(f"/positions/{president.id}").get_data(as_text=True)
    assert client.get("/positions/987654").status_code == 404


def test_analyst_adds_a_position_with_the_institution_preselected(client, login, mod, session):
    login("analyst")
    form = client.get(f"/positions/new?institution_id={mod.id}").get_data(as_text=True)
    assert f'<option selected value="{mod.id}">' in form
    assert client.get("/positions/new?institution_id=987654").status_code == 200  # unknown: nothing chosen
    response = client.post("/positions/new", data=position_form(mod, troika="foreign_minister"))
    assert response.status_code == 302
    position = session.scalar(select(Position).where(Position.title == "Secretary"))
    assert position.institution_id == mod.id and position.tier == "senior" and position.troika == "foreign_minister"


def test_position_create_and_edit_are_audited(client, login, mod, session):
    user = login("analyst")
    client.post("/positions/new", data=position_form(mod))
    position = session.scalar(select(Position).where(Position.title == "Secretary"))
    data = position_form(mod, tier="leadership", troika="head_of_government", version=str(position.version))
    assert client.post(f"/positions/{position.id}/edit", data=data).status_code == 302
    session.expire_all()
    assert position.troika == "head_of_government"
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity_type == "position", AuditEvent.entity_id == position.id)
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.actor_id) for e in events] == [("create", user.id), ("update", user.id)]
    assert events[1].before == {"tier": "senior", "troika": None}
    assert events[1].after == {"tier": "leadership", "troika": "head_of_government"}
    # clearing the troika flag stores no flag
    data = position_form(mod, tier="leadership", troika="", version=str(position.version))
    assert client.post(f"/positions/{position.id}/edit", data=data).status_code == 302
    session.expire_all()
    assert position.troika is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("title", "x" * 301, "At most 300 characters."),
        ("tier", "supreme", "Not a valid choice"),
        ("troika", "king", "Not a valid choice"),
        ("institution_id", "987654", "Not a valid choice"),
    ],
)
def test_bad_position_input_is_refused_and_kept(client, login, mod, session, field, value, message):
    login("analyst")
    response = client.post("/positions/new", data=position_form(mod, **{field: value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page.split(f'name="{field}"')[1].split('class="field')[0]
    if field != "title":
        assert 'value="Secretary"' in page
    assert session.scalar(select(Position).where(Position.title == "Secretary")) is None


def test_duplicate_position_names_the_existing_one(client, login, mod, make):
    login("analyst")
    existing = next(p for p in mod.positions if p.title == "Deputy Minister")
    response = client.post("/positions/new", data=position_form(mod, title="Deputy Minister"))
    assert response.status_code == 400
    assert f"Ministry of Defence already has the position Deputy Minister (#{existing.id})" in response.get_data(
        as_text=True
    )
    other = make.institution(state=mod.state, name="Ministry of Finance")
    assert client.post("/positions/new", data=position_form(other, title="Deputy Minister")).status_code == 302


def test_second_of_two_concurrent_position_edits_is_refused(client, login, mod, session):
    position = mod.positions[0]
    login("analyst")
    stale = str(position.version)
    assert (
        client.post(f"/positions/{position.id}/edit", data=position_form(mod, title="First", version=stale)).status_code
        == 302
    )
    second = client.post(f"/positions/{position.id}/edit", data=position_form(mod, title="Second", version=stale))
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Someone else changed this position" in page and "Reload the current version" in page
    session.expire_all()
    assert position.title == "First"


def test_position_edit_form_is_filled(client, login, make, mod):
    login("analyst")
    president = make.position(institution=mod, title="Head", tier="leadership", troika="head_of_state")
    page = client.get(f"/positions/{president.id}/edit").get_data(as_text=True)
    assert 'value="Head"' in page and '<option selected value="head_of_state">' in page
    assert f'<option selected value="{mod.id}">' in page


def test_position_markup_renders_as_inert_text(client, login, mod):
    login("analyst")
    response = client.post("/positions/new", data=position_form(mod, title=XSS), follow_redirects=True)
    assert response.status_code == 200 and "<script>" not in response.get_data(as_text=True)
    for url in ["/positions", response.request.path, f"/institutions/{mod.id}"]:
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page and "&lt;script&gt;" in page, url


# --- query counts --------------------------------------------------------------------------------


def test_query_count_does_not_grow_with_the_data(client, login, make, count_queries, mod, russia):
    login("viewer")
    client.get("/institutions")  # warm-up: the session's first request records its last-seen time
    urls = ["/institutions", "/positions", f"/institutions/{mod.id}", f"/positions/{mod.positions[0].id}"]
    with count_queries() as few:
        for url in urls:
            assert client.get(url).status_code == 200
    for i in range(10):
        institution = make.institution(state=make.state(), name=f"Extra {i}", parent=mod)
        position = make.position(institution=institution, troika="foreign_minister" if i % 2 else None)
        make.tenure(position=position, official=make.official(state=russia))
        extra = make.position(institution=mod, title=f"Extra post {i}")
        make.tenure(position=extra)
        make.tenure(position=mod.positions[0], start=f"20{i:02d}")
        make.decision(institution=mod)
    with count_queries() as many:
        for url in urls:
            assert client.get(url).status_code == 200
    assert many.count == few.count
    assert few.count <= 40
