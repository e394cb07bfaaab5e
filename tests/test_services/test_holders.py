"""Who held which post when: candidates for a decision's involvement, and a position's holders."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from models import Decision, Official, Position
from services.facts.holders import candidates_for_decision, certainty, holders_of_position, institution_chain


@pytest.fixture
def council(make):
    """A chamber inside a parliament inside a federal assembly, with a decision of the chamber."""
    state = make.state(code="RU", name="Russian Federation")
    assembly = make.institution(state=state, name="Federal Assembly", kind="other")
    chamber = make.institution(state=state, name="Federation Council", kind="parliament_chamber", parent=assembly)
    committee = make.institution(state=state, name="Defence Committee", kind="other", parent=chamber)
    decision = make.decision(institution=chamber, when="2022-02-22", title="Consent")
    return {"state": state, "assembly": assembly, "chamber": chamber, "committee": committee, "decision": decision}


def names(candidates):
    return [c.official.name for c in candidates]


def hold(make, institution, name, *, tier="leadership", start="2011-09-21", end=None, title=None):
    """An official holding a post in ``institution``; returns the tenure."""
    position = make.position(institution=institution, tier=tier, **({"title": title} if title else {}))
    official = make.official(name=name, state=institution.state)
    return make.tenure(official=official, position=position, start=start, end=end)


def only(candidates):
    assert len(candidates) == 1, names(candidates)
    return candidates[0]


def test_day_precise_tenure_covering_the_date_is_certain(session, make, council):
    tenure = hold(make, council["chamber"], "Valentina Matviyenko", start="2011-09-21")
    candidate = only(candidates_for_decision(session, council["decision"]))
    assert candidate.tenure is tenure and candidate.official.name == "Valentina Matviyenko"
    assert candidate.certainty == "certain" and candidate.is_certain
    assert candidate.position is tenure.position and candidate.institution is council["chamber"]
    assert candidate.already_involved == () and candidate.distance == 0


def test_posts_of_ancestor_institutions_count_but_not_those_of_children(session, make, council):
    hold(make, council["assembly"], "Head of the Assembly")
    hold(make, council["committee"], "Committee Chair")
    other = make.institution(state=council["state"], name="State Duma", kind="parliament_chamber")
    hold(make, other, "Duma Chair")
    candidate = only(candidates_for_decision(session, council["decision"]))
    assert candidate.official.name == "Head of the Assembly" and candidate.distance == 1


def test_own_institution_comes_before_its_parent(session, make, council):
    hold(make, council["assembly"], "Aaron Parent")
    hold(make, council["chamber"], "Zoe Own")
    assert names(candidates_for_decision(session, council["decision"])) == ["Zoe Own", "Aaron Parent"]


@pytest.mark.parametrize("tier", ["senior", "operational"])
def test_posts_below_leadership_tier_are_left_out(session, make, council, tier):
    hold(make, council["chamber"], "Ordinary Member", tier=tier)
    assert candidates_for_decision(session, council["decision"]) == []


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2022", None),  # started some time in 2022: perhaps after the 22nd of February
        ("2022-02", None),  # started in February: perhaps after the 22nd
        ("2010", "2022"),  # left some time in 2022: perhaps before the 22nd of February
        ("2010-01-01", "2022-02"),  # left in February: perhaps before the 22nd
    ],
)
def test_tenure_known_to_the_month_or_year_at_the_boundary_is_only_possible(session, make, council, start, end):
    hold(make, council["chamber"], "Imprecise Chair", start=start, end=end)
    assert only(candidates_for_decision(session, council["decision"])).certainty == "possible"


def test_decision_known_only_to_the_month_makes_a_tenure_starting_within_it_possible(session, make, council):
    decision = make.decision(institution=council["chamber"], when="2022-02")
    hold(make, council["chamber"], "Started Mid-Month", start="2022-02-10")
    hold(make, council["chamber"], "Long Serving", start="2011-09-21")
    by_name = {c.official.name: c.certainty for c in candidates_for_decision(session, decision)}
    assert by_name == {"Started Mid-Month": "possible", "Long Serving": "certain"}


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2011-09-21", "2022-02-22", "certain"),  # left office on the day: still held it that day
        ("2022-02-22", None, "certain"),  # took office on the day
        ("2021", "2023", "certain"),  # years that enclose the date entirely
        ("2022-01", "2022-03", "certain"),  # months that enclose it entirely
        ("2011-09-21", "2022-02-21", None),  # left the day before
        ("2010", "2021", None),  # left in a year already over
        ("2022-01-01", "2022-01", None),  # left in January
        ("2022-02-23", None, None),  # took office the day after
        ("2022-03", None, None),  # took office the next month
        ("2023", None, None),  # took office the next year
    ],
)
def test_certainty_of_a_tenure_against_a_day(make, council, start, end, expected):
    tenure = hold(make, council["chamber"], "Someone", start=start, end=end)
    assert certainty(tenure, council["decision"].when) == expected


def test_tenure_ended_before_the_decision_is_excluded(session, make, council):
    hold(make, council["chamber"], "Predecessor", start="2001-01-01", end="2011-09-20")
    hold(make, council["chamber"], "Left In 2021", start="2011", end="2021")
    assert candidates_for_decision(session, council["decision"]) == []


def test_tenure_starting_after_the_decision_is_excluded(session, make, council):
    hold(make, council["chamber"], "Successor", start="2024-05-12")
    assert candidates_for_decision(session, council["decision"]) == []


def test_open_ended_tenure_counts_for_a_later_decision(session, make, council):
    hold(make, council["chamber"], "Still In Office", start="2011-09-21", end=None)
    later = make.decision(institution=council["chamber"], when="2025-04-28")
    assert only(candidates_for_decision(session, later)).certainty == "certain"


def test_already_involved_officials_are_flagged_with_their_roles_and_come_last(session, make, council):
    decision = council["decision"]
    signer = hold(make, council["chamber"], "Aaron Signer", start="2011-09-21").official
    hold(make, council["chamber"], "Zed Unrecorded", start="2022")  # possible, but not recorded
    make.involvement(official=signer, decision=decision, role="negotiated")
    make.involvement(official=signer, decision=decision, role="ordered")
    other = make.decision(institution=council["chamber"], when="2022-02-23")
    make.involvement(official=signer, decision=other, role="proposed")  # another decision: ignored
    candidates = candidates_for_decision(session, decision)
    assert names(candidates) == ["Zed Unrecorded", "Aaron Signer"]
    assert candidates[0].already_involved == ()
    assert candidates[1].already_involved == ("ordered", "negotiated")  # in the usual order of roles


def test_unrecorded_certain_candidates_precede_possible_ones(session, make, council):
    hold(make, council["chamber"], "Aaron Possible", start="2022")
    hold(make, council["chamber"], "Zoe Certain", start="2020-01-01")
    assert names(candidates_for_decision(session, council["decision"])) == ["Zoe Certain", "Aaron Possible"]


def test_soft_deleted_officials_are_left_out(session, make, council):
    tenure = hold(make, council["chamber"], "Deleted Official")
    tenure.official.soft_delete("entered by mistake")
    session.flush()
    assert candidates_for_decision(session, council["decision"]) == []


def test_one_official_in_two_posts_is_listed_once_per_post(session, make, council):
    tenure = hold(make, council["chamber"], "Two Hats", title="Chair")
    second = make.position(institution=council["assembly"], title="Speaker", tier="leadership")
    make.tenure(official=tenure.official, position=second, start="2015")
    candidates = candidates_for_decision(session, council["decision"])
    assert [(c.official.name, c.position.title) for c in candidates] == [("Two Hats", "Chair"), ("Two Hats", "Speaker")]


def test_institution_chain_stops_at_a_cycle(session, make, council):
    # The forms refuse a cycle of parents, but the schema does not: the walk must still end.
    council["assembly"].parent_id = council["committee"].id
    session.flush()
    chain = institution_chain(session, council["chamber"].id)
    assert chain == [council["chamber"].id, council["assembly"].id, council["committee"].id]
    hold(make, council["committee"], "Committee Chair")
    assert names(candidates_for_decision(session, council["decision"])) == ["Committee Chair"]


def test_candidates_take_the_same_number_of_queries_for_1_or_20_tenures(session, make, council, count_queries):
    def queries_for(n, institution, when):
        decision = make.decision(institution=institution, when=when)
        for i in range(n):
            tenure = hold(make, institution, f"Holder {i:02d}", start="2011")
            make.involvement(official=tenure.official, decision=decision)
        session.expire_all()
        decision = session.get(Decision, decision.id)
        with count_queries() as counter:
            candidates = candidates_for_decision(session, decision)
            read = [(c.official.name, c.position.title, c.institution.name, c.tenure.end) for c in candidates]
        assert len(read) == n and all(c.already_involved == ("signed",) for c in candidates)
        return counter.count

    few = queries_for(1, council["chamber"], "2022-02-22")
    # A deeper, separate branch: more ancestors to walk, still the same queries.
    branch = make.institution(state=council["state"], name="Branch", parent=council["assembly"])
    deeper = make.institution(state=council["state"], name="Sub-branch", parent=branch)
    many = queries_for(20, deeper, "2022-02-23")
    assert few == many == 3


# --- holders of a position ----------------------------------------------------------------


@pytest.fixture
def chair(make, council):
    """The chair of the chamber, held by a predecessor and the incumbent."""
    position = make.position(institution=council["chamber"], title="Chair of the Federation Council")
    predecessor = make.official(name="Sergei Mironov", state=council["state"])
    incumbent = make.official(name="Valentina Matviyenko", state=council["state"])
    old = make.tenure(official=predecessor, position=position, start="2001-12-05", end="2011-05-18")
    new = make.tenure(official=incumbent, position=position, start="2011-09-21")
    return {"position": position, "old": old, "new": new}


def test_holders_are_listed_by_start_with_office_flag(session, chair):
    holders = holders_of_position(session, chair["position"], visible=("public",), today=dt.date(2025, 1, 1))
    assert [h.official.name for h in holders] == ["Sergei Mironov", "Valentina Matviyenko"]
    assert [h.in_office for h in holders] == [False, True]
    assert holders[0].start.value == dt.date(2001, 12, 5) and str(holders[0].end) == "2011-05-18"
    assert holders[1].end is None
    assert holders_of_position(session, chair["position"], visible=("public",), today=dt.date(2005, 1, 1))[0].in_office


def test_holder_evidence_counts_only_visible_live_evidence(session, make, chair):
    new = chair["new"]
    make.support(tenure=new, stance="supports")
    make.support(tenure=new, stance="supports")
    make.support(tenure=new, stance="contradicts")
    make.support(tenure=new, evidence=make.evidence(classification="confidential"), stance="supports")
    deleted = make.evidence()
    make.support(tenure=new, evidence=deleted, stance="contradicts")
    deleted.soft_delete("duplicate exhibit")
    make.support(tenure=chair["old"], stance="contradicts")
    session.flush()
    public = {h.official.name: h for h in holders_of_position(session, chair["position"], visible=("public",))}
    incumbent = public["Valentina Matviyenko"]
    assert (incumbent.supporting, incumbent.contradicting, incumbent.withheld) == (2, 1, 1)
    predecessor = public["Sergei Mironov"]
    assert (predecessor.supporting, predecessor.contradicting, predecessor.withheld) == (0, 1, 0)
    cleared = holders_of_position(session, chair["position"], visible=("public", "restricted", "confidential"))
    assert (cleared[1].supporting, cleared[1].contradicting, cleared[1].withheld) == (3, 1, 0)


def test_holders_leave_out_soft_deleted_officials(session, chair):
    chair["old"].official.soft_delete("entered by mistake")
    session.flush()
    holders = holders_of_position(session, chair["position"], visible=("public",))
    assert [h.official.name for h in holders] == ["Valentina Matviyenko"]


def test_holders_take_the_same_number_of_queries_for_1_or_20_tenures(session, make, council, count_queries):
    def queries_for(n):
        position = make.position(institution=council["chamber"])
        for i in range(n):
            tenure = make.tenure(official=make.official(name=f"Holder {i:02d}"), position=position, start=f"{1990 + i}")
            make.support(tenure=tenure, stance="supports" if i % 2 else "contradicts")
        session.expire_all()
        position = session.get(Position, position.id)  # loaded, as the page has it
        with count_queries() as counter:
            holders = holders_of_position(session, position, visible=("public",))
            read = [(h.official.name, h.start, h.end, h.in_office) for h in holders]
        assert len(read) == n and sum(h.supporting + h.contradicting for h in holders) == n
        return counter.count

    assert queries_for(1) == queries_for(20) == 2


# --- the demo data ------------------------------------------------------------------------


def test_demo_federation_council_consent_lists_matviyenko_as_already_involved(session, demo):
    title = "Federation Council consent to the use of the armed forces outside Russia"
    decision = session.scalars(select(Decision).where(Decision.title == title)).one()
    candidates = candidates_for_decision(session, decision)
    matviyenko = session.scalars(select(Official).where(Official.name == "Valentina Matviyenko")).one()
    mine = [c for c in candidates if c.official is matviyenko]
    assert len(mine) == 1
    assert mine[0].position.title == "Chair of the Federation Council" and mine[0].certainty == "certain"
    assert mine[0].already_involved == ("signed", "voted_for")
    # Members are senior-tier: the chamber's 153 voters are not all listed as leaders.
    assert all(c.position.tier == "leadership" for c in candidates)
