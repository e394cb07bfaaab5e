"""Timeline and network geometry for the dossier page."""

from __future__ import annotations

import datetime as dt

from models.partial_date import PartialDate
from services.dossiers.graphics import (
    NETWORK_LIMIT,
    Peer,
    TimelineBar,
    TimelineMark,
    draw_network,
    draw_timeline,
)

SCOPE = dt.date(2014, 2, 20)
TODAY = dt.date(2026, 11, 29)


def bar(start: str, end: str | None, label: str = "Minister") -> TimelineBar:
    return TimelineBar(label, "leadership", PartialDate.parse(start), PartialDate.parse(end) if end else None)


def test_a_day_precise_tenure_is_one_certain_bar():
    timeline = draw_timeline([bar("2012-05-07", "2024-05-12")], [], scope_start=SCOPE, today=TODAY)
    (drawn,) = timeline.bars
    assert drawn.uncertain == () and drawn.clipped and not drawn.open_end
    assert drawn.certain.x == timeline.plot_left  # clipped at the scope's start
    assert timeline.plot_left < drawn.certain.x + drawn.certain.width < timeline.plot_right


def test_a_year_precise_start_is_drawn_as_uncertain():
    timeline = draw_timeline([bar("2022", None)], [], scope_start=SCOPE, today=TODAY)
    (drawn,) = timeline.bars
    assert len(drawn.uncertain) == 1 and drawn.open_end
    year = drawn.uncertain[0]
    assert year.x < drawn.certain.x
    assert abs(year.x + year.width - drawn.certain.x) < 1.0  # the certain stretch follows the uncertain year


def test_facts_before_the_scope_are_left_out_and_counted():
    marks = [
        TimelineMark("Old decree", PartialDate.parse("2008-08-08")),
        TimelineMark("SMO", PartialDate.parse("2022-02-24")),
    ]
    timeline = draw_timeline([bar("2000", "2008")], marks, scope_start=SCOPE, today=TODAY)
    assert timeline.bars == () and [m.label for m in timeline.marks] == ["SMO"]
    assert timeline.left_out == 2


def test_a_month_precise_decision_is_a_band_and_a_day_a_line():
    marks = [
        TimelineMark("Deployment", PartialDate.parse("2024-10")),
        TimelineMark("Consent", PartialDate.parse("2022-02-22")),
    ]
    timeline = draw_timeline([], marks, scope_start=SCOPE, today=TODAY)
    consent, deployment = timeline.marks
    assert consent.precise and consent.width == 0
    assert not deployment.precise and deployment.width > 0
    assert [t.label for t in timeline.ticks][:2] == ["2015", "2016"]


def test_the_network_draws_the_busiest_links_and_lists_the_rest():
    peers = [Peer(i, f"Official {i}", shared=i % 5 + 1, url=f"/dossiers/{i}") for i in range(NETWORK_LIMIT + 7)]
    network = draw_network(peers)
    assert len(network.nodes) == NETWORK_LIMIT and len(network.not_drawn) == 7
    assert max(p.shared for p in network.not_drawn) <= min(n.peer.shared for n in network.nodes)
    for node in network.nodes:
        assert 0 < node.x < network.size and 0 < node.y < network.size
        assert 1 <= node.weight <= 5


def test_an_empty_network():
    network = draw_network([])
    assert network.nodes == () and network.not_drawn == ()
