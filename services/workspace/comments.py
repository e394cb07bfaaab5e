"""Comments on officials, decisions, exhibits, links of evidence (supports) and dossiers
(issue 25 item 2).

- A thread is the comments of one record; a reply answers one comment of the same record.
- A comment has no clearance of its own: it is seen by whoever may see its record
  (services/workspace/records.py), and by nobody else -- not even as a count.
- Writing: analysts and above (the role model: a viewer reads and downloads, and writes
  nothing of the case file; comments are part of it, audited like every write). Viewers read
  threads and can be mentioned.
- An edit keeps the text it replaces as a revision; retracting (by the author or an admin)
  hides the text from the thread but keeps it, and every revision, in the comment's history,
  which anyone who sees the comment may read. Nothing is ever deleted.
- ``@handle`` mentions a colleague: the handle is the part of their e-mail address before
  the @ (``@o.petrenko``), or the whole address when two active users share that part
  (``@o.petrenko@example.org``). A mention of nobody, of a disabled account, or of a
  colleague who is not cleared to see the record is refused with a message saying so, and
  nothing is saved: a mention never tells anyone about a record they may not see.
- Each newly mentioned colleague is notified (services/workspace/notifications.py), on
  creation and on an edit that adds their mention.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import Comment, CommentRevision, User
from models.base import utcnow
from models.enums import COMMENTED_RECORDS
from services.common import records
from services.common.access import role_at_least, visible_classifications
from services.common.text_rules import text_fault
from services.workspace import notifications
from services.workspace.records import record_visible

BODY_LENGTH = 5000
# "@" not preceded by a word character (an e-mail address in the text is not a mention),
# then a handle, optionally followed by "@domain"
MENTION = re.compile(r"(?<![\w@])@([\w][\w.+-]*(?:@[\w-]+(?:\.[\w-]+)+)?)")


class CommentError(ValueError):
    """A comment that cannot be written; the message says why, in the reader's language."""


@dataclass
class Node:
    comment: Comment
    replies: list[Node] = field(default_factory=list)


def may_write(user: User | None) -> bool:
    return role_at_least(user, "analyst")


def thread(session: Session, kind: str, record_id: int, visible: Sequence[str]) -> list[Node]:
    """The comments of a record as a tree (oldest first at each level); empty for a record
    the reader may not see, whatever it holds."""
    if kind not in COMMENTED_RECORDS or not record_visible(session, kind, record_id, visible):
        return []
    comments = session.scalars(
        select(Comment)
        .where(Comment.record_kind == kind, Comment.record_id == record_id)
        .options(selectinload(Comment.author), selectinload(Comment.retracted_by))
        .order_by(Comment.id)
    ).all()
    nodes = {c.id: Node(c) for c in comments}
    roots: list[Node] = []
    for comment in comments:
        parent = nodes.get(comment.parent_id) if comment.parent_id is not None else None
        (parent.replies if parent is not None else roots).append(nodes[comment.id])
    return roots


def visible_comment(session: Session, comment_id: int, visible: Sequence[str]) -> Comment | None:
    """The comment ``comment_id`` when the reader may see its record; None otherwise (as missing)."""
    comment = session.get(Comment, comment_id)
    if comment is None or not record_visible(session, comment.record_kind, comment.record_id, visible):
        return None
    return comment


def _clean_body(body: str | None) -> str:
    text = (body or "").strip()
    if not text:
        raise CommentError(_("Write something to comment."))
    if len(text) > BODY_LENGTH:
        raise CommentError(_("At most %(max)d characters.", max=BODY_LENGTH))
    if text_fault(text) is not None:
        raise CommentError(_("This text holds control characters that cannot be stored: remove them."))
    return text


def handle_of(user: User) -> str:
    return user.email.split("@", 1)[0]


def _named(session: Session, handle: str) -> list[User]:
    """The active users a handle names: by e-mail address, or by the part before the @."""
    if "@" in handle:
        return list(session.scalars(select(User).where(User.email == handle, User.active.is_(True))))
    found = session.scalars(
        select(User).where(User.email.startswith(handle + "@", autoescape=True), User.active.is_(True))
    )
    return [u for u in found if handle_of(u) == handle]


def _handles(body: str) -> list[str]:
    handles: list[str] = []
    for raw in MENTION.findall(body):
        handle = raw.rstrip(".-+").lower()  # a mention ending a sentence
        if handle not in handles:
            handles.append(handle)
    return handles


