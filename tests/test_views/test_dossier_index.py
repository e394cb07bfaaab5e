"""The dossiers index reads stored summaries: paged by keyset, filtered, constant in queries."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from models import DossierSummary
from services.dossiers import summaries as dossier_summaries

ROW = re.compile(r'name="official_id" value="(\d+)"')
METER = re.compile(r'<meter min="0" max="100" value="(\d+)"')
NEXT = re.compile(r'<a rel="next" href="([^"]+)"')
PREV = re.compile(r'<a rel="prev" href="([^"]+)"')


def _ids(html: str) -> list[int]:
    return [int(v) for v in ROW.findall(html)]


def _link(pattern: re.Pattern[str], html: str) -> str | None:
    found = pattern.search(html)
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.fixture
def officials(make):
    """``officials(n)``: n officials of one State, some of them with a supported leadership
    tenure and an involvement (so strengths differ), all names unique."""
    state = make.state(code="QA")

    def build(n: int, strong_every: int = 3) -> list[int]:
        ids = []
        position = make.position(tier="leadership")
        for k in range(n):
            official = make.official(state=state, name=f"Index Official {k:03d}")
            if k % strong_every == 0:
                tenure = make.tenure(official=official, position=position, start="2010")
                make.support(tenure=tenure)
                make.involvement(official=official, decision=make.linked_decision(position.institution.state))
            ids.append(official.id)
        return ids

    return build


def _walk(client, url: str) -> tuple[list[int], list[str]]:
    """Every official id on every page from ``url`` on, following the Next links."""
    seen: list[int] = []
    pages = []
    while url:
        html = client.get(url).get_data(as_text=True)
        pages.append(html)
        seen += _ids(html)
        url = _link(NEXT, html)
    return seen, pages


def test_the_index_keeps_its_query_count_for_1_or_60_officials(client, login, officials, count_queries, make):
    login("analyst", "confidential")
    officials(1)
    client.get("/dossiers?state=QA")  # warm up
    with count_queries() as few:
        html = client.get("/dossiers?state=QA").get_data(as_text=True)
    assert len(_ids(html)) == 1
    officials(59)
    with count_queries() as many:
        html = client.get("/dossiers?state=QA").get_data(as_text=True)
    assert len(_ids(html)) == 50
    assert few.count == many.count


def test_deep_pages_by_keyset_in_each_order(client, login, officials, session):
    login("analyst", "public")
    ids = officials(123)
    for sort in ("strength", "name", "status"):
        seen, pages = _walk(client, f"/dossiers?state=QA&sort={sort}")
        assert sorted(seen) == sorted(ids) and len(seen) == len(set(seen)), sort
        assert [len(_ids(p)) for p in pages] == [50, 50, 23]
        assert "123 records" in pages[-1]
        if sort == "name":
            assert seen == sorted(ids)  # names were given in id order
        if sort == "strength":
            strengths = [int(v) for p in pages for v in METER.findall(p)]
            assert strengths == sorted(strengths, reverse=True) and strengths[0] > strengths[-1]
        # and back: Previous from the last page gives the middle page again
        back = client.get(_link(PREV, pages[-1])).get_data(as_text=True)
        assert _ids(back) == _ids(pages[1])
        first = client.get(_link(PREV, back)).get_data(as_text=True)
        assert _ids(first) == _ids(pages[0]) and _link(PREV, first) is None


def test_a_cursor_that_is_not_an_official_starts_at_the_first_page(client, login, officials):
    login("viewer", "public")
    officials(3)
    first = _ids(client.get("/dossiers?state=QA").get_data(as_text=True))
    for cursor in ("after=999999999", "after=abc", "before=-1", "after=" + "9" * 40):
        response = client.get(f"/dossiers?state=QA&{cursor}")
        assert response.status_code == 200
        assert _ids(response.get_data(as_text=True)) == first


def test_filters_state_institution_status_and_missing(client, login, make, session):
    from models import Dossier

    login("analyst", "public")
    strong, weak, elsewhere = make.official(), make.official(), make.official()
    institution = make.institution()
    tenure = make.tenure(official=strong, position=make.position(institution=institution))
    make.support(tenure=tenure)
    make.involvement(official=strong, decision=make.linked_decision(institution.state))
    session.add(Dossier(official=weak, status="deferred"))
    session.flush()

    def shown(query: str) -> set[int]:
        return set(_ids(client.get(f"/dossiers?{query}").get_data(as_text=True)))

    assert shown(f"state={elsewhere.state.code.lower()}") == {elsewhere.id}
    assert shown(f"institution={institution.id}") == {strong.id}
    assert shown(f"institution={institution.name} ({institution.state.code})") == {strong.id}
    assert shown(f"institution={institution.name}") == {strong.id}
    assert shown("institution=no such body") == set()
    assert weak.id in shown("status=deferred") and strong.id not in shown("status=deferred")
    assert weak.id not in shown("status=candidate") and strong.id in shown("status=candidate")
    assert strong.id not in shown("missing=E2") and weak.id in shown("missing=E2")


def test_the_index_does_not_grow_with_the_institutions_on_record(client, login, make, session):
    """The institution filter is a field with a picker, not a list of every institution: at
    100,000 officials the list was 1,691 options, most of the page's weight."""
    login("viewer", "public")
    official = make.official()
    make.tenure(official=official)
    session.flush()
    before = client.get("/dossiers").get_data(as_text=True)
    for n in range(200):
        make.institution(state=official.state, name=f"Directorate of a long and formal name, number {n}")
    session.flush()
    after = client.get("/dossiers").get_data(as_text=True)
    assert "Directorate of a long" not in after and len(after) - len(before) < 100
    assert 'data-picker="/institutions/lookup"' in after


def test_stale_summaries_are_recomputed_by_the_next_index_request(client, login, make, session, monkeypatch):
    login("viewer", "public")
    official = make.official()
    tenure = make.tenure(official=official)
    make.support(tenure=tenure)
    make.involvement(official=official, decision=make.linked_decision(tenure.position.institution.state))
    session.execute(
        update(DossierSummary).where(DossierSummary.official_id == official.id).values(strength=0, stale=True)
    )
    monkeypatch.setattr(dossier_summaries, "HEAL_PER_REQUEST", 1)
    html = client.get(f"/dossiers?state={official.state.code}").get_data(as_text=True)
    assert [int(v) for v in METER.findall(html)] != [0]
    assert dossier_summaries.stale_ids(session) == []


def test_each_viewer_reads_the_rows_of_their_clearance(client, login, make):
    official = make.official()
    secret = make.evidence(classification="confidential")
    tenure = make.tenure(official=official)
    make.support(evidence=secret, tenure=tenure)
    make.involvement(official=official, decision=make.linked_decision(tenure.position.institution.state))
    login("viewer", "public")
    public = client.get(f"/dossiers?state={official.state.code}").get_data(as_text=True)
    login("viewer", "confidential")
    cleared = client.get(f"/dossiers?state={official.state.code}").get_data(as_text=True)
    assert int(METER.search(cleared).group(1)) > int(METER.search(public).group(1))


def test_a_sitting_head_of_state_is_marked(client, login, make):
    official = make.official()
    make.tenure(official=official, position=make.position(troika="head_of_state"), start="2020")
    login("viewer", "public")
    html = client.get(f"/dossiers?state={official.state.code}").get_data(as_text=True)
    assert 'class="badge"' in html
