"""Acts of aggression: list, page, adding and editing through the browser forms."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from models import AggressionAct, AuditEvent, PartialDate
from tests.races import saved_meanwhile

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def states(make):
    return {
        "RU": make.state(code="RU", name="Russian Federation"),
        "BY": make.state(code="BY", name="Republic of Belarus", role="co_aggressor_territory"),
        "KP": make.state(code="KP", name="Democratic People's Republic of Korea", role="participant_forces"),
    }


@pytest.fixture
def make_act(session):
    def build(title, categories, states, start, end=None, description=None):
        act = AggressionAct(title=title, description=description)
        act.categories = categories
        act.states = states
        act.start = PartialDate.parse(start)
        act.end = PartialDate.parse(end) if end else None
        session.add(act)
        session.flush()
        return act

    return build


@pytest.fixture
def acts(make_act, states):
    return {
        "crimea": make_act("Occupation of Crimea", ["a"], [states["RU"]], "2014-02-20", "2014-03"),
        "invasion": make_act("Full-scale invasion", ["a", "b"], [states["RU"]], "2022-02-24"),
        "belarus": make_act("Use of Belarusian territory", ["f"], [states["BY"]], "2022", "2022"),
        "dprk": make_act("Deployment of DPRK troops", ["a", "g"], [states["KP"], states["RU"]], "2024-10"),
    }


def act_form(states, **overrides):
    data = {
        "title": "Blockade of Black Sea ports",
        "categories": ["c"],
        "state_ids": [str(states["RU"].id)],
        "start": "2022-02",
        "end": "2022-07-22",
        "description": "Naval blockade; grain corridor agreement on 22 July 2022.",
        "version": "",
    }
    data.update(overrides)
    return data


# --- list ------------------------------------------------------------------------------------


def test_list_shows_categories_states_and_period(client, login, acts):
    login("viewer")
    page = client.get("/acts").get_data(as_text=True)
    for text in ["Full-scale invasion", "Use of Belarusian territory", ">g<", "KP", "BY", "2022-02-24", "continuing"]:
        assert text in page, text
    assert f'href="/acts/{acts["dprk"].id}"' in page
    # default order: by start
    assert page.index("Occupation of Crimea") < page.index("Full-scale invasion") < page.index("Deployment of DPRK")


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("state=BY", {"belarus"}, {"crimea", "invasion", "dprk"}),
        ("state=ru", {"crimea", "invasion", "dprk"}, {"belarus"}),
        ("category=g", {"dprk"}, {"crimea", "invasion", "belarus"}),
        ("category=A", {"crimea", "invasion", "dprk"}, {"belarus"}),
        ("category=z", {"crimea", "invasion", "belarus", "dprk"}, set()),  # unknown: ignored
        # periods overlapping [from, to]
        ("from=2023", {"invasion", "dprk"}, {"crimea", "belarus"}),
        ("from=2022-12", {"invasion", "dprk", "belarus"}, {"crimea"}),  # Belarus: "until 2022" may reach December
        ("from=2014-03-31", {"crimea", "invasion", "belarus", "dprk"}, set()),  # Crimea: "until March 2014"
        ("from=2014-04", {"invasion", "belarus", "dprk"}, {"crimea"}),
        ("to=2022-02-01", {"crimea", "belarus"}, {"invasion", "dprk"}),  # Belarus: "from 2022"
        ("to=2021", {"crimea"}, {"invasion", "belarus", "dprk"}),
        ("from=2022-03&to=2024-06", {"invasion", "belarus"}, {"crimea", "dprk"}),
        ("from=2022-03&to=2024", {"invasion", "belarus", "dprk"}, {"crimea"}),  # DPRK: from October 2024
    ],
)
def test_list_filters(client, login, acts, query, shown, hidden):
    login("viewer")
    page = client.get(f"/acts?{query}").get_data(as_text=True)
    for key in shown:
        assert acts[key].title in page, (query, key)
    for key in hidden:
        assert acts[key].title not in page, (query, key)


def test_malformed_date_filter_is_refused_with_a_message(client, login, acts):
    login("viewer")
    for query in ["from=24.02.2022", "to=2022-13"]:
        response = client.get(f"/acts?{query}")
        assert response.status_code == 400
        assert "is not a date" in response.get_data(as_text=True)


def test_list_sorts_from_an_allowlist(client, login, acts):
    login("viewer")
    by_title = client.get("/acts?sort=title").get_data(as_text=True)
    assert by_title.index("Deployment of DPRK") < by_title.index("Full-scale") < by_title.index("Occupation")
    latest_first = client.get("/acts?sort=start&dir=desc").get_data(as_text=True)
    assert (
        latest_first.index("Deployment of DPRK") < latest_first.index("Full-scale") < latest_first.index("Occupation")
    )
    fallback = client.get("/acts?sort=description);--&dir=x")
    assert fallback.status_code == 200
    page = fallback.get_data(as_text=True)
    assert page.index("Occupation") < page.index("Full-scale") < page.index("Deployment of DPRK")  # by start


# --- page ------------------------------------------------------------------------------------


@pytest.fixture
def dprk_page(acts, make, states):
    act = acts["dprk"]
    cmc = make.institution(state=states["KP"], name="WPK Central Military Commission", kind="party_organ")
    order = make.decision(institution=cmc, title="Order to deploy troops to Kursk", when="2024-10", stage="execution")
    order.acts.append(act)
    treaty = make.decision(
        institution=make.institution(state=states["RU"], name="Kremlin"),
        title="Treaty on Comprehensive Strategic Partnership",
        when="2024-06-19",
        kind="diplomatic",
        stage="preparation",
    )
    treaty.acts.append(act)
    withdrawn = make.decision(institution=cmc, title="Withdrawn decision")
    withdrawn.acts.append(act)
    withdrawn.soft_delete("entered twice")
    make.support(evidence=make.evidence(title="Gerasimov acknowledgement"), act_id=act.id, pinpoint="00:01:12")
    make.support(evidence=make.evidence(title="KCNA statement"), act_id=act.id)
    make.support(
        evidence=make.evidence(title="Denial by DPRK mission", credibility="5"), act_id=act.id, stance="contradicts"
    )
    make.support(evidence=make.evidence(title="Intercepted order", classification="confidential"), act_id=act.id)
    retracted = make.evidence(title="Deleted exhibit")
    retracted.soft_delete("wrong file")
    make.support(evidence=retracted, act_id=act.id)
    make.support(evidence=make.evidence(title="Unrelated exhibit"), decision_id=order.id)
    return act


def test_page_shows_categories_with_their_meaning_states_period_and_decisions(client, login, dprk_page):
    login("viewer")
    page = client.get(f"/acts/{dprk_page.id}").get_data(as_text=True)
    for text in [
        "Deployment of DPRK troops",
        "The invasion or attack by the armed forces of a State",
        "The sending by or on behalf of a State of armed bands",
        "Democratic People&#39;s Republic of Korea",
        "Russian Federation",
        "2024-10",
        "continuing",
        "Treaty on Comprehensive Strategic Partnership",
        "2024-06-19",
        "Kremlin",
        "diplomatic",
        "preparation",
        "Order to deploy troops to Kursk",
        "WPK Central Military Commission",
        "execution",
        f"/history/aggression_act/{dprk_page.id}",
    ]:
        assert text in page, text
    assert "Blockade of the ports" not in page  # (c) does not apply
    assert "Withdrawn decision" not in page
    assert page.index("Treaty on Comprehensive") < page.index("Order to deploy troops")  # by date


def test_page_shows_evidence_for_and_against_and_withholds_above_clearance(client, login, dprk_page):
    login("viewer", "public")
    page = client.get(f"/acts/{dprk_page.id}").get_data(as_text=True)
    for text in ["Gerasimov acknowledgement", "00:01:12", "KCNA statement", "Denial by DPRK mission", "contradicts"]:
        assert text in page, text
    assert "Intercepted order" not in page and "Deleted exhibit" not in page and "Unrelated exhibit" not in page
    assert "1 item withheld at your clearance" in page


def test_cleared_user_sees_classified_evidence(client, login, dprk_page):
    login("viewer", "confidential")
    page = client.get(f"/acts/{dprk_page.id}").get_data(as_text=True)
    assert "Intercepted order" in page and "withheld" not in page


def test_act_without_evidence_or_decisions_says_so(client, login, acts):
    login("viewer")
    page = client.get(f"/acts/{acts['crimea'].id}").get_data(as_text=True)
    assert "no evidence yet" in page and "No decisions linked yet." in page and "No description." in page


def test_unknown_act_is_404(client, login):
    login("analyst")
    assert client.get("/acts/987654").status_code == 404
    assert client.get("/acts/987654/edit").status_code == 404
    assert client.post("/acts/987654/edit", data={}).status_code == 404


# --- add and edit ------------------------------------------------------------------------------


def test_analyst_adds_an_act(client, login, states, session):
    login("analyst")
    form = client.get("/acts/new").get_data(as_text=True)
    assert 'type="checkbox"' in form and "(f) territory placed at another State" in form
    data = act_form(states, categories=["c", "d"], state_ids=[str(states["RU"].id), str(states["BY"].id)])
    response = client.post("/acts/new", data=data)
    assert response.status_code == 302
    act = session.scalar(select(AggressionAct).where(AggressionAct.title == "Blockade of Black Sea ports"))
    assert act.categories == ["c", "d"]
    assert [s.code for s in act.states] == ["BY", "RU"]
    assert str(act.start) == "2022-02" and str(act.end) == "2022-07-22"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The blockade of the ports or coasts of a State" in page and "added" in page


def test_act_create_and_edit_are_audited(client, login, states, session):
    user = login("analyst")
    client.post("/acts/new", data=act_form(states))
    act = session.scalar(select(AggressionAct).where(AggressionAct.title == "Blockade of Black Sea ports"))
    data = act_form(
        states,
        categories=["b", "c"],
        state_ids=[str(states["RU"].id), str(states["BY"].id)],
        end="",
        version=str(act.version),
    )
    assert client.post(f"/acts/{act.id}/edit", data=data).status_code == 302
    session.expire_all()
    assert act.categories == ["b", "c"] and act.end is None
    own = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity_type == "aggression_act", AuditEvent.entity_id == act.id)
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.actor_id) for e in own] == [("create", user.id), ("update", user.id)]
    assert own[0].after["title"] == "Blockade of Black Sea ports"
    assert own[1].before["end_date"] == "2022-07-22" and own[1].after["end_date"] is None
    assert own[1].after["states"] == sorted([states["RU"].id, states["BY"].id])
    categories = session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "act_category", AuditEvent.parent_id == act.id)
    ).all()
    assert sorted((e.action, (e.after or e.before)["category"]) for e in categories) == [
        ("create", "b"),
        ("create", "c"),
    ]
    history = client.get(f"/history/aggression_act/{act.id}").get_data(as_text=True)
    assert "2022-07-22" in history


def test_edit_form_is_filled(client, login, acts, states):
    login("analyst")
    act = acts["dprk"]
    page = client.get(f"/acts/{act.id}/edit").get_data(as_text=True)
    assert 'value="Deployment of DPRK troops"' in page and 'value="2024-10"' in page
    checked = [chunk.split('value="')[1].split('"')[0] for chunk in page.split("<input")[1:] if "checked" in chunk]
    assert sorted(checked) == sorted(["a", "g", str(states["KP"].id), str(states["RU"].id)])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("title", "x" * 301, "At most 300 characters."),
        ("categories", [], "Choose at least one category."),
        ("categories", ["h"], "not a valid choice"),
        ("state_ids", [], "Choose at least one State."),
        ("state_ids", ["987654"], "not a valid choice"),
        ("start", "", "Enter the date the act began."),
        ("start", "24.02.2022", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("end", "2022-01", "The end cannot come before the start."),
        ("end", "2022-02-30", "YYYY, YYYY-MM or YYYY-MM-DD"),
        # a coarser end that begins before the start (2022 vs 2022-02) is refused, not a database error
        ("end", "2022", "Write the end at least as precisely as the start"),
        ("description", "x" * 20_001, "At most 20000 characters."),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_kept(client, login, states, session, field, value, message):
    login("analyst")
    response = client.post("/acts/new", data=act_form(states, **{field: value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    after = page.split(f'name="{field}"', 1)[1]
    own = after.split('class="field')[0].split("<fieldset")[0].split("</fieldset>")[0]
    assert message in own  # next to its own field
    if field != "title":
        assert 'value="Blockade of Black Sea ports"' in page
    if field != "end":
        assert 'value="2022-07-22"' in page
    if field not in ("start",):
        assert 'value="2022-02"' in page
    if field != "description":
        assert "grain corridor" in page
    if isinstance(value, str) and field != "description" and value:
        assert f'value="{value}"' in page  # the refused value itself is shown for correcting
    assert session.scalar(select(AggressionAct).where(AggressionAct.title == "Blockade of Black Sea ports")) is None


def test_refused_form_keeps_the_ticked_boxes(client, login, states):
    login("analyst")
    data = act_form(states, categories=["b", "e"], state_ids=[str(states["KP"].id)], start="bad")
    page = client.post("/acts/new", data=data).get_data(as_text=True)
    checked = [chunk.split('value="')[1].split('"')[0] for chunk in page.split("<input")[1:] if "checked" in chunk]
    assert sorted(checked) == sorted(["b", "e", str(states["KP"].id)])


def test_duplicate_title_names_the_existing_act(client, login, acts, states):
    login("analyst")
    response = client.post("/acts/new", data=act_form(states, title="Full-scale invasion"))
    assert response.status_code == 400
    assert f"The act Full-scale invasion is already recorded (#{acts['invasion'].id})" in response.get_data(
        as_text=True
    )
    other = acts["crimea"]
    data = act_form(states, title="Full-scale invasion", version=str(other.version))
    response = client.post(f"/acts/{other.id}/edit", data=data)
    assert response.status_code == 400 and "is already recorded" in response.get_data(as_text=True)


def test_duplicate_caught_only_by_the_database_is_a_message_not_a_500(client, login, states):
    """Another request saves the same title between the check and the flush."""
    login("analyst")
    twin = {"title": "Full-scale invasion", "start_date": dt.date(2022, 2, 24), "start_date_precision": "day"}
    with saved_meanwhile(AggressionAct, twin) as raced:
        response = client.post("/acts/new", data=act_form(states, title="Full-scale invasion"))
    assert raced
    assert response.status_code == 400
    assert "An act with this title is already recorded." in response.get_data(as_text=True)


def test_second_of_two_concurrent_edits_is_refused(client, login, acts, states, session):
    act = acts["invasion"]
    login("analyst")
    stale = str(act.version)
    first = client.post(f"/acts/{act.id}/edit", data=act_form(states, title="First", version=stale))
    assert first.status_code == 302
    second = client.post(f"/acts/{act.id}/edit", data=act_form(states, title="Second", version=stale))
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Someone else changed this act" in page and "Reload the current version" in page
    assert 'value="Second"' in page
    session.expire_all()
    assert act.title == "First"


def test_a_change_to_categories_alone_still_refuses_a_stale_edit(client, login, acts, states, session):
    """Categories and States live in other tables; the act's version must move with them."""
    act = acts["invasion"]
    login("analyst")
    stale = str(act.version)
    same = {"title": act.title, "start": "2022-02-24", "end": "", "description": ""}
    first = client.post(
        f"/acts/{act.id}/edit", data=act_form(states, categories=["a", "b", "d"], version=stale, **same)
    )
    assert first.status_code == 302
    second = client.post(f"/acts/{act.id}/edit", data=act_form(states, categories=["a"], version=stale, **same))
    assert second.status_code == 409
    session.expire_all()
    assert act.categories == ["a", "b", "d"]


