"""Comment threads on the record pages (issue 25 item 2) and the notifications page (item 3):
clearance in pages and counts, CSRF, bad input, edit history."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from models import Comment, Notification
from services.workspace import comments as comment_service
from tests.conftest import PASSWORD


def _thread(html: str) -> str:
    found = re.search(r'<section class="comments".*?</section>', html, re.S)
    assert found is not None, "the page shows a thread"
    return found.group(0)


def _records(make):
    official = make.official()
    decision = make.decision()
    exhibit = make.evidence()
    support = make.support(evidence=exhibit, tenure=make.tenure(official=official))
    return {
        "official": (official.id, f"/officials/{official.id}"),
        "dossier": (official.id, f"/dossiers/{official.id}"),
        "decision": (decision.id, f"/decisions/{decision.id}"),
        "evidence": (exhibit.id, f"/evidence/{exhibit.id}"),
        "support": (support.id, f"/supports/{support.id}/comments"),
    }


@pytest.mark.parametrize("kind", ["official", "dossier", "decision", "evidence", "support"])
def test_every_record_page_shows_its_thread_and_takes_a_comment(client, login, session, make, kind):
    record_id, url = _records(make)[kind]
    login("analyst")
    response = client.post(f"/comments/{kind}/{record_id}", data={"body": f"On this {kind} <b>bold</b>"})
    assert response.status_code == 302
    comment = session.scalars(select(Comment)).one()
    assert response.headers["Location"] == f"{url}#comment-{comment.id}"
    thread = _thread(client.get(url).get_data(as_text=True))
    assert f"On this {kind} &lt;b&gt;bold&lt;/b&gt;" in thread  # escaped
    assert '<span class="count">1</span>' in thread


def test_a_reply_and_its_parent_shown_nested(client, login, session, make):
    official = make.official()
    login("analyst")
    client.post(f"/comments/official/{official.id}", data={"body": "Parent"})
    parent = session.scalars(select(Comment)).one()
    client.post(f"/comments/official/{official.id}", data={"body": "Child", "parent_id": str(parent.id)})
    thread = _thread(client.get(f"/officials/{official.id}").get_data(as_text=True))
    assert re.search(rf'id="comment-{parent.id}".*?Parent.*?<ol class="thread">.*?Child', thread, re.S)
    assert client.post(f"/comments/official/{official.id}", data={"body": "x", "parent_id": "1e9"}).status_code == 400


def test_a_classified_exhibits_thread_never_reaches_a_reader_not_cleared(client, login, session, make, make_user):
    secret = make.evidence(classification="confidential", title="Intercept")
    support = make.support(evidence=secret, tenure=make.tenure())
    author = make_user("analyst", "confidential")
    comment_service.add(session, author, "evidence", secret.id, "Hidden remark")
    on_link = comment_service.add(session, author, "support", support.id, "Hidden on link")
    login("analyst", "public")
    for url in (f"/evidence/{secret.id}", f"/supports/{support.id}/comments", f"/comments/{on_link.id}/history"):
        assert client.get(url).status_code == 404
    assert client.post(f"/comments/evidence/{secret.id}", data={"body": "probe"}).status_code == 404
    assert client.post(f"/comments/{on_link.id}/retract").status_code == 404
    assert client.get(f"/comments/{on_link.id}/edit").status_code == 404
    assert session.scalar(select(func.count()).select_from(Comment)) == 2


def test_the_dossier_thread_is_the_readers_own_though_the_page_is_cached(client, login, session, make, make_user):
    official = make.official()
    other = make_user("analyst", "public", email="other@tribunal.test")
    comment_service.add(session, other, "dossier", official.id, "Theirs")
    login("analyst", "public")
    client.get(f"/dossiers/{official.id}")  # cached for analysts at public clearance
    thread = _thread(client.get(f"/dossiers/{official.id}").get_data(as_text=True))
    assert "Theirs" in thread and "/edit" not in thread  # not the author: no edit link
    client.post("/logout")
    client.post("/login", data={"email": other.email, "password": PASSWORD})
    assert "/edit" in _thread(client.get(f"/dossiers/{official.id}").get_data(as_text=True))


def test_viewers_read_threads_without_a_form_and_cannot_post(client, login, session, make, make_user):
    official = make.official()
    comment_service.add(session, make_user("analyst"), "official", official.id, "Readable")
    login("viewer")
    thread = _thread(client.get(f"/officials/{official.id}").get_data(as_text=True))
    assert "Readable" in thread and "<form" not in thread
    assert client.post(f"/comments/official/{official.id}", data={"body": "x"}).status_code == 403


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   ", "Write something to comment."),
        ("x" * 5001, "At most 5000 characters."),
        ("bell\x07", "Control characters are not allowed."),
        ("Ask @nobody here", "Nobody with an active account is called @nobody: nothing was saved."),
    ],
)
def test_a_refused_comment_comes_back_with_its_text_and_the_reason(client, login, session, make, body, message):
    official = make.official()
    login("analyst")
    response = client.post(f"/comments/official/{official.id}", data={"body": body})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    if body.strip() and "\x07" not in body:
        assert body[:50] in html  # the text is not lost
    assert session.scalar(select(func.count()).select_from(Comment)) == 0


def test_mentioning_a_colleague_not_cleared_is_refused_without_telling_them(client, login, session, make, make_user):
    secret = make.evidence(classification="confidential")
    make_user("analyst", "public", email="low@tribunal.test")
    login("analyst", "confidential")
    response = client.post(f"/comments/evidence/{secret.id}", data={"body": "@low see this"})
    assert response.status_code == 400
    assert "@low is not cleared to see this record" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Notification)) == 0


def test_editing_keeps_the_history_visible_to_readers_of_the_thread(client, login, session, make, make_user):
    official = make.official()
    author = login("analyst")
    client.post(f"/comments/official/{official.id}", data={"body": "First version"})
    comment = session.scalars(select(Comment)).one()
    page = client.get(f"/comments/{comment.id}/edit")
    assert page.status_code == 200 and "First version" in page.get_data(as_text=True)
    stale = comment.version
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "Second version", "version": stale})
    assert response.status_code == 302
    conflict = client.post(f"/comments/{comment.id}/edit", data={"body": "Third", "version": stale})
    assert conflict.status_code == 409 and "Someone else changed this comment" in conflict.get_data(as_text=True)
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "", "version": 2}).status_code == 400
    client.post(f"/comments/{comment.id}/retract")
    client.post("/logout")
    login("viewer")
    thread = _thread(client.get(f"/officials/{official.id}").get_data(as_text=True))
    assert "Second version" not in thread and "Retracted by" in thread
    history = client.get(f"/comments/{comment.id}/history").get_data(as_text=True)
    assert history.index("First version") < history.index("Second version")
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403  # viewers write nothing
    assert author.email in history


def test_only_the_author_edits_and_only_the_author_or_an_admin_retracts(client, login, session, make, make_user):
    official = make.official()
    comment = comment_service.add(session, make_user("analyst"), "official", official.id, "Mine")
    login("analyst")
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "x", "version": 1}).status_code == 403
    assert client.post(f"/comments/{comment.id}/retract").status_code == 403
    session.refresh(comment)
    assert comment.body == "Mine" and comment.retracted_at is None


def test_every_comment_form_needs_its_csrf_token(app, client, login, session, make, monkeypatch):
    official = make.official()
    login("analyst")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(f"/comments/official/{official.id}", data={"body": "no token"}).status_code == 400
    assert session.scalar(select(func.count()).select_from(Comment)) == 0
    page = client.get(f"/officials/{official.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', _thread(page)).group(1)
    sent = client.post(f"/comments/official/{official.id}", data={"body": "with token", "csrf_token": token})
    assert sent.status_code == 302
    comment = session.scalars(select(Comment)).one()
    assert client.post(f"/comments/{comment.id}/retract").status_code == 400
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "y", "version": 1}).status_code == 400
    assert client.post("/notifications/read").status_code == 400


def test_commenting_audits_the_write(client, login, session, make):
    from models import AuditEvent

    official = make.official()
    login("analyst")
    client.post(f"/comments/official/{official.id}", data={"body": "Audited"})
    events = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "comment")).all()
    assert [(e.action, e.after["body"]) for e in events] == [("create", "Audited")]
