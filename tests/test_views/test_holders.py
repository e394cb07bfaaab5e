"""Who held which post when, on the pages: a decision's leaders on its date, a position's holders."""

from __future__ import annotations

import re

import pytest

XSS = '<script>alert("x")</script>'


@pytest.fixture
def chamber(make):
    """The Federation Council inside the Federal Assembly, its chair, members and a decision."""
    russia = make.state(code="RU", name="Russian Federation")
    assembly = make.institution(state=russia, name="Federal Assembly", kind="other")
    council = make.institution(state=russia, name="Federation Council", kind="parliament_chamber", parent=assembly)
    chair = make.position(institution=council, title="Chair of the Federation Council", tier="leadership")
    member = make.position(institution=council, title="Member of the Federation Council", tier="senior")
    speaker = make.position(institution=assembly, title="Speaker of the Assembly", tier="leadership")
    matviyenko = make.official(state=russia, name="Valentina Matviyenko")
    mironov = make.official(state=russia, name="Sergei Mironov")
    dzhabarov = make.official(state=russia, name="Vladimir Dzhabarov")
    speaker_official = make.official(state=russia, name="Yearly Speaker")
    old = make.tenure(official=mironov, position=chair, start="2001-12-05", end="2011-05-18")
    new = make.tenure(official=matviyenko, position=chair, start="2011-09-21")
    make.tenure(official=dzhabarov, position=member, start="2014-09-25")
    make.tenure(official=speaker_official, position=speaker, start="2022")
    consent = make.decision(institution=council, title="Consent to use the armed forces abroad", when="2022-02-22")
    return {
        "council": council,
        "chair": chair,
        "speaker": speaker,
        "matviyenko": matviyenko,
        "mironov": mironov,
        "speaker_official": speaker_official,
        "old": old,
        "new": new,
        "consent": consent,
    }


def section(page, heading):
    """The HTML of the section under ``heading``."""
    start = page.index(heading)
    return page[start : page.index("</section>", start)]


def rows(html):
    return re.findall(r"<tr>.*?</tr>", html, flags=re.S)


# --- the decision page ----------------------------------------------------------------------


def test_decision_page_lists_leaders_in_office_on_its_date(client, login, chamber):
    login("viewer")
    page = client.get(f"/decisions/{chamber['consent'].id}").get_data(as_text=True)
    holders = section(page, "Who held leadership posts on this date")
    matviyenko, speaker = chamber["matviyenko"], chamber["speaker_official"]
    for text in [
        f'href="/officials/{matviyenko.id}"',
        "Valentina Matviyenko",
        f'href="/positions/{chamber["chair"].id}"',
        "Chair of the Federation Council",
        "Federation Council",
        'datetime="2011-09-21"',
        "in office",
        "in post",
        # a post of the parent institution, held from some time in 2022
        "Yearly Speaker",
        f'href="/officials/{speaker.id}"',
        "Speaker of the Assembly",
        "Federal Assembly",
        "possibly: dates known only to the month or year",
    ]:
        assert text in holders, text
    assert "Sergei Mironov" not in holders  # left office in 2011
    assert "Vladimir Dzhabarov" not in holders  # a senior-tier member, not a leader
    # certain first, then possible
    assert holders.index("Valentina Matviyenko") < holders.index("Yearly Speaker")


def test_already_involved_officials_show_their_roles_instead_of_a_link(client, login, chamber, make):
    consent, matviyenko = chamber["consent"], chamber["matviyenko"]
    make.involvement(official=matviyenko, decision=consent, role="signed")
    make.involvement(official=matviyenko, decision=consent, role="voted_for")
    login("analyst")
    page = client.get(f"/decisions/{consent.id}").get_data(as_text=True)
    holders = section(page, "Who held leadership posts on this date")
    mine = next(r for r in rows(holders) if "Valentina Matviyenko" in r)
    assert "already recorded:" in mine and "signed, voted for" in mine
    assert "Record involvement" not in mine
    speaker_row = next(r for r in rows(holders) if "Yearly Speaker" in r)
    link = f"/decisions/{consent.id}/involvements/new?official_id={chamber['speaker_official'].id}"
    assert f'href="{link}"' in speaker_row and "Record involvement" in speaker_row
    # not yet recorded first: the speaker now comes before the involved chair
    assert holders.index("Yearly Speaker") < holders.index("Valentina Matviyenko")


@pytest.mark.parametrize(("role", "sees_link"), [("viewer", False), ("analyst", True), ("prosecutor", True)])
def test_record_involvement_link_only_for_analysts_and_above(client, login, chamber, role, sees_link):
    login(role)
    page = client.get(f"/decisions/{chamber['consent'].id}").get_data(as_text=True)
    holders = section(page, "Who held leadership posts on this date")
    assert ("Record involvement" in holders) is sees_link
    assert (f"official_id={chamber['matviyenko'].id}" in holders) is sees_link
    if not sees_link:
        assert "not recorded" in holders