def test_forged_protected_fields_are_ignored(client, login, acts, states, session):
    act = acts["crimea"]
    login("analyst")
    data = act_form(states, version=str(act.version), id="999", created_at="2000-01-01", start_date_precision="day")
    assert client.post(f"/acts/{act.id}/edit", data=data).status_code == 302
    session.expire_all()
    assert act.id != 999 and act.created_at.year > 2000 and act.start_date_precision == "month"


def test_viewer_may_not_add_or_edit(client, login, acts, states):
    login("viewer")
    act = acts["crimea"]
    assert client.get("/acts/new").status_code == 403
    assert client.post("/acts/new", data=act_form(states)).status_code == 403
    assert client.get(f"/acts/{act.id}/edit").status_code == 403
    assert client.post(f"/acts/{act.id}/edit", data=act_form(states)).status_code == 403
    assert f"/acts/{act.id}/edit" not in client.get(f"/acts/{act.id}").get_data(as_text=True)
    assert "/acts/new" not in client.get("/acts").get_data(as_text=True)


def test_markup_renders_as_inert_text(client, login, states):
    login("analyst")
    response = client.post("/acts/new", data=act_form(states, title=XSS, description=XSS), follow_redirects=True)
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True)  # the flash named it, escaped
    for url in ["/acts", response.request.path, response.request.path + "/edit"]:
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page and "&lt;script&gt;" in page, url
    refused = client.post("/acts/new", data=act_form(states, title=XSS, description=XSS, start="x"))
    assert refused.status_code == 400 and "<script>alert" not in refused.get_data(as_text=True)


# --- query counts --------------------------------------------------------------------------------


def test_query_count_does_not_grow_with_the_data(client, login, make, make_act, count_queries, dprk_page, states):
    login("viewer")
    client.get("/acts")  # warm-up: the session's first request records its last-seen time
    urls = ["/acts", f"/acts/{dprk_page.id}"]
    with count_queries() as few:
        for url in urls:
            assert client.get(url).status_code == 200
    for i in range(10):
        extra = make.state(code=f"X{i}")
        make_act(f"Extra act {i}", ["a", "b", "g"], [extra, states["RU"]], f"20{i:02d}")
        decision = make.decision(institution=make.institution(state=extra))
        decision.acts.append(dprk_page)
        make.support(evidence=make.evidence(), act_id=dprk_page.id)
        make.support(evidence=make.evidence(classification="strictly_confidential"), act_id=dprk_page.id)
    with count_queries() as many:
        for url in urls:
            assert client.get(url).status_code == 200
    assert many.count == few.count
    assert few.count <= 20
