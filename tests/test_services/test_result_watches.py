"""Watched saved searches of the evidence list and of search (issue 25 items 3 and 4): the
watcher is told of a record new in the results as their clearance sees them -- new, or
changed so that it now matches -- and of nothing else; never of an exhibit above their
clearance, not even as a count; a commit touching no listed record costs no query."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Notification, OfficialName, SavedSearch, Watch
from services.audit import trail as audit
from services.workspace import notifications as notification_service
from services.workspace import result_watches, watches


def _told(session, user):
    return [
        (n.kind, n.record_kind, n.record_id, n.detail)
        for n in session.scalars(select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))
    ]


def _watching(session, user, page, query, name="mine"):
    search = SavedSearch(user_id=user.id, page=page, name=name, query=query)
    session.add(search)
    session.flush()
    watches.watch(session, user, "saved_search", search.id)
    session.commit()
    return search


@pytest.fixture
def readers(make_user, session):
    public, cleared = make_user("viewer", "public"), make_user("viewer", "confidential")
    session.commit()
    return public, cleared


def test_a_new_exhibit_the_evidence_list_shows_is_told_at_each_watchers_clearance(session, make, readers):
    public, cleared = readers
    searches = {user.id: _watching(session, user, "evidence", "kind=document&reliability=B").id for user in readers}
    shown = make.evidence(kind="document", reliability="B")
    make.evidence(kind="image", reliability="B")  # not a document
    make.evidence(kind="document", reliability="D")  # graded otherwise
    secret = make.evidence(kind="document", reliability="B", classification="confidential")
    session.commit()
    assert _told(session, public) == [("search_result", "evidence", shown.id, str(searches[public.id]))]
    assert sorted(_told(session, cleared)) == sorted(
        [
            ("search_result", "evidence", shown.id, str(searches[cleared.id])),
            ("search_result", "evidence", secret.id, str(searches[cleared.id])),
        ]
    )
    [item] = notification_service.for_reader(session, public)
    assert (item.label, item.search.name) == (f"{shown.exhibit_no} {shown.title}", "mine")


def test_an_exhibit_changed_into_the_results_is_told_once_and_an_edit_of_one_already_there_is_not(
    session, make, readers
):
    public, _cleared = readers
    listed = make.evidence(kind="document")
    hidden = make.evidence(kind="document", classification="confidential")
    other = make.evidence(kind="image")
    session.commit()
    _watching(session, public, "evidence", "kind=document")
    listed.title = "Retitled, still a document"
    session.commit()
    assert _told(session, public) == []  # it was listed before: nothing new
    hidden.classification = "public"  # declassified: new in the public reader's list
    other.kind = "document"  # now a document
    session.commit()
    assert sorted(r[2] for r in _told(session, public)) == sorted([hidden.id, other.id])
    other.title = "Edited again"
    session.commit()
    assert len(_told(session, public)) == 2


def test_an_exhibit_above_the_clearance_changes_nothing_the_watcher_sees(session, make, readers):
    public, _cleared = readers
    _watching(session, public, "evidence", "kind=document")
    make.evidence(kind="document", classification="strictly_confidential", title="Hidden plan")
    session.commit()
    assert _told(session, public) == []
    assert notification_service.unread_count(session, public) == 0


def test_a_search_is_told_of_new_officials_decisions_and_exhibits_matching_its_words(session, make, readers):
    public, _cleared = readers
    search = _watching(session, public, "search", "q=Shoigu")
    found = make.official(name="Sergei Shoigu")
    make.official(name="Valery Gerasimov")
    decision = make.decision(title="Order signed by Shoigu")
    exhibit = make.evidence(title="Shoigu's statement of 24 February")
    make.evidence(title="Shoigu's secret", classification="confidential")  # above the clearance
    session.commit()
    assert sorted(_told(session, public)) == sorted(
        [
            ("search_result", "official", found.id, str(search.id)),
            ("search_result", "decision", decision.id, str(search.id)),
            ("search_result", "evidence", exhibit.id, str(search.id)),
        ]
    )


def test_a_new_alias_brings_an_official_into_a_search_and_an_edit_of_a_match_does_not(session, make, readers):
    public, _cleared = readers
    plain = make.official(name="Sergei Kuzhugetovich")
    matched = make.official(name="Shoigu Sergei")
    session.commit()
    search = _watching(session, public, "search", "q=Shoigu")
    plain.names.append(OfficialName(name="Shoigu", script="Latn", kind="alias"))
    matched.notes = "Minister of Defence 2012-2024"
    session.commit()
    assert _told(session, public) == [("search_result", "official", plain.id, str(search.id))]


def test_many_new_results_in_one_commit_are_one_notification_of_the_search(session, make, readers, client, login):
    public, _cleared = readers
    search = _watching(session, public, "evidence", "kind=document")
    for _n in range(result_watches.TOLD_ONE_BY_ONE + 2):
        make.evidence(kind="document")
    make.evidence(kind="document", classification="confidential")  # not counted for the public reader
    session.commit()
    assert _told(session, public) == [
        ("search_result", "saved_search", search.id, str(result_watches.TOLD_ONE_BY_ONE + 2))
    ]
    [item] = notification_service.for_reader(session, public)
    assert item.label == "mine"


def test_the_actor_is_not_told_and_a_rollback_tells_nobody(session, make, readers):
    public, cleared = readers
    _watching(session, public, "evidence", "kind=document")
    _watching(session, cleared, "evidence", "kind=document")
    make.evidence(kind="document")
    session.rollback()
    session.commit()
    assert _told(session, public) == [] and _told(session, cleared) == []
    with audit.acting_as(public):
        made = make.evidence(kind="document")
        session.commit()
    assert _told(session, public) == []
    assert [r[2] for r in _told(session, cleared)] == [made.id]


def test_a_deleted_saved_search_and_a_disabled_watcher_are_told_nothing(session, make, readers):
    from services.workspace import saved_searches

    public, cleared = readers
    search = _watching(session, public, "evidence", "kind=document")
    _watching(session, cleared, "evidence", "kind=document")
    saved_searches.delete(session, search)
    cleared.active = False
    session.commit()
    make.evidence(kind="document")
    session.commit()
    assert session.scalars(select(Notification)).all() == []
    assert session.scalars(select(Watch)).all() != []  # the disabled reader's watch stays


def test_a_commit_touching_no_listed_record_asks_nothing_and_one_touching_some_asks_once(session, make, count_queries):
    official = make.official()
    session.commit()

    def asked(counter):
        return [s for s in counter.statements if "saved_search" in s]

    with count_queries() as unrelated:
        make.state(name="Nowhere")
        session.commit()
    assert asked(unrelated) == []
    with count_queries() as new_exhibits:
        for _n in range(3):
            make.evidence()
        session.commit()
    assert len(asked(new_exhibits)) == 1  # who watches such searches: nobody, so nothing more
    with count_queries() as edited:
        official.notes = "a note"
        session.flush()
        official.notes = "another note"
        session.commit()
    assert len(asked(edited)) == 1


def test_an_unreadable_saved_filter_finds_nothing(session, make, readers):
    public, _cleared = readers
    _watching(session, public, "evidence", "from=not-a-date")
    _watching(session, public, "search", "q=x", name="too short")
    make.evidence(kind="document", title="x marks")
    session.commit()
    assert _told(session, public) == []
