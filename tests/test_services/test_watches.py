"""Watches and their notifications (issue 25 item 3): new evidence on a watched official or
dossier, an element changing status as the watcher's clearance sees it, saved searches of the
dossiers index, and e-mail through a (fake) SMTP server that never fails the change."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from models import DossierSummary, Notification, SavedSearch, Watch
from services.evidence import exhibits as evidence_service
from services.workspace import mail, watches
from services.workspace import notifications as notification_service
from tests.smtp_fake import fake_smtp


def _link(session, evidence, involvement):
    return evidence_service.add_support(
        session, evidence, "involvement", involvement.id, stance="supports", pinpoint=None, note=None
    )


def _told(session, user):
    return [
        (n.kind, n.record_kind, n.record_id, n.detail, n.clearance)
        for n in session.scalars(select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))
    ]


@pytest.fixture
def case(make):
    state = make.state(code="RU", name="Russian Federation")
    official = make.official(state=state)
    involvement = make.involvement(official=official, decision=make.linked_decision(state))
    return official, involvement


def test_new_evidence_on_a_watched_official_is_told_to_those_cleared_for_it(session, make, make_user, case):
    official, involvement = case
    public, cleared = make_user("viewer", "public"), make_user("viewer", "confidential")
    unrelated = make_user("viewer", "confidential")
    watches.watch(session, public, "official", official.id)
    watches.watch(session, cleared, "dossier", official.id)
    watches.watch(session, unrelated, "official", make.official().id)
    secret = _link(session, make.evidence(classification="confidential", reliability="D"), involvement)
    assert _told(session, public) == []  # not cleared for the exhibit: told nothing
    assert _told(session, cleared) == [("evidence_linked", "support", secret.id, None, None)]
    assert _told(session, unrelated) == []
    shown = notification_service.for_reader(session, cleared)
    assert [s.label for s in shown] == [secret.evidence.exhibit_no]


def test_an_element_change_is_told_as_the_watchers_clearance_sees_it(session, make, make_user, case):
    official, involvement = case
    public, cleared = make_user("viewer", "public"), make_user("viewer", "confidential")
    for user in (public, cleared):
        watches.watch(session, user, "dossier", official.id)
    session.commit()

    def e1(clearance):
        return session.get(DossierSummary, (official.id, clearance)).e1

    before = e1("confidential")
    _link(session, make.evidence(classification="confidential", reliability="A"), involvement)
    session.commit()
    session.expire_all()
    after = e1("confidential")
    assert before != after
    assert ("element_changed", "dossier", official.id, f"E1:{before}:{after}", "confidential") in _told(
        session, cleared
    )
    assert all(kind != "element_changed" for kind, *_rest in _told(session, public))  # public E1 did not move
    cleared.clearance = "public"  # a later downgrade hides what was told at the higher clearance
    session.flush()
    assert notification_service.for_reader(session, cleared) == []


def test_a_saved_search_of_the_dossiers_index_is_watched_for_the_officials_it_finds(session, make, make_user, case):
    official, involvement = case
    watcher = make_user("viewer", "public")
    mine = SavedSearch(user_id=watcher.id, page="dossiers", name="Russians", query="state=RU")
    others = SavedSearch(user_id=watcher.id, page="dossiers", name="Belarus", query="state=BY")
    evidence_list = SavedSearch(user_id=watcher.id, page="evidence", name="Docs", query="kind=document")
    session.add_all([mine, others, evidence_list])
    session.flush()
    # watchable, and told of the exhibits new in its results (tests/test_services/test_result_watches.py),
    # never of links to an official's facts
    watches.watch(session, watcher, "saved_search", evidence_list.id)
    with pytest.raises(LookupError):
        watches.watch(session, make_user("viewer"), "saved_search", mine.id)  # another user's
    watches.watch(session, watcher, "saved_search", others.id)
    support = _link(session, make.evidence(), involvement)
    assert _told(session, watcher) == []  # the Belarus search does not find a Russian official
    watches.watch(session, watcher, "saved_search", mine.id)
    second = _link(session, make.evidence(), make.involvement(official=official, role="ordered"))
    linked = [told for told in _told(session, watcher) if told[0] == "evidence_linked"]
    assert linked == [("evidence_linked", "support", second.id, None, None)]
    assert support.id != second.id


def test_watching_twice_is_one_watch_and_deleting_a_saved_search_ends_its_watch(session, make, make_user):
    from services.workspace import saved_searches

    user = make_user("viewer")
    official = make.official()
    assert (
        watches.watch(session, user, "official", official.id).id
        == watches.watch(session, user, "official", official.id).id
    )
    search = saved_searches.save(session, user.id, "dossiers", "mine", "status=closed").search
    watches.watch(session, user, "saved_search", search.id)
    saved_searches.delete(session, search)
    assert [w.kind for w in session.scalars(select(Watch))] == ["official"]
    assert watches.unwatch(session, user, "official", official.id) is True
    assert watches.unwatch(session, user, "official", official.id) is False
    with pytest.raises(LookupError):
        watches.watch(session, user, "official", 2**31 - 1)


def test_a_task_assignment_is_notified_without_any_text_of_the_task(session, make_user):
    assignee, assigner = make_user("analyst"), make_user("prosecutor")
    told = notification_service.notify(session, assignee, "task_assigned", "task", 7, actor=assigner)
    assert (told.kind, told.record_kind, told.record_id, told.detail) == ("task_assigned", "task", 7, None)
    assert notification_service.unread_count(session, assignee) == 1
    assert notification_service.notify(session, assigner, "task_assigned", "task", 7, actor=assigner) is None
    with pytest.raises(ValueError, match="unknown notification kind"):
        notification_service.notify(session, assignee, "gossip", "task", 7)


def test_the_mail_is_neutral_and_goes_only_after_the_commit(app, session, make, make_user, monkeypatch):
    official = make.official(name="Secret Name")
    make_user("viewer", email="reader@tribunal.test")
    author = make_user("analyst")
    session.commit()
    with fake_smtp() as (port, mailbox):
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", port)
        monkeypatch.setitem(app.config, "PUBLIC_URL", "https://tribunal.example.org/")
        from services.workspace import comments

        with app.app_context():
            comments.add(session, author, "official", official.id, "@reader the decree of 21 Feb")
            session.rollback()  # rolled back: nothing is mailed
            mail.wait_until_sent()
            assert mailbox.messages == []
            comments.add(session, author, "official", official.id, "@reader the decree of 21 Feb")
            session.commit()
            mail.wait_until_sent()
    [message] = mailbox.messages
    assert message.recipients == ["reader@tribunal.test"]
    assert "A colleague mentioned you in a comment." in message.data
    assert "https://tribunal.example.org/notifications" in message.data
    assert "Secret Name" not in message.data and "decree" not in message.data


def test_a_failing_mail_server_never_fails_the_change(app, session, make, make_user, monkeypatch, caplog):
    from tests.live_server import free_port

    official = make.official()
    make_user("viewer", email="reader@tribunal.test")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", free_port())  # nobody listens
    from services.workspace import comments

    with app.app_context(), caplog.at_level(logging.WARNING, logger="services.workspace.mail"):
        comments.add(session, make_user("analyst"), "official", official.id, "@reader look")
        session.commit()
        mail.wait_until_sent()
    assert session.scalars(select(Notification)).one().user.email == "reader@tribunal.test"
    assert "notification mail not sent: ConnectionRefusedError" in caplog.text
    assert "reader@tribunal.test" not in caplog.text


def test_without_smtp_nothing_is_queued(app, session, make, make_user):
    from services.workspace import comments

    official = make.official()
    make_user("viewer", email="reader@tribunal.test")
    assert app.config["SMTP_HOST"] is None
    with app.app_context():
        comments.add(session, make_user("analyst"), "official", official.id, "@reader look")
        assert "mail_pending" not in session.info


def _body(received) -> tuple[str, str]:
    from email import message_from_string
    from email.policy import default

    parsed = message_from_string(received.data, policy=default)
    return str(parsed["Subject"]), parsed.get_content()


@pytest.mark.parametrize(
    ("locale", "subject", "line", "where"),
    [
        (None, "Tribunal Scope: a new notification", "A colleague mentioned you in a comment.", "Read it at"),
        ("en", "Tribunal Scope: a new notification", "A colleague mentioned you in a comment.", "Read it at"),
        ("uk", "Tribunal Scope: нове сповіщення", "Колега згадав(-ла) вас у коментарі.", "Прочитайте його на"),
    ],
)
def test_each_mail_is_in_its_recipients_language(
    app, session, make, make_user, monkeypatch, locale, subject, line, where
):
    """Two recipients of one comment, one reading the app in Ukrainian: each mail in their own
    language, whatever the language of the request that made the notification."""
    official = make.official(name="Secret Name")
    make_user("viewer", email="reader@tribunal.test", locale=locale)
    make_user("viewer", email="other@tribunal.test", locale="uk" if locale != "uk" else "en")
    author = make_user("analyst", locale="en")
    session.commit()
    with fake_smtp() as (port, mailbox):
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", port)
        monkeypatch.setitem(app.config, "PUBLIC_URL", "https://tribunal.example.org")
        from services.workspace import comments

        with app.test_request_context(headers={"Accept-Language": "en"}):
            comments.add(session, author, "official", official.id, "@reader and @other: the decree")
            session.commit()
            mail.wait_until_sent()
    by_recipient = {m.recipients[0]: _body(m) for m in mailbox.messages}
    got_subject, got_body = by_recipient["reader@tribunal.test"]
    assert got_subject == subject
    assert got_body.startswith(line)
    assert f"{where} https://tribunal.example.org/notifications" in got_body
    other_subject, _other = by_recipient["other@tribunal.test"]
    assert other_subject != got_subject  # the other recipient reads the other language
    assert "Secret Name" not in str(by_recipient) and "decree" not in str(by_recipient)
