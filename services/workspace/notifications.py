"""Notifications (issue 25 item 3): one function, ``notify``, for every kind of event.

Kinds (models/enums.py NotificationKind):
- ``mention``: a comment mentions the recipient (services/workspace/comments.py).
- ``evidence_linked``: an exhibit was linked to a fact of a watched official or dossier.
- ``element_changed``: an element of the crime changed status in a watched dossier, as the
  assessment at the recipient's clearance sees it (``detail`` "E2:partial:met").
- ``task_assigned``: a task was assigned to the recipient. The caller passes
  ``record_kind="task"`` and the task's id; the notification shows no text of the task, only
  that one was assigned and a link to it, whose page applies the task's own rules.
- ``search_result``: a record is new in the results of a watched saved search of the
  evidence list or of search (services/workspace/result_watches.py): the record itself, with
  the search's id as ``detail``; or, when a commit brought several, the search, with how many
  as ``detail`` and the watcher's clearance.
- ``import_linked``: an import run linked evidence to officials the recipient watches
  (services/workspace/watches.py ``imported``): the run, with how many officials as
  ``detail``, shown only at the clearance of the exhibits counted.

What is stored is references, never text: a notification is rendered when it is read, through
the reader's clearance then (``visible_filter``), so what a reader may not see -- or no longer
may see after a lower clearance -- is neither listed nor counted. ``notify`` checks the same
rule when it is called (nobody is told of a record they may not see). When SMTP is configured
it also mails the recipient a neutral line with the link, after the commit
(services/workspace/mail.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session, aliased, selectinload

from models import Comment, Decision, Evidence, ImportRun, Notification, Official, SavedSearch, Support, User
from models.base import utcnow
from models.enums import NOTIFICATION_KINDS
from services.common.access import visible_classifications
from services.workspace import mail
from services.workspace.records import record_visible

PAGE_SIZE = 50


def notify(
    session: Session,
    recipient: User,
    kind: str,
    record_kind: str,
    record_id: int,
    *,
    actor: User | None = None,
    comment: Comment | None = None,
    detail: str | None = None,
    clearance: str | None = None,
) -> Notification | None:
    """Tell ``recipient`` that ``kind`` happened to the record; None (nobody told) when the
    recipient is disabled, is the actor, or may not see the record (or the view at ``clearance``)."""
    if kind not in NOTIFICATION_KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not recipient.active or (actor is not None and actor.id == recipient.id):
        return None
    visible = visible_classifications(recipient)
    if clearance is not None and clearance not in visible:
        return None
    if record_kind != "task" and not record_visible(session, record_kind, record_id, visible):
        return None
    notification = Notification(
        user_id=recipient.id,
        kind=kind,
        record_kind=record_kind,
        record_id=record_id,
        actor_id=actor.id if actor is not None else None,
        comment_id=comment.id if comment is not None else None,
        detail=detail,
        clearance=clearance,
    )
    session.add(notification)
    session.flush()
    mail.queue_for(session, notification, recipient)
    return notification


def visible_filter(visible: Sequence[str]) -> ColumnElement[bool]:
    """The notifications a reader cleared for ``visible`` may see: of a record that still
    exists, is not deleted and is within the clearance, and (for an element's change) of an
    assessment at a clearance they hold. Used by the list and the count alike."""
    official = aliased(Official)
    decision = aliased(Decision)
    exhibit = aliased(Evidence)
    support = aliased(Support)
    linked = aliased(Evidence)
    search = aliased(SavedSearch)
    run = aliased(ImportRun)
    n = Notification
    return and_(
        or_(n.clearance.is_(None), n.clearance.in_(visible)),
        or_(
            and_(
                n.record_kind.in_(("official", "dossier")),
                select(official.id).where(official.id == n.record_id, official.deleted_at.is_(None)).exists(),
            ),
            and_(
                n.record_kind == "decision",
                select(decision.id).where(decision.id == n.record_id, decision.deleted_at.is_(None)).exists(),
            ),
            and_(
                n.record_kind == "evidence",
                select(exhibit.id)
                .where(exhibit.id == n.record_id, exhibit.deleted_at.is_(None), exhibit.classification.in_(visible))
                .exists(),
            ),
            and_(
                n.record_kind == "support",
                select(support.id)
                .join(linked, linked.id == support.evidence_id)
                .where(support.id == n.record_id, linked.deleted_at.is_(None), linked.classification.in_(visible))
                .exists(),
            ),
            n.record_kind == "task",
            and_(
                n.record_kind == "saved_search",
                select(search.id).where(search.id == n.record_id, search.user_id == n.user_id).exists(),
            ),
            and_(n.record_kind == "import_run", select(run.id).where(run.id == n.record_id).exists()),
        ),
    )


def unread_count(session: Session, user: User) -> int:
    """What the header shows: one query."""
    visible = visible_classifications(user)
    return int(
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None), visible_filter(visible))
        )
        or 0
    )


@dataclass(frozen=True)
class Shown:
    notification: Notification
    label: str  # the record's name as the reader may see it: an official's name, an exhibit's number
    search: SavedSearch | None = None  # the reader's saved search a record is new in (``search_result``)


def for_reader(session: Session, user: User, *, limit: int = PAGE_SIZE) -> list[Shown]:
    """The reader's notifications, newest first, each rendered through their clearance now."""
    visible = visible_classifications(user)
    rows = session.scalars(
        select(Notification)
        .where(Notification.user_id == user.id, visible_filter(visible))
        .options(selectinload(Notification.actor), selectinload(Notification.comment))
        .order_by(Notification.id.desc())
        .limit(limit)
    ).all()
    labels = record_labels(session, [(n.record_kind, n.record_id) for n in rows])
    searches = _searches(session, user, rows)
    return [Shown(n, labels.get((n.record_kind, n.record_id), ""), searches.get(_search_id(n))) for n in rows]


def _search_id(n: Notification) -> int | None:
    """The reader's saved search a ``search_result`` notification is about."""
    if n.kind != "search_result":
        return None
    if n.record_kind == "saved_search":
        return n.record_id
    return int(n.detail) if n.detail and n.detail.isdecimal() else None


def _searches(session: Session, user: User, rows: Sequence[Notification]) -> dict[int | None, SavedSearch]:
    """The reader's own saved searches these notifications name: one query (none without)."""
    ids = {i for i in (_search_id(n) for n in rows) if i is not None}
    if not ids:
        return {}
    found = session.scalars(select(SavedSearch).where(SavedSearch.id.in_(ids), SavedSearch.user_id == user.id))
    return {s.id: s for s in found}


def record_labels(session: Session, records: Sequence[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """Records' names, for a reader who may see them (callers check): one query per kind of
    record, however many notifications name them."""
    wanted: dict[str, set[int]] = {}
    for kind, record_id in records:
        wanted.setdefault("official" if kind == "dossier" else kind, set()).add(record_id)
    labels: dict[tuple[str, int], str] = {}
    if wanted.get("official"):
        for official in session.scalars(select(Official).where(Official.id.in_(wanted["official"]))):
            labels["official", official.id] = labels["dossier", official.id] = official.name
    if wanted.get("decision"):
        for decision in session.scalars(select(Decision).where(Decision.id.in_(wanted["decision"]))):
            labels["decision", decision.id] = decision.title
    if wanted.get("evidence"):
        for evidence in session.scalars(select(Evidence).where(Evidence.id.in_(wanted["evidence"]))):
            labels["evidence", evidence.id] = f"{evidence.exhibit_no} {evidence.title}"
    if wanted.get("support"):
        rows = session.execute(
            select(Support.id, Evidence.exhibit_no)
            .join(Evidence, Evidence.id == Support.evidence_id)
            .where(Support.id.in_(wanted["support"]))
        )
        for support_id, exhibit_no in rows:
            labels["support", support_id] = exhibit_no
    if wanted.get("saved_search"):
        for search in session.scalars(select(SavedSearch).where(SavedSearch.id.in_(wanted["saved_search"]))):
            labels["saved_search", search.id] = search.name
    if wanted.get("import_run"):
        for run in session.scalars(select(ImportRun).where(ImportRun.id.in_(wanted["import_run"]))):
            labels["import_run", run.id] = run.file_name or f"#{run.id}"
    return labels


def mark_read(session: Session, user: User, notification_ids: Sequence[int] | None = None) -> int:
    """Mark the reader's unread notifications read (those of ``notification_ids``, or all);
    returns how many. Another user's ids change nothing."""
    query = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_ids is not None:
        query = query.where(Notification.id.in_(list(notification_ids)))
    result = session.execute(query.values(read_at=utcnow()).execution_options(synchronize_session=False))
    session.flush()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
