"""Decisions and involvements: list, page, adding, editing, deleting and restoring."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AggressionAct, AuditEvent, Decision, Involvement, PartialDate

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def world(make, session):
    """Two States, three institutions, two acts and four decisions."""
    ru = make.state(code="RU", name="Russian Federation")
    by = make.state(code="BY", name="Republic of Belarus", role="co_aggressor_territory")
    council = make.institution(
        state=ru, name="Federation Council", native_name="Совет Федерации", kind="parliament_chamber"
    )
    security = make.institution(state=ru, name="Security Council", kind="security_council")
    minsk = make.institution(state=by, name="Ministry of Defence of Belarus")
    invasion = AggressionAct(title="Full-scale invasion")
    invasion.start = PartialDate.parse("2022-02-24")
    belarus = AggressionAct(title="Use of Belarusian territory")
    belarus.start = PartialDate.parse("2022-02")
    session.add_all([invasion, belarus])
    session.flush()
    consent = make.decision(
        institution=council,
        title="Consent to use the armed forces abroad",
        kind="military",
        when="2022-02-22",
        instrument="Resolution No. 35-SF",
        summary="153 votes in favour.",
        stage="initiation",
        acts=[invasion],
    )
    recognition = make.decision(
        institution=security,
        title="Recognition of the DPR and LPR",
        kind="political",
        when="2022-02-21",
        stage="preparation",
    )
    exercises = make.decision(
        institution=minsk,
        title="Allied Resolve 2022 exercises",
        kind="military",
        when="2022-02",
        stage="planning",
        acts=[belarus],
    )
    treaty = make.decision(
        institution=security, title="Treaty with the DPRK", kind="diplomatic", when="2024-06-19", stage=None
    )
    return {
        "ru": ru,
        "by": by,
        "council": council,
        "security": security,
        "minsk": minsk,
        "invasion": invasion,
        "belarus": belarus,
        "consent": consent,
        "recognition": recognition,
        "exercises": exercises,
        "treaty": treaty,
    }


def decision_form(world, **overrides):
    data = {
        "title": "Order to begin the special military operation",
        "kind": "military",
        "date": "2022-02-24",
        "institution_id": str(world["security"].id),
        "instrument": "Address of 24 February 2022",
        "summary": "Announced at dawn.",
        "stage": "initiation",
        "act_ids": [str(world["invasion"].id)],
        "version": "",
    }
    data.update(overrides)
    return data


def titles_in(page, world):
    names = ["consent", "recognition", "exercises", "treaty"]
    return {n for n in names if world[n].title in page}


# --- list ------------------------------------------------------------------------------------


def test_list_shows_date_institution_kind_stage_and_acts(client, login, world):
    login("viewer")
    page = client.get("/decisions").get_data(as_text=True)
    for text in [
        "Consent to use the armed forces abroad",
        "Resolution No. 35-SF",
        "Federation Council",
        "military",
        "initiation",
        "Full-scale invasion",
        'datetime="2022-02-22"',
    ]:
        assert text in page, text
    assert f'href="/decisions/{world["consent"].id}"' in page
    assert f'href="/institutions/{world["council"].id}"' in page
    assert f'href="/acts/{world["invasion"].id}"' in page
    # default order: by date, oldest first (a month-precise date sorts at its first day)
    order = [page.index(world[n].title) for n in ("exercises", "recognition", "consent", "treaty")]
    assert order == sorted(order)


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("kind=diplomatic", {"treaty"}),
        ("kind=military", {"consent", "exercises"}),
        ("kind=nonsense", {"consent", "recognition", "exercises", "treaty"}),
        ("stage=planning", {"exercises"}),
        ("state=BY", {"exercises"}),
        ("state=ru", {"consent", "recognition", "treaty"}),
        ("from=2022-02-21&to=2022-02-22", {"consent", "recognition", "exercises"}),
        ("from=2022-02-22", {"consent", "treaty", "exercises"}),  # a "2022-02" decision may fall after the 22nd
        ("to=2022-02", {"consent", "recognition", "exercises"}),
        ("from=2024", {"treaty"}),
        ("to=2021", set()),
    ],
)
def test_list_filters(client, login, world, query, shown):
    login("viewer")
    page = client.get(f"/decisions?{query}").get_data(as_text=True)
    # the titles also appear nowhere else on the page (no select lists them)
    assert titles_in(page, world) == shown


def test_list_filters_by_institution(client, login, world):
    login("viewer")
    response = client.get(f"/decisions?institution={world['security'].id}")
    assert titles_in(response.get_data(as_text=True), world) == {"recognition", "treaty"}

    def by(text):
        return titles_in(client.get("/decisions", query_string={"institution": text}).get_data(as_text=True), world)

    # by the label the picker puts in the field, by words of the name, by the native name
    assert by("Security Council (RU)") == by(str(world["security"].id)) == {"recognition", "treaty"}
    assert by("council") == {"consent", "recognition", "treaty"}
    assert by("Совет Федерации") == by("sovet federatsii") == {"consent"}
    nothing = client.get("/decisions?institution=abc")
    assert nothing.status_code == 200 and titles_in(nothing.get_data(as_text=True), world) == set()


def test_the_institution_filter_shows_the_chosen_institution_and_no_list_of_them(client, login, world, make):
    for n in range(40):
        make.institution(state=world["ru"], name=f"Territorial directorate number {n}")
    login("viewer")
    page = client.get(f"/decisions?institution={world['security'].id}").get_data(as_text=True)
    assert 'value="Security Council (RU)"' in page and 'data-picker="/institutions/lookup"' in page
    assert (
        "Territorial directorate" not in page
        and "<option" not in page.split('name="institution"')[1].split("</form>")[0]
    )
    assert '<script src="/static/picker.js" defer></script>' in page


@pytest.mark.parametrize("value", ["ab", "x" * 201])
def test_an_institution_filter_that_cannot_be_looked_up_is_a_clear_400(client, login, world, value):
    login("viewer")
    response = client.get("/decisions", query_string={"institution": value})
    assert response.status_code == 400
    assert "The institution filter needs 3 to 200 letters or digits of a name." in response.get_data(as_text=True)


@pytest.mark.parametrize("value", ["24.02.2022", "2022-13", "2022-02-30", "yesterday"])
def test_a_bad_date_in_the_range_is_a_clear_400(client, login, world, value):
    login("viewer")
    response = client.get("/decisions", query_string={"from": value})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "is not a date: use YYYY, YYYY-MM or YYYY-MM-DD" in page


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("title&dir=asc", "exercises", "treaty"),
        ("title&dir=desc", "treaty", "exercises"),
        ("date&dir=desc", "treaty", "exercises"),
        ("institution", "consent", "exercises"),  # Federation Council < Ministry < Security Council
        ("kind", "treaty", "consent"),  # diplomatic < military < political
    ],
)
def test_list_sorts(client, login, world, sort, first, last):
    login("viewer")
    page = client.get(f"/decisions?sort={sort}").get_data(as_text=True)
    assert page.index(world[first].title) < page.index(world[last].title)


def test_an_unknown_sort_falls_back_to_the_default(client, login, world):
    login("viewer")
    response = client.get("/decisions?sort=deletion_reason;drop&dir=sideways")
    assert response.status_code == 200


def test_soft_deleted_decisions_are_hidden_and_listed_for_admins_only(client, login, world, session):
    world["treaty"].soft_delete("Entered twice")
    session.flush()
    login("viewer")
    assert world["treaty"].title not in client.get("/decisions").get_data(as_text=True)
    assert world["treaty"].title not in client.get("/decisions?deleted=1").get_data(as_text=True)
    assert client.get(f"/decisions/{world['treaty'].id}").status_code == 404
    client.post("/logout")
    login("admin")
    deleted = client.get("/decisions?deleted=1").get_data(as_text=True)
    assert world["treaty"].title in deleted and "Entered twice" in deleted and "Restore" in deleted
    assert world["consent"].title not in deleted


def test_list_is_paginated(app, client, login, make):
    login("viewer")
    institution = make.institution()
    for i in range(7):
        make.decision(institution=institution, title=f"Decree {i:02d}", when=f"2022-03-{i + 1:02d}")
    app.config["LIST_PER_PAGE"] = 5
    try:
        first = client.get("/decisions").get_data(as_text=True)
        second = client.get("/decisions?page=2").get_data(as_text=True)
    finally:
        app.config["LIST_PER_PAGE"] = 50
    assert "Decree 00" in first and "Decree 05" not in first
    assert "Decree 05" in second and "Decree 00" not in second


# --- the decision's page ---------------------------------------------------------------------


@pytest.fixture
def evidenced(world, make):
    """The consent decision with two officials involved and evidence of every classification."""
    consent = world["consent"]
    matviyenko = make.official(state=world["ru"], name="Valentina Matviyenko")
    gerasimov = make.official(state=world["ru"], name="Valery Gerasimov")
    signed = make.involvement(
        official=matviyenko, decision=consent, role="signed", status="corroborated", note="Signed as chair."
    )
    voted = make.involvement(official=gerasimov, decision=consent, role="attended", status="disputed")
    make.support(evidence=make.evidence(title="Official gazette"), decision_id=consent.id, pinpoint="p. 1")
    make.support(
        evidence=make.evidence(title="Vote tally, restricted", classification="restricted"), decision_id=consent.id
    )
    make.support(evidence=make.evidence(title="Video of the session"), involvement_id=signed.id)
    make.support(
        evidence=make.evidence(title="Witness: she was abroad", classification="confidential"),
        involvement_id=signed.id,
        stance="contradicts",
    )
    make.support(evidence=make.evidence(title="Press denial"), involvement_id=voted.id, stance="contradicts")
    deleted = make.evidence(title="Withdrawn exhibit")
    deleted.soft_delete("wrong file")
    make.support(evidence=deleted, involvement_id=voted.id)
    return {"consent": consent, "matviyenko": matviyenko, "gerasimov": gerasimov, "signed": signed, "voted": voted}


def test_detail_shows_the_decision_its_acts_officials_and_evidence_both_ways(client, login, world, evidenced):
    login("analyst", "strictly_confidential")
    consent = evidenced["consent"]
    response = client.get(f"/decisions/{consent.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in [
        "Consent to use the armed forces abroad",
        "military",
        'datetime="2022-02-22"',
        "exact day",
        "Federation Council",
        "Resolution No. 35-SF",
        "153 votes in favour.",
        "initiation",
        "Full-scale invasion",
        "Valentina Matviyenko",
        "signed",
        "corroborated",
        "Signed as chair.",
        "Valery Gerasimov",
        "attended",
        "disputed",
        "Official gazette",
        "p. 1",
        "Vote tally, restricted",
        "Video of the session",
        "Witness: she was abroad",
        "Press denial",
        "contradicts",
    ]:
        assert text in page, text
    assert "Withdrawn exhibit" not in page and "withheld" not in page
    assert f'href="/institutions/{world["council"].id}"' in page
    assert f'href="/acts/{world["invasion"].id}"' in page
    assert f'href="/officials/{evidenced["matviyenko"].id}"' in page
    assert f'href="/history/decision/{consent.id}"' in page
    for endpoint in [
        f"/decisions/{consent.id}/edit",
        f"/decisions/{consent.id}/delete",
        f"/decisions/{consent.id}/involvements/new",
        f"/involvements/{evidenced['signed'].id}/edit",
    ]:
        assert f'href="{endpoint}"' in page, endpoint


def test_detail_shows_a_month_precise_date_as_a_month(client, login, world):
    login("viewer")
    page = client.get(f"/decisions/{world['exercises'].id}").get_data(as_text=True)
    assert 'datetime="2022-02"' in page and "February 2022" in page and "month known, not the day" in page


def test_viewers_see_no_edit_links(client, login, evidenced):
    login("viewer")
    page = client.get(f"/decisions/{evidenced['consent'].id}").get_data(as_text=True)
    assert "/edit" not in page and "/delete" not in page and "involvements/new" not in page
    assert "History" in page


@pytest.mark.parametrize(
    ("clearance", "hidden", "withheld"),
    [
        ("public", {"Vote tally, restricted", "Witness: she was abroad"}, "2 items withheld at your clearance."),
        ("restricted", {"Witness: she was abroad"}, "1 item withheld at your clearance."),
        ("confidential", set(), None),
    ],
)
def test_detail_withholds_evidence_above_the_viewers_clearance(client, login, evidenced, clearance, hidden, withheld):
    login("viewer", clearance)
    page = client.get(f"/decisions/{evidenced['consent'].id}").get_data(as_text=True)
    for title in {"Vote tally, restricted", "Witness: she was abroad"}:
        assert (title in page) == (title not in hidden), title
    if withheld:
        assert withheld in page
        assert "1 item withheld at your clearance" in page  # next to the fact it bears on
    else:
        assert "withheld" not in page


def test_involvements_of_deleted_officials_are_not_shown(client, login, evidenced, session):
    evidenced["gerasimov"].soft_delete("duplicate")
    session.flush()
    login("viewer")
    page = client.get(f"/decisions/{evidenced['consent'].id}").get_data(as_text=True)
    assert "Valery Gerasimov" not in page and "Valentina Matviyenko" in page


def test_unknown_decision_is_404(client, login):
    login("viewer")
    assert client.get("/decisions/987654").status_code == 404
    assert client.get("/decisions/987654/edit").status_code in (403, 404)


# --- query counts ----------------------------------------------------------------------------


def test_query_count_does_not_grow_with_the_data(client, login, world, evidenced, make, count_queries):
    login("viewer", "confidential")
    consent = evidenced["consent"]
    client.get("/decisions")  # warm-up: the session's first request records its last-seen time
    with count_queries() as few:
        client.get("/decisions")
        client.get(f"/decisions/{consent.id}")
    for _i in range(10):
        institution = make.institution(state=world["ru"])
        decision = make.decision(institution=institution, acts=[world["invasion"], world["belarus"]])
        make.support(evidence=make.evidence(), decision_id=decision.id)
        official = make.official(state=world["ru"])
        involvement = make.involvement(official=official, decision=consent, role="voted_for")
        make.support(evidence=make.evidence(classification="strictly_confidential"), involvement_id=involvement.id)
        make.support(evidence=make.evidence(), decision_id=consent.id, stance="contradicts")
    with count_queries() as many:
        client.get("/decisions")
        client.get(f"/decisions/{consent.id}")
    assert many.count == few.count
    assert few.count <= 20


# --- adding, editing, deleting and restoring decisions ---------------------------------------


def test_analyst_adds_a_decision_linked_to_acts(client, login, world, session):
    user = login("analyst")
    form_page = client.get("/decisions/new").get_data(as_text=True)
    assert "Full-scale invasion" in form_page and "Federation Council (RU)" in form_page
    data = decision_form(world, act_ids=[str(world["invasion"].id), str(world["belarus"].id)], date="2022-02")
    response = client.post("/decisions/new", data=data)
    assert response.status_code == 302
    decision = session.scalar(select(Decision).where(Decision.title == data["title"]))
    assert str(decision.when) == "2022-02" and decision.institution_id == world["security"].id
    assert decision.stage == "initiation" and decision.instrument == "Address of 24 February 2022"
    assert {a.title for a in decision.acts} == {"Full-scale invasion", "Use of Belarusian territory"}
    assert response.headers["Location"].endswith(f"/decisions/{decision.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "added" in page
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "decision", AuditEvent.entity_id == decision.id)
    ).all()
    assert [(e.action, e.actor_id) for e in events] == [("create", user.id)]
    assert events[0].after["title"] == data["title"]


def test_stage_and_acts_are_optional(client, login, world, session):
    login("analyst")
    data = decision_form(world, stage="", act_ids=[], instrument="", summary="")
    assert client.post("/decisions/new", data=data).status_code == 302
    decision = session.scalar(select(Decision).where(Decision.title == data["title"]))
    assert decision.stage is None and decision.acts == [] and decision.instrument is None and decision.summary is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("title", "x" * 301, "At most 300 characters."),
        ("date", "", "Enter the date of the decision."),
        ("date", "24.02.2022", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("date", "2022-02-30", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("institution_id", "", "Choose the institution."),
        ("institution_id", "987654", "Not a valid choice"),
        ("kind", "nuclear", "Not a valid choice"),
        ("stage", "afterthought", "Not a valid choice"),
        ("act_ids", ["987654"], "not a valid choice"),
        ("instrument", "y" * 301, "At most 300 characters."),
        ("summary", "z" * 20_001, "At most 20000 characters."),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_keeps_what_was_typed(
    client, login, world, session, field, value, message
):
    login("analyst")
    data = decision_form(world, **{field: value})
    response = client.post("/decisions/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    if field != "summary":
        assert "Announced at dawn." in page
    if field != "instrument":
        assert "Address of 24 February 2022" in page
    assert session.scalar(select(Decision).where(Decision.title == data["title"])) is None


def test_a_duplicate_decision_is_refused_naming_the_existing_one(client, login, world, session):
    login("analyst")
    consent = world["consent"]
    data = decision_form(
        world,
        title="consent to use the armed forces abroad",
        institution_id=str(world["council"].id),
        date="2022-02-22",
    )
    response = client.post("/decisions/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert (
        f"The decision Consent to use the armed forces abroad of this institution on 2022-02-22 is already "
        f"recorded (#{consent.id})." in page
    )
    # another date, another institution, or a deleted twin do not count as duplicates
    assert client.post("/decisions/new", data={**data, "date": "2022-02-23"}).status_code == 302
    consent.soft_delete("superseded")
    session.flush()
    assert client.post("/decisions/new", data=data).status_code == 302


def test_edit_changes_fields_and_acts_and_is_audited(client, login, world, session):
    user = login("analyst")
    consent = world["consent"]
    form_page = client.get(f"/decisions/{consent.id}/edit").get_data(as_text=True)
    assert 'value="2022-02-22"' in form_page and "Resolution No. 35-SF" in form_page
    assert f'value="{consent.version}"' in form_page
    assert "checked" in form_page  # the linked act is ticked
    data = decision_form(
        world,
        title="Consent to the use of the armed forces",
        institution_id=str(world["council"].id),
        date="2022-02-22",
        act_ids=[str(world["belarus"].id)],
        version=str(consent.version),
    )
    assert client.post(f"/decisions/{consent.id}/edit", data=data).status_code == 302
    session.expire_all()
    assert consent.title == "Consent to the use of the armed forces"
    assert [a.title for a in consent.acts] == ["Use of Belarusian territory"]
    update = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity_type == "decision", AuditEvent.entity_id == consent.id, AuditEvent.action == "update"
        )
    ).one()
    assert update.actor_id == user.id
    assert update.before["title"] == "Consent to use the armed forces abroad"
    assert update.after["title"] == "Consent to the use of the armed forces"
    assert update.before["acts"] == [world["invasion"].id] and update.after["acts"] == [world["belarus"].id]


def test_saving_a_decision_unchanged_is_not_a_duplicate_of_itself(client, login, world):
    login("analyst")
    consent = world["consent"]
    data = decision_form(
        world,
        title=consent.title,
        institution_id=str(consent.institution_id),
        date="2022-02-22",
        version=str(consent.version),
    )
    assert client.post(f"/decisions/{consent.id}/edit", data=data).status_code == 302


def test_second_of_two_concurrent_edits_is_refused(client, login, world, session):
    login("analyst")
    consent = world["consent"]
    stale = str(consent.version)
    first = client.post(f"/decisions/{consent.id}/edit", data=decision_form(world, title="First", version=stale))
    assert first.status_code == 302
    # a change of the linked acts alone is a change too
    second = client.post(
        f"/decisions/{consent.id}/edit",
        data=decision_form(world, title="First", act_ids=[], version=stale),
    )
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Someone else changed this decision" in page and "Reload the current version" in page
    session.expire_all()
    assert consent.title == "First" and [a.title for a in consent.acts] == ["Full-scale invasion"]


def test_forged_protected_fields_are_ignored(client, login, world, session):
    login("analyst")
    consent = world["consent"]
    data = decision_form(
        world,
        version=str(consent.version),
        id="999",
        deleted_at="2020-01-01",
        created_at="2000-01-01",
        deletion_reason="forged",
    )
    assert client.post(f"/decisions/{consent.id}/edit", data=data).status_code == 302
    session.expire_all()
    assert consent.id != 999 and consent.deleted_at is None and consent.deletion_reason is None
    assert consent.created_at.year > 2000


def test_soft_delete_with_reason_then_admin_restores(client, login, world, session):
    consent = world["consent"]
    session.commit()  # the records exist before the requests: their creation is in the trail
    login("analyst")
    assert "Reason for deleting" in client.get(f"/decisions/{consent.id}/delete").get_data(as_text=True)
    assert client.post(f"/decisions/{consent.id}/delete", data={"reason": ""}).status_code == 400
    assert client.post(f"/decisions/{consent.id}/delete", data={"reason": "Entered twice"}).status_code == 302
    session.expire_all()
    assert consent.is_deleted and consent.deletion_reason == "Entered twice"
    assert client.get(f"/decisions/{consent.id}").status_code == 404
    assert client.get(f"/decisions/{consent.id}/edit").status_code == 404
    assert client.post(f"/decisions/{consent.id}/restore").status_code == 403  # analysts cannot restore
    client.post("/logout")
    login("admin")
    assert "Entered twice" in client.get("/decisions?deleted=1").get_data(as_text=True)
    assert client.post(f"/decisions/{consent.id}/restore").status_code == 302
    session.expire_all()
    assert not consent.is_deleted
    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.entity_type == "decision", AuditEvent.entity_id == consent.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "delete", "restore"]
    assert client.post("/decisions/987654/restore").status_code == 404


WRITES = [
    ("get", "/decisions/new"),
    ("post", "/decisions/new"),
    ("get", "/decisions/{consent}/edit"),
    ("post", "/decisions/{consent}/edit"),
    ("get", "/decisions/{consent}/delete"),
    ("post", "/decisions/{consent}/delete"),
    ("post", "/decisions/{consent}/restore"),
    ("get", "/decisions/{consent}/involvements/new"),
    ("post", "/decisions/{consent}/involvements/new"),
    ("get", "/involvements/{involvement}/edit"),
    ("post", "/involvements/{involvement}/edit"),
    ("post", "/involvements/{involvement}/delete"),
]


@pytest.mark.parametrize(("method", "url"), WRITES)
def test_viewers_may_not_write(client, login, world, make, session, method, url):
    involvement = make.involvement(decision=world["consent"])
    login("viewer", "strictly_confidential")
    target = url.format(consent=world["consent"].id, involvement=involvement.id)
    data = {"reason": "x", "role": "ordered", "status": "alleged", **decision_form(world)}
    response = getattr(client, method)(target, data=data) if method == "post" else client.get(target)
    assert response.status_code == 403
    session.expire_all()
    assert world["consent"].deleted_at is None and session.get(Involvement, involvement.id) is not None


def test_state_never_changes_on_get(client, login, world, make, session):
    involvement = make.involvement(decision=world["consent"])
    login("admin")
    assert client.get(f"/decisions/{world['consent'].id}/restore").status_code == 405
    assert client.get(f"/involvements/{involvement.id}/delete").status_code == 405


# --- involvements ----------------------------------------------------------------------------


@pytest.fixture
def gerasimov(make, world):
    return make.official(state=world["ru"], name="Valery Gerasimov")


def test_add_an_involvement_with_the_official_preselected(client, login, world, gerasimov, make, session):
    gone = make.official(state=world["ru"], name="Deleted Person")
    gone.soft_delete("duplicate")
    session.flush()
    user = login("analyst")
    consent = world["consent"]
    form_page = client.get(f"/decisions/{consent.id}/involvements/new?official_id={gerasimov.id}").get_data(
        as_text=True
    )
    assert f'<option selected value="{gerasimov.id}">Valery Gerasimov</option>' in form_page
    assert "Deleted Person" not in form_page  # only live officials are offered
    assert consent.title in form_page
    data = {"official_id": str(gerasimov.id), "role": "ordered", "status": "alleged", "note": "Per his statement."}
    response = client.post(f"/decisions/{consent.id}/involvements/new", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/decisions/{consent.id}")
    involvement = session.scalar(select(Involvement).where(Involvement.official_id == gerasimov.id))
    assert (involvement.decision_id, involvement.role, involvement.status, involvement.note) == (
        consent.id,
        "ordered",
        "alleged",
        "Per his statement.",
    )
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "involvement", AuditEvent.entity_id == involvement.id)
    ).one()
    assert (event.action, event.actor_id, event.parent_id) == ("create", user.id, gerasimov.id)
    page = client.get(f"/decisions/{consent.id}").get_data(as_text=True)
    assert "Valery Gerasimov" in page and "ordered" in page and "Per his statement." in page


def test_a_deleted_official_cannot_be_forged_into_an_involvement(client, login, world, make, session):
    gone = make.official(state=world["ru"], name="Deleted Person")
    gone.soft_delete("duplicate")
    session.flush()
    login("analyst")
    data = {"official_id": str(gone.id), "role": "ordered", "status": "alleged"}
    response = client.post(f"/decisions/{world['consent'].id}/involvements/new", data=data)
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)
    assert session.scalar(select(Involvement).where(Involvement.official_id == gone.id)) is None


def test_the_same_role_twice_is_refused_naming_both(client, login, world, gerasimov, make, session):
    consent = world["consent"]
    make.involvement(official=gerasimov, decision=consent, role="ordered")
    login("analyst")
    data = {"official_id": str(gerasimov.id), "role": "ordered", "status": "corroborated", "note": "Again"}
    response = client.post(f"/decisions/{consent.id}/involvements/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Valery Gerasimov already has the role &#39;ordered&#39; in this decision." in page
    assert "Again" in page  # what was typed is kept
    # another role of the same official in the same decision is fine
    assert (
        client.post(f"/decisions/{consent.id}/involvements/new", data={**data, "role": "voted_for"}).status_code == 302
    )
    assert len(session.scalars(select(Involvement).where(Involvement.official_id == gerasimov.id)).all()) == 2


def test_a_duplicate_saved_meanwhile_is_refused_by_the_database_not_a_500(
    client, login, world, gerasimov, make, session, monkeypatch
):
    """The check before saving can miss a role saved by a concurrent request; the unique
    constraint then refuses it, and the form says so."""
    from services.facts import decisions as decision_service

    consent = world["consent"]
    make.involvement(official=gerasimov, decision=consent, role="ordered")
    signed = make.involvement(official=gerasimov, decision=consent, role="signed")
    monkeypatch.setattr(decision_service, "duplicate_involvement", lambda *args, **kwargs: None)
    login("analyst")
    data = {"official_id": str(gerasimov.id), "role": "ordered", "status": "alleged"}
    response = client.post(f"/decisions/{consent.id}/involvements/new", data=data)
    assert response.status_code == 400
    assert "Valery Gerasimov already has the role &#39;ordered&#39; in this decision." in response.get_data(
        as_text=True
    )
    response = client.post(f"/involvements/{signed.id}/edit", data={**data, "version": str(signed.version)})
    assert response.status_code == 400
    assert "already has the role &#39;ordered&#39;" in response.get_data(as_text=True)
    session.expire_all()
    assert sorted(i.role for i in gerasimov.involvements) == ["ordered", "signed"]


def test_the_duplicate_message_uses_the_roles_label(client, login, world, gerasimov, make):
    make.involvement(official=gerasimov, decision=world["consent"], role="publicly_endorsed")
    login("analyst")
    data = {"official_id": str(gerasimov.id), "role": "publicly_endorsed", "status": "alleged"}
    page = client.post(f"/decisions/{world['consent'].id}/involvements/new", data=data).get_data(as_text=True)
    assert "already has the role &#39;publicly endorsed&#39; in this decision." in page


def test_edit_an_involvement_keeps_official_and_decision_fixed(client, login, world, gerasimov, make, session):
    consent = world["consent"]
    involvement = make.involvement(official=gerasimov, decision=consent, role="ordered")
    other = make.official(state=world["ru"], name="Someone Else")
    login("analyst")
    form_page = client.get(f"/involvements/{involvement.id}/edit").get_data(as_text=True)
    assert "Valery Gerasimov" in form_page and consent.title in form_page and "Someone Else" not in form_page
    data = {
        "role": "commanded",
        "status": "corroborated",
        "note": "Chief of the General Staff",
        "version": str(involvement.version),
        "official_id": str(other.id),
        "decision_id": str(world["treaty"].id),
    }
    assert client.post(f"/involvements/{involvement.id}/edit", data=data).status_code == 302
    session.expire_all()
    assert (involvement.official_id, involvement.decision_id) == (gerasimov.id, consent.id)
    assert (involvement.role, involvement.status, involvement.note) == (
        "commanded",
        "corroborated",
        "Chief of the General Staff",
    )
    update = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity_type == "involvement",
            AuditEvent.entity_id == involvement.id,
            AuditEvent.action == "update",
        )
    ).one()
    assert update.before["role"] == "ordered" and update.after["role"] == "commanded"


def test_editing_into_an_existing_role_is_refused(client, login, world, gerasimov, make):
    consent = world["consent"]
    make.involvement(official=gerasimov, decision=consent, role="ordered")
    signed = make.involvement(official=gerasimov, decision=consent, role="signed")
    login("analyst")
    data = {"role": "ordered", "status": "alleged", "version": str(signed.version)}
    response = client.post(f"/involvements/{signed.id}/edit", data=data)
    assert response.status_code == 400
    assert "Valery Gerasimov already has the role &#39;ordered&#39; in this decision." in response.get_data(
        as_text=True
    )


def test_involvement_bad_input_is_refused(client, login, world, gerasimov, make):
    involvement = make.involvement(official=gerasimov, decision=world["consent"])
    login("analyst")
    data = {"role": "masterminded", "status": "alleged", "note": "n" * 2001, "version": str(involvement.version)}
    response = client.post(f"/involvements/{involvement.id}/edit", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Not a valid choice" in page and "At most 2000 characters." in page


def test_second_of_two_concurrent_involvement_edits_is_refused(client, login, world, gerasimov, make, session):
    involvement = make.involvement(official=gerasimov, decision=world["consent"], role="ordered")
    login("analyst")
    stale = str(involvement.version)
    data = {"role": "ordered", "status": "corroborated", "version": stale}
    assert client.post(f"/involvements/{involvement.id}/edit", data=data).status_code == 302
    second = client.post(f"/involvements/{involvement.id}/edit", data={**data, "status": "disputed"})
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Someone else changed this involvement" in page and "Reload the current version" in page
    session.expire_all()
    assert involvement.status == "corroborated"


def test_an_involvement_without_evidence_is_removed(client, login, world, gerasimov, make, session):
    involvement = make.involvement(official=gerasimov, decision=world["consent"], role="ordered")
    involvement_id = involvement.id
    login("analyst")
    response = client.post(f"/involvements/{involvement_id}/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/decisions/{world['consent'].id}")
    session.expire_all()
    assert session.get(Involvement, involvement_id) is None
    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.entity_type == "involvement", AuditEvent.entity_id == involvement_id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions[-1] == "delete"


def test_an_involvement_with_evidence_is_kept(client, login, world, gerasimov, make, session):
    involvement = make.involvement(official=gerasimov, decision=world["consent"], role="ordered")
    # even evidence the analyst may not see, or that was itself deleted, keeps it
    make.support(evidence=make.evidence(classification="strictly_confidential"), involvement_id=involvement.id)
    login("analyst")
    response = client.post(f"/involvements/{involvement.id}/delete", follow_redirects=True)
    assert "remove its supports first" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Involvement, involvement.id) is not None


def test_involvements_of_deleted_records_are_404(client, login, world, gerasimov, make, session):
    involvement = make.involvement(official=gerasimov, decision=world["consent"])
    world["consent"].soft_delete("x")
    session.flush()
    login("analyst")
    assert client.get(f"/involvements/{involvement.id}/edit").status_code == 404
    assert client.post(f"/involvements/{involvement.id}/delete").status_code == 404
    assert client.get(f"/decisions/{world['consent'].id}/involvements/new").status_code == 404
    assert client.get("/involvements/987654/edit").status_code == 404


# --- markup stays inert ----------------------------------------------------------------------


def test_markup_in_title_summary_instrument_and_note_renders_as_inert_text(client, login, world, gerasimov, session):
    login("analyst")
    data = decision_form(world, title=XSS, summary=XSS + "s", instrument=XSS + "i")
    response = client.post("/decisions/new", data=data, follow_redirects=True)
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True)  # the flash naming it too
    decision = session.scalar(select(Decision).where(Decision.title == XSS))
    note = {"official_id": str(gerasimov.id), "role": "ordered", "status": "alleged", "note": XSS + "n"}
    assert client.post(f"/decisions/{decision.id}/involvements/new", data=note).status_code == 302
    involvement = session.scalar(select(Involvement).where(Involvement.decision_id == decision.id))
    for url in [
        "/decisions",
        f"/decisions/{decision.id}",
        f"/decisions/{decision.id}/edit",
        f"/decisions/{decision.id}/delete",
        f"/involvements/{involvement.id}/edit",
        f"/decisions/{decision.id}/involvements/new",
        f"/acts/{world['invasion'].id}",
    ]:
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, url
    page = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_refused_form_echoes_markup_inertly(client, login, world):
    login("analyst")
    response = client.post("/decisions/new", data=decision_form(world, title=XSS, date="bad"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "<script>alert" not in page and "&lt;script&gt;" in page


def test_month_precise_decision_is_kept_by_a_from_date_inside_its_month(client, login, make):
    login("viewer")
    make.decision(title="Allied Resolve extension", when="2022-02")
    make.decision(title="Earlier decision", when="2022-01")
    page = client.get("/decisions?from=2022-02-21").get_data(as_text=True)
    assert "Allied Resolve extension" in page and "Earlier decision" not in page


def test_the_institution_and_kind_start_unchosen(client, login, world, session):
    """The decision form preselected the first institution (the Cabinet of the DPRK) and kind."""
    login("analyst")
    page = client.get("/decisions/new").get_data(as_text=True)
    for name in ("institution_id", "kind"):
        select_ = page[page.index(f'name="{name}"') : page.index("</select>", page.index(f'name="{name}"'))]
        assert '<option selected value="">Choose…</option>' in select_ and select_.count("selected") == 1
    data = decision_form(world, institution_id="", kind="")
    response = client.post("/decisions/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose the institution." in page and "Choose the kind of decision." in page
    assert data["title"] in page  # nothing lost


@pytest.mark.parametrize("value", ["²", "12abc", "-1", "99999999999999999999", ""])
def test_a_preset_institution_that_is_no_id_is_ignored(client, login, world, value):
    login("analyst")
    page = client.get("/decisions/new", query_string={"institution_id": value})
    assert page.status_code == 200
    assert '<option selected value="">Choose…</option>' in page.get_data(as_text=True)


def test_a_preset_institution_is_chosen_on_the_form(client, login, world):
    login("analyst")
    council = world["council"]
    page = client.get(f"/decisions/new?institution_id={council.id}").get_data(as_text=True)
    assert f'<option selected value="{council.id}">' in page
