from __future__ import annotations

import pytest

from models import OfficialName


@pytest.fixture(autouse=True)
def signed_in(login):
    return login("viewer", "public")


@pytest.fixture
def shoigu(make):
    state = make.state(code="RU", name="Russian Federation")
    ministry = make.institution(state=state, name="Ministry of Defence")
    minister = make.position(institution=ministry, title="Minister of Defence", tier="leadership")
    official = make.official(state=state, name="Sergei Shoigu", native_name="Сергей Шойгу", native_script="Cyrl")
    official.names.append(OfficialName(name="Sergey Shoygu", script="Latn", lang="en"))
    tenure = make.tenure(official=official, position=minister, start="2012-11-06", end="2024-05-12")
    decision = make.decision(institution=ministry, title="Order to begin the invasion", when="2022-02")
    involvement = make.involvement(official=official, decision=decision, role="ordered")
    make.support(evidence=make.evidence(title="Decree on appointment"), tenure_id=tenure.id, pinpoint="para. 1")
    make.support(evidence=make.evidence(title="Televised order", reliability="A"), involvement_id=involvement.id)
    make.support(
        evidence=make.evidence(title="Official denial of any plan", credibility="5"),
        decision_id=decision.id,
        stance="contradicts",
    )
    make.support(
        evidence=make.evidence(title="Intercepted call", classification="confidential"),
        involvement_id=involvement.id,
    )
    return official


def test_list_shows_name_native_name_state_and_current_position(client, make, shoigu):
    belarus = make.state(code="BY", name="Republic of Belarus")
    president = make.position(institution=make.institution(state=belarus, name="Administration"), title="President")
    lukashenko = make.official(state=belarus, name="Alexander Lukashenko", native_name="Аляксандр Лукашэнка")
    make.tenure(official=lukashenko, position=president, start="1994-07-20")

    page = client.get("/officials").get_data(as_text=True)

    assert "Sergei Shoigu" in page and "Сергей Шойгу" in page and "Russian Federation" in page
    assert "Аляксандр Лукашэнка" in page and "President, Administration" in page
    assert f'href="/officials/{shoigu.id}"' in page
    # Shoigu's ministerial tenure ended: no current position for him
    assert "Minister of Defence, Ministry of Defence" not in page


def test_root_redirects_to_officials(client):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/officials")


def test_list_is_paginated(app, client, make):
    state = make.state()
    for i in range(7):
        make.official(state=state, name=f"Person {i:02d}")
    app.config["LIST_PER_PAGE"] = 5
    try:
        first = client.get("/officials").get_data(as_text=True)
        second = client.get("/officials?page=2").get_data(as_text=True)
        assert client.get("/officials?page=3").status_code == 400  # past the end: no such page
    finally:
        app.config["LIST_PER_PAGE"] = 50
    assert "Person 00" in first and "Person 05" not in first and "Page 1 of 2" in first
    assert "Person 05" in second and "Person 06" in second and "Person 00" not in second


def test_soft_deleted_officials_disappear(client, session, shoigu):
    shoigu.soft_delete()
    session.flush()
    assert "Sergei Shoigu" not in client.get("/officials").get_data(as_text=True)
    assert client.get(f"/officials/{shoigu.id}").status_code == 404


def test_detail_shows_names_tenures_involvements_and_evidence(client, shoigu):
    response = client.get(f"/officials/{shoigu.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in [
        "Sergey Shoygu",
        "Minister of Defence",
        "2012-11-06",
        "2024-05-12",
        "Order to begin the invasion",
        "2022-02",
        "ordered",
        "Decree on appointment",
        "para. 1",
        "Televised order",
        "Official denial of any plan",
        "contradicts",
    ]:
        assert text in page, text


def test_detail_shows_gender_notes_and_links_to_the_dossier(client, shoigu, session):
    page = client.get(f"/officials/{shoigu.id}").get_data(as_text=True)
    assert "<dt>Gender</dt><dd>not recorded</dd>" in page and "<dt>Notes</dt>" not in page
    assert f'href="/dossiers/{shoigu.id}"' in page
    shoigu.gender, shoigu.notes = "male", "Army general.\nMinister 2012–2024."
    session.flush()
    page = client.get(f"/officials/{shoigu.id}").get_data(as_text=True)
    assert "<dt>Gender</dt><dd>male</dd>" in page
    assert '<dt>Notes</dt><dd class="text">Army general.\nMinister 2012–2024.</dd>' in page


def test_detail_withholds_evidence_above_public_clearance(client, shoigu):
    page = client.get(f"/officials/{shoigu.id}").get_data(as_text=True)
    assert "Intercepted call" not in page
    assert "1 item withheld at your clearance" in page


def test_unknown_official_is_404(client):
    assert client.get("/officials/987654").status_code == 404


def test_query_count_does_not_grow_with_the_data(client, make, count_queries, shoigu):
    client.get("/officials")  # warm-up: the session's first request records its last-seen time
    with count_queries() as few:
        client.get("/officials")
        client.get(f"/officials/{shoigu.id}")
    state = make.state()
    for i in range(10):
        official = make.official(state=state, name=f"Extra {i}")
        tenure = make.tenure(official=official, position=make.position())
        make.support(evidence=make.evidence(), tenure_id=tenure.id)
        involvement = make.involvement(official=shoigu, role="attended", decision=make.decision())
        make.support(evidence=make.evidence(), involvement_id=involvement.id)
    with count_queries() as many:
        client.get("/officials")
        client.get(f"/officials/{shoigu.id}")
    assert many.count == few.count
    assert few.count <= 20


def test_pages_carry_security_headers(client, shoigu):
    for url in ["/officials", f"/officials/{shoigu.id}", "/officials/987654"]:
        headers = client.get(url).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Cache-Control"] == "no-store"


def test_names_are_escaped(client, make):
    official = make.official(name="<script>alert(1)</script>")
    page = client.get(f"/officials/{official.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_health_needs_no_sign_in(app, session):
    response = app.test_client().get("/health")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
