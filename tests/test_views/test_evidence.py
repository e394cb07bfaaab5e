"""Evidence pages: browsing within one's clearance, adding and editing metadata, linking an
exhibit to the facts it bears on, deleting and restoring."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from models import AggressionAct, AuditEvent, Evidence, EvidenceFile, PartialDate, Support
from services.evidence import numbers as exhibit_numbers
from tests.pages import mask_volatile

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def evidence_form(**overrides):
    data = {
        "title": "Federation Council resolution No. 35-SF",
        "kind": "document",
        "summary": "Consent to the use of the armed forces abroad, 153 votes.",
        "source": "Federation Council of the Russian Federation, resolution of 22 Feb 2022",
        "provenance": "Official publication, council.gov.ru",
        "url": "http://council.gov.ru/activity/documents/133301/",
        "collected_by": "Analyst A",
        "collected_on": "2026-11-29",
        "collection_method": "Downloaded and archived",
        "language": "ru",
        "classification": "public",
        "reliability": "A",
        "credibility": "1",
        "version": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def facts(make):
    """One fact of each kind a support may bear on."""
    state = make.state(code="RU", name="Russian Federation")
    ministry = make.institution(state=state, name="Ministry of Defence")
    minister = make.position(institution=ministry, title="Minister of Defence")
    official = make.official(state=state, name="Sergei Shoigu")
    tenure = make.tenure(official=official, position=minister, start="2012-11-06", end="2024-05-12")
    decision = make.decision(institution=ministry, title="Order to begin the invasion", when="2022-02")
    involvement = make.involvement(official=official, decision=decision, role="ordered")
    act = AggressionAct(title="Full-scale invasion of Ukraine")
    act.start = PartialDate.parse("2022-02-24")
    make.session.add(act)
    make.session.flush()
    return {"tenure": tenure, "involvement": involvement, "decision": decision, "act": act, "official": official}


@pytest.fixture
def secret(make):
    return make.evidence(exhibit_no="P-0007", title="Intercepted call", classification="confidential")


# --- clearance ----------------------------------------------------------------------------


def test_list_hides_evidence_above_clearance_and_says_only_how_many(client, login, make, secret):
    make.evidence(exhibit_no="P-0001", title="Public decree")
    make.evidence(exhibit_no="P-0002", title="Strictly secret", classification="strictly_confidential")
    login("viewer", "public")
    page = client.get("/evidence").get_data(as_text=True)
    assert "Public decree" in page
    assert "Intercepted call" not in page and "P-0007" not in page and "Strictly secret" not in page
    assert "2 items withheld at your clearance" in page
    assert "1 record" in page  # the count of listed items leaves the hidden ones out
    # the classification filter offers only what the user may see, and asking for more finds nothing
    assert 'value="confidential"' not in page
    page = client.get("/evidence?classification=confidential").get_data(as_text=True)
    assert "Intercepted call" not in page and "0 records" in page


def test_the_withheld_count_ignores_filters_so_it_reveals_nothing_about_hidden_items(client, login, make, secret):
    make.evidence(title="Public decree", kind="document")
    login("viewer", "public")
    page = client.get("/evidence?kind=intercept&from=2030").get_data(as_text=True)
    assert "1 item withheld at your clearance" in page


def test_cleared_user_sees_everything_and_nothing_is_withheld(client, login, make, secret):
    login("viewer", "confidential")
    page = client.get("/evidence").get_data(as_text=True)
    assert "Intercepted call" in page and "withheld" not in page


def test_hidden_evidence_is_404_everywhere_like_a_missing_id(client, login, make, secret, facts, ticking_clock):
    support = make.support(evidence=secret, act_id=facts["act"].id)
    login("admin", "public")
    missing = client.get("/evidence/987654")
    assert missing.status_code == 404
    missing_page = mask_volatile(missing.get_data(as_text=True).replace("/evidence/987654", "URL"))
    urls = [
        f"/evidence/{secret.id}",
        f"/evidence/{secret.id}/edit",
        f"/evidence/{secret.id}/delete",
        f"/evidence/{secret.id}/supports/new",
        f"/supports/{support.id}/edit",
        f"/history/evidence/{secret.id}",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert mask_volatile(response.get_data(as_text=True).replace(url, "URL")) == missing_page
    for url in [
        f"/evidence/{secret.id}/edit",
        f"/evidence/{secret.id}/delete",
        f"/evidence/{secret.id}/restore",
        f"/evidence/{secret.id}/supports/new",
        f"/supports/{support.id}/edit",
        f"/supports/{support.id}/delete",
    ]:
        assert client.post(url, data={"reason": "x", "stance": "contradicts"}).status_code == 404, url
    make.session.expire_all()
    assert secret.deleted_at is None and support.stance == "supports"
    assert make.session.get(Support, support.id) is not None


def test_hidden_evidence_stays_out_of_the_deleted_list_and_the_audit_trail(client, login, make, secret, session):
    secret.soft_delete("mistake")
    session.flush()
    login("admin", "public")
    page = client.get("/evidence?deleted=1").get_data(as_text=True)
    assert "Intercepted call" not in page and "1 item withheld at your clearance" in page
    assert "Intercepted call" not in client.get("/audit").get_data(as_text=True)


def test_fact_pages_count_hidden_exhibits_without_naming_them(client, login, make, secret, facts):
    make.support(evidence=secret, tenure_id=facts["tenure"].id)
    login("viewer", "public")
    page = client.get(f"/officials/{facts['official'].id}").get_data(as_text=True)
    assert "1 item withheld at your clearance" in page
    assert "P-0007" not in page and "Intercepted call" not in page


# --- the detail page ----------------------------------------------------------------------


def test_detail_shows_every_field_the_grade_explained_and_the_files(client, login, make, session):
    evidence = make.evidence(
        exhibit_no="P-0003",
        title="Address of 24 February 2022",
        kind="official_statement",
        summary="Announcement of the special military operation.",
        source="Kremlin.ru transcript",
        provenance="Archived copy",
        url="https://example.org/address",
        collected_by="Analyst B",
        collected_on=PartialDate.parse("2026-01-15").value,
        collection_method="Web capture",
        language="ru",
        reliability="C",
        credibility="3",
    )
    session.add(
        EvidenceFile(
            evidence=evidence, sha256="a" * 64, size=1536, media_type="application/pdf", original_name="address.pdf"
        )
    )
    session.flush()
    login("viewer", "public")
    page = client.get(f"/evidence/{evidence.id}").get_data(as_text=True)
    for text in [
        "P-0003",
        "Address of 24 February 2022",
        "official statement",
        "Announcement of the special military operation.",
        "Kremlin.ru transcript",
        "Archived copy",
        'href="https://example.org/address"',
        "Analyst B",
        "2026-01-15",
        "Web capture",
        "public",
        "C3",
        "fairly reliable",
        "possibly true",
        "address.pdf",
        "1.5 KiB",
        "application/pdf",
        "a" * 64,
        f'href="/history/evidence/{evidence.id}"',
    ]:
        assert text in page, text
    # a viewer gets no editing links
    assert f"/evidence/{evidence.id}/edit" not in page and "supports/new" not in page


def test_detail_describes_each_kind_of_fact_with_links(client, login, make, facts):
    evidence = make.evidence(title="Linked exhibit")
    make.support(evidence=evidence, tenure_id=facts["tenure"].id, pinpoint="para. 1", note="Appointment decree")
    make.support(evidence=evidence, involvement_id=facts["involvement"].id, stance="contradicts")
    make.support(evidence=evidence, decision_id=facts["decision"].id)
    make.support(evidence=evidence, act_id=facts["act"].id)
    login("analyst", "public")
    page = client.get(f"/evidence/{evidence.id}").get_data(as_text=True)
    official = f'<a href="/officials/{facts["official"].id}">Sergei Shoigu</a>'
    assert official + " holds Minister of Defence, Ministry of Defence from" in page
    assert "Nov 6, 2012" in page and "May 12, 2024" in page
    assert official + ": role “ordered” in " in page
    assert f'<a href="/acts/{facts["act"].id}">Full-scale invasion of Ukraine</a>' in page
    assert "Order to begin the invasion" in page and "Ministry of Defence" in page
    if "/decisions/" in page:  # once the decisions pages exist, decisions are links too
        assert f'href="/decisions/{facts["decision"].id}"' in page
    assert "para. 1" in page and "Appointment decree" in page and "contradicts" in page
    assert page.count("/supports/") >= 8  # edit and remove for each link
    assert f'href="/evidence/{evidence.id}/supports/new"' in page


def test_deleted_evidence_is_404_and_listed_for_admins_only(client, login, make):
    evidence = make.evidence(title="Gone")
    evidence.soft_delete("duplicate")
    make.session.flush()
    login("analyst", "public")
    assert client.get(f"/evidence/{evidence.id}").status_code == 404
    assert "Gone" not in client.get("/evidence").get_data(as_text=True)
    assert "Gone" not in client.get("/evidence?deleted=1").get_data(as_text=True)


# --- adding and editing -------------------------------------------------------------------


def test_analyst_adds_an_exhibit_numbered_by_the_server(client, login, make, session):
    make.evidence(exhibit_no="P-0009")
    make.evidence(exhibit_no="T-0500")  # not a P-number: does not count
    exhibit_numbers.catch_up(session)
    user = login("analyst", "public")
    response = client.post("/evidence/new", data=evidence_form(exhibit_no="P-0001", id="987654321"))
    assert response.status_code == 302
    evidence = session.scalar(select(Evidence).where(Evidence.title == "Federation Council resolution No. 35-SF"))
    number = evidence.exhibit_no
    assert re.fullmatch(r"P-\d{4,}", number) and int(number[2:]) >= 10 and evidence.id != 987654321
    assert evidence.collected_on.isoformat() == "2026-11-29" and evidence.grade == "A1"
    assert evidence.language == "ru" and evidence.url.startswith("http://council.gov.ru/")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Exhibit {number} added." in page
    events = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "evidence")).all()
    assert [(e.action, e.actor_id, e.entity_id) for e in events if e.entity_id == evidence.id] == [
        ("create", user.id, evidence.id)
    ]
    client.post("/evidence/new", data=evidence_form(title="Second"))
    second = session.scalar(select(Evidence.exhibit_no).where(Evidence.title == "Second"))
    assert int(second[2:]) > int(number[2:])


def test_edit_never_changes_the_exhibit_number(client, login, make, session):
    evidence = make.evidence(exhibit_no="P-0004", title="Old title")
    login("analyst", "public")
    data = evidence_form(title="New title", exhibit_no="P-9999", version=str(evidence.version))
    assert client.post(f"/evidence/{evidence.id}/edit", data=data).status_code == 302
    session.expire_all()
    assert evidence.exhibit_no == "P-0004" and evidence.title == "New title"
    history = client.get(f"/history/evidence/{evidence.id}").get_data(as_text=True)
    assert "Old title" in history and "New title" in history


def test_edit_form_is_filled_from_the_record(client, login, make):
    evidence = make.evidence(title="Filled", collected_on=PartialDate.parse("2025-04-28").value, language="ko")
    login("analyst", "public")
    page = client.get(f"/evidence/{evidence.id}/edit").get_data(as_text=True)
    assert 'value="Filled"' in page and 'value="2025-04-28"' in page and 'value="ko"' in page
    assert f'name="version" type="hidden" value="{evidence.version}"' in page


def test_classification_is_limited_to_the_users_clearance(client, login, make, session):
    login("analyst", "restricted")
    page = client.get("/evidence/new").get_data(as_text=True)
    assert 'value="restricted"' in page and 'value="confidential"' not in page
    forged = client.post("/evidence/new", data=evidence_form(classification="confidential"))
    assert forged.status_code == 400 and "Not a valid choice" in forged.get_data(as_text=True)
    assert session.scalar(select(Evidence).where(Evidence.title == evidence_form()["title"])) is None
    evidence = make.evidence(classification="restricted")
    data = evidence_form(classification="strictly_confidential", version=str(evidence.version))
    assert client.post(f"/evidence/{evidence.id}/edit", data=data).status_code == 400
    session.expire_all()
    assert evidence.classification == "restricted"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("source", "", "This field is required."),
        ("title", "x" * 301, "At most 300 characters."),
        ("summary", "x" * 20_001, "At most 20000 characters."),
        ("url", "javascript:alert(1)", "http:// or https://"),
        ("url", "ftp://example.org/x", "http:// or https://"),
        ("url", "/relative/path", "http:// or https://"),
        ("url", 'https://x.org/"onmouseover=alert(1)', "without spaces or quotes"),
        ("collected_on", "2022-02", "Not a valid date value"),
        ("collected_on", "2022-02-30", "Not a valid date value"),
        ("language", "not a language", "language code"),
        ("kind", "rumour", "Not a valid choice"),
        ("reliability", "G", "Not a valid choice"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_keeps_what_was_typed(client, login, session, field, value, message):
    login("analyst", "public")
    response = client.post("/evidence/new", data=evidence_form(**{field: value}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    if field != "collected_by":
        assert "Analyst A" in page  # nothing typed is lost
    assert session.scalar(select(Evidence)) is None


def test_second_of_two_concurrent_edits_is_refused(client, login, make, session):
    evidence = make.evidence(title="Original")
    login("analyst", "public")
    stale = str(evidence.version)
    first = client.post(f"/evidence/{evidence.id}/edit", data=evidence_form(title="First", version=stale))
    assert first.status_code == 302
    second = client.post(f"/evidence/{evidence.id}/edit", data=evidence_form(title="Second", version=stale))
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Someone else changed this exhibit" in page and "Reload the current version" in page
    session.expire_all()
    assert evidence.title == "First"


def test_viewer_may_read_but_not_change(client, login, make, facts):
    evidence = make.evidence()
    support = make.support(evidence=evidence, act_id=facts["act"].id)
    login("viewer", "strictly_confidential")
    assert client.get("/evidence").status_code == 200
    assert client.get(f"/evidence/{evidence.id}").status_code == 200
    for url in [
        "/evidence/new",
        f"/evidence/{evidence.id}/edit",
        f"/evidence/{evidence.id}/delete",
        f"/evidence/{evidence.id}/supports/new",
        f"/supports/{support.id}/edit",
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data=evidence_form()).status_code == 403, url
    assert client.post(f"/supports/{support.id}/delete").status_code == 403
    assert client.post(f"/evidence/{evidence.id}/restore").status_code == 403


def test_soft_delete_with_reason_then_admin_restores(client, login, make, session):
    evidence = make.evidence(exhibit_no="P-0005", title="Mistaken exhibit")
    session.commit()  # the records exist before the requests: their creation is in the trail
    login("analyst", "confidential")
    assert "Reason for deleting" in client.get(f"/evidence/{evidence.id}/delete").get_data(as_text=True)
    assert client.post(f"/evidence/{evidence.id}/delete", data={"reason": ""}).status_code == 400
    assert client.post(f"/evidence/{evidence.id}/delete", data={"reason": "Duplicate of P-0002"}).status_code == 302
    session.expire_all()
    assert evidence.is_deleted and evidence.deletion_reason == "Duplicate of P-0002"
    assert client.get(f"/evidence/{evidence.id}").status_code == 404
    assert "Mistaken exhibit" not in client.get("/evidence").get_data(as_text=True)
    assert client.post(f"/evidence/{evidence.id}/restore").status_code == 403
    client.post("/logout")
    login("admin", "public")
    listing = client.get("/evidence?deleted=1").get_data(as_text=True)
    assert "Mistaken exhibit" in listing and "Duplicate of P-0002" in listing
    assert client.post(f"/evidence/{evidence.id}/restore").status_code == 302
    session.expire_all()
    assert not evidence.is_deleted
    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.entity_type == "evidence", AuditEvent.entity_id == evidence.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "delete", "restore"]


def test_deleted_list_is_for_admins_only(client, login, make):
    evidence = make.evidence(title="Deleted one")
    evidence.soft_delete("x")
    make.session.flush()
    login("analyst", "public")
    page = client.get("/evidence?deleted=1").get_data(as_text=True)
    assert "Deleted one" not in page and "Deleted evidence" not in page


# --- supports -----------------------------------------------------------------------------


def support_form(target_type, target_id, **overrides):
    data = {"target_type": target_type, f"{target_type}_id": str(target_id), "stance": "supports"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("target_type", ["tenure", "involvement", "decision", "act"])
def test_link_an_exhibit_to_each_kind_of_fact(client, login, make, session, facts, target_type):
    evidence = make.evidence()
    user = login("analyst", "public")
    page = client.get(f"/evidence/{evidence.id}/supports/new").get_data(as_text=True)
    assert "Sergei Shoigu: Minister of Defence, Ministry of Defence, Nov 6, 2012 to May 12, 2024" in page
    assert "Sergei Shoigu: ordered in Order to begin the invasion (February 2022)" in page
    assert "Full-scale invasion of Ukraine" in page
    target = facts[target_type]
    # the other lists hold values too: only the chosen kind's list is read
    data = support_form(target_type, target.id, pinpoint="p. 4", note="Signature block")
    for other in ("tenure", "involvement", "decision", "act"):
        data.setdefault(f"{other}_id", str(facts[other].id))
    response = client.post(f"/evidence/{evidence.id}/supports/new", data=data)
    assert response.status_code == 302
    support = session.scalar(select(Support).where(Support.evidence_id == evidence.id))
    assert support.target_type == target_type and support.target_id == target.id
    assert (support.stance, support.pinpoint, support.note) == ("supports", "p. 4", "Signature block")
    event = session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "support"))
    assert (event.action, event.actor_id, event.parent_type, event.parent_id) == (
        "create",
        user.id,
        "evidence",
        evidence.id,
    )
    assert "Link added." in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"stance": "supports"}, "Choose what kind of fact"),
        ({"target_type": "official", "stance": "supports"}, "Not a valid choice"),
        ({"target_type": "act", "act_id": "", "stance": "supports"}, "Choose the fact from this list"),
        ({"target_type": "act", "act_id": "987654", "stance": "supports"}, "Choose the fact from this list"),
        ({"target_type": "act", "act_id": "abc", "stance": "supports"}, "Choose the fact from this list"),
        ({"target_type": "act", "stance": "maybe"}, "Not a valid choice"),
        ({"target_type": "act", "stance": "supports", "pinpoint": "x" * 301}, "At most 300 characters."),
    ],
)
def test_a_link_needs_exactly_one_known_fact(client, login, make, session, facts, data, message):
    evidence = make.evidence()
    login("analyst", "public")
    data = {"act_id": str(facts["act"].id), **data}
    response = client.post(f"/evidence/{evidence.id}/supports/new", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert session.scalar(select(Support)) is None


def test_deleted_officials_and_decisions_are_not_offered(client, login, make, facts):
    facts["official"].soft_delete("x")
    make.session.flush()
    evidence = make.evidence()
    login("analyst", "public")
    page = client.get(f"/evidence/{evidence.id}/supports/new").get_data(as_text=True)
    assert "Sergei Shoigu" not in page and "Order to begin the invasion" in page
    data = support_form("tenure", facts["tenure"].id)
    assert client.post(f"/evidence/{evidence.id}/supports/new", data=data).status_code == 400


def test_duplicate_link_is_refused_with_a_message_naming_it(client, login, make, session, facts):
    evidence = make.evidence(exhibit_no="P-0042")
    make.support(evidence=evidence, act_id=facts["act"].id, stance="supports")
    login("analyst", "public")
    response = client.post(f"/evidence/{evidence.id}/supports/new", data=support_form("act", facts["act"].id))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Exhibit P-0042 is already linked to Full-scale invasion of Ukraine with the stance “supports”" in page
    # an exhibit supports or contradicts a fact, never both: the other stance is refused too
    data = support_form("act", facts["act"].id, stance="contradicts")
    refused = client.post(f"/evidence/{evidence.id}/supports/new", data=data)
    assert refused.status_code == 400 and "never both" in refused.get_data(as_text=True)
    assert len(session.scalars(select(Support)).all()) == 1


def test_edit_a_link_turns_its_stance_and_refuses_concurrent_changes(client, login, make, session, facts):
    evidence = make.evidence(exhibit_no="P-0043")
    other = make.support(evidence=evidence, tenure_id=facts["tenure"].id, stance="supports", pinpoint="p. 1")
    session.commit()  # the records exist before the requests: their creation is in the trail
    login("analyst", "public")
    page = client.get(f"/supports/{other.id}/edit").get_data(as_text=True)
    assert 'value="p. 1"' in page and "Sergei Shoigu" in page
    stale = str(other.version)
    data = {"stance": "contradicts", "pinpoint": "p. 2", "note": "Denial", "version": stale}
    assert client.post(f"/supports/{other.id}/edit", data=data).status_code == 302
    session.expire_all()
    assert (other.pinpoint, other.note) == ("p. 2", "Denial")
    late = client.post(f"/supports/{other.id}/edit", data={**data, "pinpoint": "p. 9"})
    assert late.status_code == 409 and "Someone else changed this link" in late.get_data(as_text=True)
    session.expire_all()
    assert other.pinpoint == "p. 2"
    events = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.entity_type == "support", AuditEvent.entity_id == other.id)
        .order_by(AuditEvent.id)
    ).all()
    assert events == ["create", "update"]


def test_remove_a_link_is_audited(client, login, make, session, facts):
    evidence = make.evidence()
    support = make.support(evidence=evidence, decision_id=facts["decision"].id)
    support_id = support.id
    session.commit()  # the records exist before the requests: their creation is in the trail
    login("analyst", "public")
    response = client.post(f"/supports/{support_id}/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/evidence/{evidence.id}")
    session.expire_all()
    assert session.get(Support, support_id) is None
    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.entity_type == "support", AuditEvent.entity_id == support_id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "delete"]
    assert client.get(f"/supports/{support_id}/edit").status_code == 404


def test_supports_of_deleted_evidence_are_404(client, login, make, facts):
    evidence = make.evidence()
    support = make.support(evidence=evidence, act_id=facts["act"].id)
    evidence.soft_delete("x")
    make.session.flush()
    login("analyst", "public")
    assert client.get(f"/evidence/{evidence.id}/supports/new").status_code == 404
    assert client.get(f"/supports/{support.id}/edit").status_code == 404


# --- lists --------------------------------------------------------------------------------


def test_list_filters_and_sorts_from_an_allowlist(client, login, make):
    make.evidence(exhibit_no="P-0001", title="Bravo", kind="intercept", reliability="D", credibility="4")
    make.evidence(
        exhibit_no="P-0002",
        title="Alpha",
        kind="document",
        reliability="A",
        credibility="1",
        classification="restricted",
        collected_on=PartialDate.parse("2024-06-01").value,
    )
    login("viewer", "restricted")
    assert "Alpha" not in client.get("/evidence?kind=intercept").get_data(as_text=True)
    assert "Bravo" not in client.get("/evidence?classification=restricted").get_data(as_text=True)
    assert "Alpha" not in client.get("/evidence?reliability=D").get_data(as_text=True)
    assert "Bravo" not in client.get("/evidence?credibility=1").get_data(as_text=True)
    dated = client.get("/evidence?from=2024&to=2024-06").get_data(as_text=True)
    assert "Alpha" in dated and "Bravo" not in dated
    assert "Alpha" not in client.get("/evidence?from=2024-06-02").get_data(as_text=True)
    assert client.get("/evidence?from=June").status_code == 400
    by_title = client.get("/evidence?sort=title").get_data(as_text=True)
    assert by_title.index("Alpha") < by_title.index("Bravo")
    by_number = client.get("/evidence?sort=exhibit_no&dir=desc").get_data(as_text=True)
    assert by_number.index("Alpha") < by_number.index("Bravo")
    by_grade = client.get("/evidence?sort=grade").get_data(as_text=True)
    assert by_grade.index("Alpha") < by_grade.index("Bravo")
    by_class = client.get("/evidence?sort=classification&dir=desc").get_data(as_text=True)
    assert by_class.index("Alpha") < by_class.index("Bravo")
    by_kind = client.get("/evidence?sort=kind").get_data(as_text=True)
    assert by_kind.index("Alpha") < by_kind.index("Bravo")
    assert client.get("/evidence?sort=password_hash;drop&dir=sideways&kind=x").status_code == 200


def test_query_count_does_not_grow_with_the_data(client, login, make, session, facts, count_queries):
    login("viewer", "confidential")
    evidence = make.evidence()
    for target in ("tenure", "involvement", "decision", "act"):
        make.support(evidence=evidence, **{f"{target}_id": facts[target].id})
    client.get("/evidence")  # warm-up
    with count_queries() as few:
        client.get("/evidence")
        client.get(f"/evidence/{evidence.id}")
    for i in range(10):
        extra = make.evidence(classification="confidential" if i % 2 else "public")
        tenure = make.tenure(position=make.position())
        involvement = make.involvement(decision=make.decision())
        make.support(evidence=evidence, tenure_id=tenure.id)
        make.support(evidence=evidence, involvement_id=involvement.id)
        make.support(evidence=evidence, decision_id=involvement.decision_id)
        make.support(evidence=extra, act_id=facts["act"].id)
        session.add(EvidenceFile(evidence=evidence, sha256=f"{i:064x}", size=i, media_type="text/plain"))
    session.flush()
    with count_queries() as many:
        client.get("/evidence")
        client.get(f"/evidence/{evidence.id}")
    assert many.count == few.count
    assert few.count <= 16


def test_support_form_query_count_does_not_grow(client, login, make, facts, count_queries):
    login("analyst", "public")
    evidence = make.evidence()
    client.get("/evidence")  # warm-up
    with count_queries() as few:
        client.get(f"/evidence/{evidence.id}/supports/new")
    for _i in range(10):
        make.involvement(decision=make.decision())
        make.tenure()
    with count_queries() as many:
        client.get(f"/evidence/{evidence.id}/supports/new")
    assert many.count == few.count


# --- markup stays inert -------------------------------------------------------------------


def test_markup_in_every_text_field_renders_as_inert_text(client, login, session, facts):
    login("admin", "public")
    data = evidence_form(
        title=XSS,
        summary=XSS,
        source=XSS,
        provenance=XSS,
        collected_by=XSS[:200],
        collection_method=XSS,
    )
    response = client.post("/evidence/new", data=data, follow_redirects=True)
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True)
    evidence = session.scalar(select(Evidence))
    support_data = support_form("act", facts["act"].id, pinpoint=XSS[:300], note=XSS)
    assert client.post(f"/evidence/{evidence.id}/supports/new", data=support_data).status_code == 302
    support = session.scalar(select(Support))
    assert client.post(f"/evidence/{evidence.id}/delete", data={"reason": XSS}).status_code == 302
    deleted = client.get("/evidence?deleted=1").get_data(as_text=True)
    assert "<script>alert" not in deleted and "&lt;script&gt;" in deleted
    assert client.post(f"/evidence/{evidence.id}/restore").status_code == 302
    for url in [
        "/evidence",
        f"/evidence/{evidence.id}",
        f"/evidence/{evidence.id}/edit",
        f"/supports/{support.id}/edit",
        f"/history/evidence/{evidence.id}",
    ]:
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, url
    page = client.get(f"/evidence/{evidence.id}").get_data(as_text=True)
    assert page.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") >= 7


def test_markup_in_the_names_of_facts_is_inert(client, login, make, facts):
    facts["official"].name = XSS
    facts["decision"].title = XSS + "d"
    facts["act"].title = XSS + "a"
    make.session.flush()
    evidence = make.evidence()
    for target in ("tenure", "involvement", "decision", "act"):
        make.support(evidence=evidence, **{f"{target}_id": facts[target].id})
    login("analyst", "public")
    for url in [f"/evidence/{evidence.id}", f"/evidence/{evidence.id}/supports/new"]:
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;" in page


def test_refused_form_echoes_markup_inertly(client, login):
    login("analyst", "public")
    response = client.post("/evidence/new", data=evidence_form(title=XSS, url="javascript:alert(1)"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "<script>alert" not in page and "&lt;script&gt;" in page
    assert 'href="javascript:' not in page


def test_a_non_web_address_stored_by_other_means_is_not_a_link(client, login, make):
    evidence = make.evidence(url="javascript:alert(1)")
    login("viewer", "public")
    page = client.get(f"/evidence/{evidence.id}").get_data(as_text=True)
    assert "javascript:alert(1)" in page and 'href="javascript:' not in page


# --- the evidence picker -------------------------------------------------------------------


def test_the_picker_finds_exhibits_by_number_start_and_by_words_in_any_script(client, login, make):
    make.evidence(exhibit_no="P-0101", title="Federation Council resolution No. 35-SF")
    make.evidence(exhibit_no="P-0102", title="Указ Президента № 71", summary="Признание ДНР")
    make.evidence(exhibit_no="D-0101", title="Defence denial")
    login("analyst", "public")

    def numbers(q):
        response = client.get("/evidence/lookup", query_string={"q": q})
        assert response.status_code == 200 and response.mimetype == "application/json"
        return [item["value"] for item in response.get_json()["items"]]

    assert numbers("p-01") == ["P-0101", "P-0102"]
    assert numbers("P-0102") == ["P-0102"]
    assert numbers("resolution") == ["P-0101"]
    assert numbers("признание") == ["P-0102"]
    assert numbers("%") == [] and numbers("P-%") == [] and numbers("P_") == []
    assert numbers("") == [] and numbers("x") == []
    [item] = client.get("/evidence/lookup?q=P-0101").get_json()["items"]
    assert item["value"] == item["label"] == "P-0101" and item["text"] == "Federation Council resolution No. 35-SF"
    assert set(item) == {"value", "label", "text", "details"} and len(item["details"]) == 4


def test_the_picker_answers_alike_whether_or_not_a_hidden_exhibit_matches(client, login, make, session):
    """Nothing of the answer may depend on an exhibit above the viewer's clearance."""
    make.evidence(exhibit_no="P-0201", title="Minutes of the Security Council")
    login("analyst", "public")
    before = {q: client.get("/evidence/lookup", query_string={"q": q}).data for q in ("P-02", "Security", "Minutes")}
    make.evidence(exhibit_no="P-0202", title="Minutes of the Security Council, annex", classification="confidential")
    session.flush()
    after = {q: client.get("/evidence/lookup", query_string={"q": q}).data for q in ("P-02", "Security", "Minutes")}
    assert after == before


def test_the_picker_costs_a_fixed_number_of_queries(client, login, make, count_queries):
    for n in range(3):
        make.evidence(exhibit_no=f"P-03{n:02d}", title=f"Order {n}")
    login("analyst", "public")
    with count_queries() as few:
        client.get("/evidence/lookup?q=P-03")
    for n in range(3, 15):
        make.evidence(exhibit_no=f"P-03{n:02d}", title=f"Order {n}")
    with count_queries() as many:
        assert len(client.get("/evidence/lookup?q=P-03").get_json()["items"]) == 12
    assert many.count == few.count


def test_the_link_form_offers_the_picker_and_works_without_it(client, login, make, session):
    official = make.official()
    position = make.position(tier="leadership")
    tenure = make.tenure(official=official, position=position)
    session.flush()
    login("analyst", "public")
    html = client.get(f"/dossiers/{official.id}/link-evidence?target=tenure:{tenure.id}").get_data(as_text=True)
    assert 'data-picker="/evidence/lookup"' in html and '<script src="/static/picker.js" defer></script>' in html
