"""Comments (issue 25 item 2): threads, mentions, edits kept, retraction, clearance."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Comment, CommentRevision, Notification
from services.common import records
from services.workspace import comments
from services.workspace import notifications as notification_service


@pytest.fixture
def people(make_user):
    return {
        "author": make_user("analyst", "confidential", email="o.petrenko@tribunal.test"),
        "public": make_user("viewer", "public", email="i.koval@tribunal.test"),
        "cleared": make_user("prosecutor", "strictly_confidential", email="m.shevchenko@tribunal.test"),
    }


def test_a_thread_nests_replies_under_the_comment_they_answer(session, make, people):
    official = make.official()
    first = comments.add(session, people["author"], "official", official.id, "  First remark  ")
    reply = comments.add(session, people["cleared"], "official", official.id, "An answer", first.id)
    second = comments.add(session, people["author"], "official", official.id, "Another thread")
    tree = comments.thread(session, "official", official.id, ("public",))
    assert [n.comment.id for n in tree] == [first.id, second.id]
    assert [n.comment.id for n in tree[0].replies] == [reply.id]
    assert first.body == "First remark"  # stripped


def test_a_comment_on_a_classified_exhibit_is_seen_only_by_those_cleared_for_it(session, make, people):
    secret = make.evidence(classification="confidential")
    support = make.support(evidence=secret, tenure=make.tenure())
    comments.add(session, people["author"], "evidence", secret.id, "On the intercept")
    on_link = comments.add(session, people["author"], "support", support.id, "On the link")
    assert comments.thread(session, "evidence", secret.id, ("public", "restricted")) == []
    assert comments.thread(session, "support", support.id, ("public",)) == []
    assert comments.visible_comment(session, on_link.id, ("public",)) is None
    assert len(comments.thread(session, "evidence", secret.id, ("public", "restricted", "confidential"))) == 1
    with pytest.raises(LookupError):  # a public analyst cannot comment on what they cannot see
        comments.add(session, people["public"], "evidence", secret.id, "x")


def test_viewers_read_but_do_not_write(session, make, people):
    with pytest.raises(PermissionError):
        comments.add(session, people["public"], "official", make.official().id, "A viewer's remark")


def test_a_mention_notifies_the_colleague_once_and_never_the_author(session, make, people):
    official = make.official()
    comment = comments.add(
        session, people["author"], "official", official.id, "@i.koval and @I.Koval, see this; @o.petrenko too."
    )
    told = session.scalars(select(Notification)).all()
    assert [(n.user_id, n.kind, n.record_kind, n.record_id, n.comment_id) for n in told] == [
        (people["public"].id, "mention", "official", official.id, comment.id)
    ]
    assert notification_service.unread_count(session, people["public"]) == 1
    assert notification_service.unread_count(session, people["author"]) == 0


def test_a_mention_by_the_whole_address_and_an_e_mail_in_the_text(session, make, make_user, people):
    make_user("analyst", "public", email="i.koval@other.test")  # the handle is now ambiguous
    official = make.official()
    with pytest.raises(comments.CommentError, match="Several colleagues"):
        comments.add(session, people["author"], "official", official.id, "@i.koval look")
    comments.add(session, people["author"], "official", official.id, "@i.koval@tribunal.test look; mail x@y.org")
    assert [n.user_id for n in session.scalars(select(Notification))] == [people["public"].id]


def test_a_mention_of_nobody_or_of_someone_not_cleared_is_refused_and_nothing_is_saved(session, make, people):
    secret = make.evidence(classification="confidential")
    with pytest.raises(comments.CommentError, match="Nobody with an active account is called @nobody"):
        comments.add(session, people["author"], "evidence", secret.id, "Ask @nobody")
    with pytest.raises(comments.CommentError, match="@i.koval is not cleared to see this record"):
        comments.add(session, people["author"], "evidence", secret.id, "Ask @i.koval")
    people["cleared"].active = False
    session.flush()
    with pytest.raises(comments.CommentError, match="Nobody with an active account"):
        comments.add(session, people["author"], "evidence", secret.id, "Ask @m.shevchenko")
    assert session.scalars(select(Comment)).all() == []
    assert session.scalars(select(Notification)).all() == []


def test_an_edit_keeps_the_text_it_replaces_and_notifies_only_new_mentions(session, make, people):
    official = make.official()
    comment = comments.add(session, people["author"], "official", official.id, "Draft for @i.koval")
    comments.edit(session, people["author"], comment, "Final for @i.koval and @m.shevchenko", comment.version)
    assert comment.body == "Final for @i.koval and @m.shevchenko" and comment.edited_at is not None
    assert [r.body for r in comments.history(session, comment)] == ["Draft for @i.koval"]
    assert sorted(n.user_id for n in session.scalars(select(Notification))) == sorted(
        [people["public"].id, people["cleared"].id]
    )
    with pytest.raises(records.EditConflict):
        comments.edit(session, people["author"], comment, "Stale", comment.version - 1)
    with pytest.raises(PermissionError):
        comments.edit(session, people["cleared"], comment, "Not mine", comment.version)


def test_retraction_hides_the_text_keeps_its_history_and_stops_edits_and_replies(session, make, make_user, people):
    official = make.official()
    comment = comments.add(session, people["author"], "official", official.id, "Hasty remark")
    with pytest.raises(PermissionError):
        comments.retract(session, people["cleared"], comment)  # neither author nor admin
    comments.retract(session, people["author"], comment)
    assert comment.retracted_at is not None and comment.retracted_by_id == people["author"].id
    assert session.get(Comment, comment.id).body == "Hasty remark"
    with pytest.raises(comments.CommentError, match="retracted"):
        comments.edit(session, people["author"], comment, "again", comment.version)
    with pytest.raises(comments.CommentError, match="retracted"):
        comments.add(session, people["author"], "official", official.id, "reply", comment.id)
    other = comments.add(session, people["author"], "official", official.id, "Second")
    comments.retract(session, make_user("admin", "public"), other)  # an admin may
    assert other.retracted_at is not None


@pytest.mark.parametrize(
    ("body", "message"),
    [("   ", "Write something"), ("x" * 5001, "At most 5000"), ("bell\x07", "control characters")],
)
def test_bad_text_is_refused(session, make, people, body, message):
    with pytest.raises(comments.CommentError, match=message):
        comments.add(session, people["author"], "official", make.official().id, body)


def test_a_reply_must_answer_a_comment_of_the_same_record(session, make, people):
    one, two = make.official(), make.official()
    comment = comments.add(session, people["author"], "official", one.id, "On one")
    with pytest.raises(comments.CommentError, match="not in this thread"):
        comments.add(session, people["author"], "official", two.id, "Elsewhere", comment.id)


def test_a_notification_is_hidden_and_uncounted_once_the_reader_may_no_longer_see_the_record(session, make, people):
    secret = make.evidence(classification="confidential")
    reader = people["cleared"]
    comments.add(session, people["author"], "evidence", secret.id, "For @m.shevchenko")
    assert notification_service.unread_count(session, reader) == 1
    shown = notification_service.for_reader(session, reader)
    assert [s.label for s in shown] == [f"{secret.exhibit_no} {secret.title}"]
    reader.clearance = "public"
    session.flush()
    assert notification_service.unread_count(session, reader) == 0
    assert notification_service.for_reader(session, reader) == []
    reader.clearance = "confidential"
    secret.soft_delete("mistake")
    session.flush()
    assert notification_service.unread_count(session, reader) == 0


def test_marking_read_touches_only_the_readers_own(session, make, people):
    official = make.official()
    comments.add(session, people["author"], "official", official.id, "@i.koval @m.shevchenko")
    mine = session.scalars(select(Notification).where(Notification.user_id == people["public"].id)).one()
    assert notification_service.mark_read(session, people["cleared"], [mine.id]) == 0
    assert notification_service.mark_read(session, people["public"], [mine.id]) == 1
    assert notification_service.unread_count(session, people["public"]) == 0
    assert notification_service.unread_count(session, people["cleared"]) == 1


def test_comment_revisions_are_kept_in_order(session, make, people):
    comment = comments.add(session, people["author"], "decision", make.decision().id, "one")
    for text in ("two", "three"):
        comments.edit(session, people["author"], comment, text, comment.version)
    assert [r.body for r in session.scalars(select(CommentRevision).order_by(CommentRevision.id))] == ["one", "two"]