def mentioned(session: Session, body: str, kind: str, record_id: int) -> list[User]:
    """The colleagues ``body`` mentions, each once, in order; CommentError names the first
    handle that is nobody's, is ambiguous, or names someone not cleared to see the record."""
    users: list[User] = []
    for handle in _handles(body):
        found = _named(session, handle)
        if not found:
            raise CommentError(
                _("Nobody with an active account is called @%(handle)s: nothing was saved.", handle=handle)
            )
        if len(found) > 1:
            raise CommentError(
                _(
                    "Several colleagues are called @%(handle)s: write the whole e-mail address (@%(example)s)."
                    " Nothing was saved.",
                    handle=handle,
                    example=found[0].email,
                )
            )
        user = found[0]
        if not record_visible(session, kind, record_id, visible_classifications(user)):
            raise CommentError(
                _(
                    "@%(handle)s is not cleared to see this record, so cannot be mentioned here: nothing was"
                    " saved and nobody was told.",
                    handle=handle,
                )
            )
        if user not in users:
            users.append(user)
    return users


def _already_mentioned(session: Session, body: str) -> set[int]:
    """Who an earlier text of a comment named (handles that name one active user)."""
    ids: set[int] = set()
    for handle in _handles(body):
        found = _named(session, handle)
        if len(found) == 1:
            ids.add(found[0].id)
    return ids


def add(
    session: Session, author: User, kind: str, record_id: int, body: str | None, parent_id: int | None = None
) -> Comment:
    """A new comment (a reply when ``parent_id`` names a comment of the same record)."""
    visible = visible_classifications(author)
    if kind not in COMMENTED_RECORDS or not record_visible(session, kind, record_id, visible):
        raise LookupError("no such record")  # the view answers 404: hidden is missing
    if not may_write(author):
        raise PermissionError("comments are written by analysts and above")
    text = _clean_body(body)
    if parent_id is not None:
        parent = session.get(Comment, parent_id)
        if parent is None or (parent.record_kind, parent.record_id) != (kind, record_id):
            raise CommentError(_("The comment you answered is not in this thread: nothing was saved."))
        if parent.retracted_at is not None:
            raise CommentError(_("The comment you answered was retracted: nothing was saved."))
    people = mentioned(session, text, kind, record_id)
    comment = Comment(record_kind=kind, record_id=record_id, parent_id=parent_id, author_id=author.id, body=text)
    session.add(comment)
    session.flush()
    _notify(session, comment, people, author)
    return comment


def edit(session: Session, user: User, comment: Comment, body: str | None, version: int | None) -> Comment:
    """Replace the comment's text (its author alone, while it stands); the text it had becomes
    a revision. A stale ``version`` raises records.EditConflict."""
    if comment.author_id != user.id or not may_write(user):
        raise PermissionError("only the author edits a comment")
    if comment.retracted_at is not None:
        raise CommentError(_("A retracted comment cannot be edited."))
    text = _clean_body(body)
    records.check_version(comment, version)
    if text == comment.body:
        return comment
    before = _already_mentioned(session, comment.body)
    people = mentioned(session, text, comment.record_kind, comment.record_id)
    now = utcnow()
    session.add(
        CommentRevision(
            comment=comment, body=comment.body, written_at=comment.edited_at or comment.created_at, replaced_at=now
        )
    )
    comment.body = text
    comment.edited_at = now
    records.flush_or_conflict(session)
    _notify(session, comment, [u for u in people if u.id not in before], user)
    return comment


def retract(session: Session, user: User, comment: Comment) -> None:
    """Withdraw a comment: its author, or an administrator. The text stays in its history."""
    if not (comment.author_id == user.id and may_write(user)) and not role_at_least(user, "admin"):
        raise PermissionError("only the author or an admin retracts a comment")
    if comment.retracted_at is not None:
        return
    comment.retracted_at = utcnow()
    comment.retracted_by_id = user.id
    records.flush_or_conflict(session)


def history(session: Session, comment: Comment) -> list[CommentRevision]:
    """The texts the comment had before its current one, oldest first."""
    return list(
        session.scalars(
            select(CommentRevision).where(CommentRevision.comment_id == comment.id).order_by(CommentRevision.id)
        )
    )


def _notify(session: Session, comment: Comment, people: list[User], author: User) -> None:
    for person in people:
        if person.id != author.id:
            notifications.notify(
                session,
                person,
                "mention",
                comment.record_kind,
                comment.record_id,
                actor=author,
                comment=comment,
            )