def test_the_link_opens_the_involvement_form_with_the_official_chosen(client, login, chamber):
    login("analyst")
    consent, matviyenko = chamber["consent"], chamber["matviyenko"]
    form = client.get(f"/decisions/{consent.id}/involvements/new?official_id={matviyenko.id}").get_data(as_text=True)
    assert f'<option selected value="{matviyenko.id}">Valentina Matviyenko</option>' in form
    for bad in ["abc", "1.5", "", "987654"]:
        response = client.get(f"/decisions/{consent.id}/involvements/new?official_id={bad}")
        assert response.status_code == 200, bad
        select_ = response.get_data(as_text=True).split('name="official_id"')[1].split("</select>")[0]
        assert not re.search(r'<option selected value="\d', select_), bad  # no official chosen: "Choose…" shows


def test_decision_without_leaders_on_its_date_says_so(client, login, chamber, make):
    login("viewer")
    early = make.decision(institution=chamber["council"], title="Old resolution", when="1995-06-01")
    page = client.get(f"/decisions/{early.id}").get_data(as_text=True)
    assert "No leadership tenure recorded on this date." in section(page, "Who held leadership posts on this date")


def test_deleted_officials_and_markup_on_the_decision_page(client, login, chamber, session):
    chamber["speaker_official"].soft_delete("entered by mistake")
    chamber["matviyenko"].name = XSS
    session.flush()
    login("analyst")
    page = client.get(f"/decisions/{chamber['consent'].id}").get_data(as_text=True)
    holders = section(page, "Who held leadership posts on this date")
    assert "Yearly Speaker" not in holders
    assert "<script>alert" not in page and "&lt;script&gt;" in holders


def test_decision_page_queries_do_not_grow_with_tenures(client, login, chamber, make, count_queries):
    # One involvement from the start: the page loads involvements' evidence only when there are some.
    make.involvement(official=chamber["matviyenko"], decision=chamber["consent"], role="signed")
    login("analyst")
    url = f"/decisions/{chamber['consent'].id}"
    client.get(url)  # warm-up: the first request records the session's last-seen time
    with count_queries() as few:
        client.get(url)
    for i in range(15):
        position = make.position(institution=chamber["council"], title=f"Deputy Chair {i}", tier="leadership")
        official = make.official(name=f"Deputy {i:02d}")
        make.tenure(official=official, position=position, start="2020")
        if i % 3 == 0:
            make.involvement(official=official, decision=chamber["consent"], role="voted_for")
    with count_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert "Deputy 14" in page
    assert many.count == few.count


# --- the position page ----------------------------------------------------------------------


def test_position_page_shows_holders_over_time_with_evidence_counts(client, login, chamber, make):
    new, old = chamber["new"], chamber["old"]
    make.support(tenure=new, stance="supports")
    make.support(tenure=new, stance="supports")
    make.support(tenure=new, stance="contradicts")
    make.support(tenure=new, evidence=make.evidence(classification="confidential"), stance="contradicts")
    make.support(tenure=old, stance="supports")
    login("viewer")
    page = client.get(f"/positions/{chamber['chair'].id}").get_data(as_text=True)
    holders = section(page, "Held by")
    for text in ["In office now", "Evidence for", "Evidence against", 'datetime="2001-12-05"', 'datetime="2011-05-18"']:
        assert text in holders, text
    assert holders.index("Sergei Mironov") < holders.index("Valentina Matviyenko")
    mironov = next(r for r in rows(holders) if "Sergei Mironov" in r)
    matviyenko = next(r for r in rows(holders) if "Valentina Matviyenko" in r)
    assert '<td class="supporting">1</td>' in mironov and '<td class="contradicting">0</td>' in mironov
    assert ">no<" in mironov and ">yes<" in matviyenko
    assert '<td class="supporting">2</td>' in matviyenko
    assert '<td class="contradicting"><strong>1</strong></td>' in matviyenko
    assert "1 item withheld at your clearance" in holders  # the confidential exhibit, not counted above


def test_position_page_counts_evidence_the_viewer_is_cleared_for(client, login, chamber, make):
    make.support(tenure=chamber["new"], evidence=make.evidence(classification="confidential"), stance="contradicts")
    login("prosecutor", "confidential")
    holders = section(client.get(f"/positions/{chamber['chair'].id}").get_data(as_text=True), "Held by")
    matviyenko = next(r for r in rows(holders) if "Valentina Matviyenko" in r)
    assert '<td class="contradicting"><strong>1</strong></td>' in matviyenko
    assert "withheld" not in holders


def test_position_page_queries_do_not_grow_with_holders(client, login, chamber, make, count_queries):
    login("viewer")
    url = f"/positions/{chamber['speaker'].id}"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for i in range(15):
        tenure = make.tenure(official=make.official(name=f"Speaker {i:02d}"), position=chamber["speaker"], start="2000")
        make.support(tenure=tenure, stance="supports")
    with count_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert "Speaker 14" in page
    assert many.count == few.count
