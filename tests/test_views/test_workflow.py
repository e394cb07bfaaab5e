"""The issue's acceptance path: an analyst records an official with Cyrillic and Hangul
names, a decision, an involvement and an evidence record linked as support, finds them by
searching in another script, and sees each change in the history."""

from __future__ import annotations

from sqlalchemy import select

from models import Decision, Evidence, Involvement, Official


def test_analyst_records_a_case_and_finds_it_in_another_script(client, login, make, session):
    login("analyst", "confidential")
    korea = make.state(code="KP", name="DPRK")
    commission = make.institution(state=korea, name="State Affairs Commission")

    # 1. the official, with Hangul and Cyrillic names
    response = client.post(
        "/officials/new",
        data={
            "name": "Kim Jong Un",
            "native_name": "김정은",
            "native_script": "Hang",
            "state_id": korea.id,
            "birth_date": "1984",
            "names-0-name": "Ким Чен Ын",
            "names-0-script": "Cyrl",
            "names-0-lang": "ru",
            "names-0-kind": "transliteration",
            "names-1-name": "Kim Jong-un",
            "names-1-script": "Latn",
            "names-1-lang": "en",
            "names-1-kind": "alias",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    official = session.scalar(select(Official).where(Official.name == "Kim Jong Un"))

    # 2. the decision
    response = client.post(
        "/decisions/new",
        data={
            "title": "Order to deploy troops to the Kursk region",
            "kind": "military",
            "date": "2024-10",
            "institution_id": commission.id,
            "instrument": "",
            "summary": "Deployment acknowledged on 28 April 2025.",
            "stage": "execution",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    decision = session.scalar(select(Decision).where(Decision.title.like("Order to deploy%")))

    # 3. the involvement
    response = client.post(
        f"/decisions/{decision.id}/involvements/new",
        data={"official_id": official.id, "role": "ordered", "status": "alleged", "note": ""},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    involvement = session.scalar(select(Involvement).where(Involvement.official_id == official.id))

    # 4. the evidence, linked as support of the involvement
    response = client.post(
        "/evidence/new",
        data={
            "title": "WPK Central Military Commission statement of 28 April 2025",
            "kind": "official_statement",
            "source": "KCNA, 28 April 2025",
            "classification": "public",
            "reliability": "B",
            "credibility": "2",
            "language": "ko",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    evidence = session.scalar(select(Evidence).where(Evidence.title.like("WPK Central%")))
    assert evidence.exhibit_no.startswith("P-")
    response = client.post(
        f"/evidence/{evidence.id}/supports/new",
        data={
            "target_type": "involvement",
            "involvement_id": involvement.id,
            "stance": "supports",
            "pinpoint": "para. 2",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)

    # 5. found by searching in other scripts and spellings
    for query in ("김정은", "Ким Чен Ын", "Kim Jong-un", "kim jong un"):
        page = client.get("/search", query_string={"q": query}).get_data(as_text=True)
        assert f"/officials/{official.id}" in page, query
    page = client.get(f"/officials/{official.id}").get_data(as_text=True)
    assert "Order to deploy troops to the Kursk region" in page and evidence.exhibit_no in page

    # 6. every change in the history, in English and in Ukrainian
    history = client.get(f"/history/official/{official.id}").get_data(as_text=True)
    assert "Ким Чен Ын" in history and "ordered" in history
    assert "WPK Central Military Commission" in client.get(f"/history/evidence/{evidence.id}").get_data(as_text=True)
    assert "Kursk" in client.get(f"/history/decision/{decision.id}").get_data(as_text=True)
    client.post("/language/uk", data={})
    history_uk = client.get(f"/history/official/{official.id}").get_data(as_text=True)
    assert '<html lang="uk">' in history_uk and "Ким Чен Ын" in history_uk
