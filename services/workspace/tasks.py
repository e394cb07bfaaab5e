"""Tasks from a dossier's gaps (issue 25 item 1).

A gap of a dossier (services/assessment/elements.py) names what to do next. Any of them can
become a task: assigned to a user who can do it, due by a date, open, in progress, done, or
given up ("won't do", with a reason). A task is about a gap as its creator's clearance
assesses it, and is shown only to users cleared as far (the gap's sentence, even its
existence, can rest on evidence below that clearance's line). Its assignee must be such a
user, active, and able to change facts (an analyst or above).

A gap is named by what stays put as the evidence changes -- the official, the element it
holds back, the record it is about and the action it asks for (``GapKey``) -- not by its
sentence ("no supporting evidence" becomes "rests only on D-graded sources" while the gap
stays). When the stored dossier summaries are rewritten (services/dossiers/summaries.py,
inside the flush that changed the facts), every task still to do whose gap is no longer
among its clearance's gaps is closed as done, by itself; the audit trail records it, as it
records every task made or changed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Table, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from models import Official, Task, User
from models.base import utcnow
from models.enums import ACTIVE_TASK_STATUSES, CLASSIFICATIONS, LOCALES, USER_ROLES, TaskStatus
from models.task import GAP_ACTIONS, GAP_ELEMENTS, GAP_TARGETS
from services.assessment.elements import assess_dossier
from services.assessment.types import Assessment, DossierFacts
from services.audit import trail
from services.workspace.notifications import notify

# The role a user needs to be given a task, or to make and change tasks
WORKING_ROLE = "analyst"
REASON_LENGTH = 2000
# How far ahead a due date may be set (a typo such as 2206 would never show as overdue)
LONGEST_DUE = dt.timedelta(days=5 * 366)

TASK: Table = cast(Table, Task.__table__)


class TaskError(ValueError):
    """A task that cannot be made or changed so; the message says why, ``field`` where."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class GapKey:
    """One gap of one official's dossier, as a task names it."""

    element: str
    target_kind: str
    target_id: int
    action: str

    def __str__(self) -> str:
        return f"{self.element}:{self.target_kind}:{self.target_id}:{self.action}"

    @classmethod
    def parse(cls, text: str) -> GapKey | None:
        """``E2:tenure:5:evidence`` as a key; None for anything else."""
        parts = text.split(":")
        if len(parts) != 4:
            return None
        element, kind, raw_id, action = parts
        if element not in GAP_ELEMENTS or kind not in GAP_TARGETS or action not in GAP_ACTIONS:
            return None
        if not (raw_id.isdecimal() and raw_id.isascii() and len(raw_id) <= 10) or int(raw_id) > 2**31 - 1:
            return None
        return cls(element, kind, int(raw_id), action)

    @classmethod
    def of(cls, task: Task) -> GapKey:
        return cls(task.element, task.target_kind, task.target_id, task.action)


def gap_keys(assessment: Assessment) -> set[GapKey]:
    """Every gap of an assessment, once for each element it holds back."""
    return {
        GapKey(element, gap.target[0], gap.target[1], gap.action) for gap in assessment.gaps for element in gap.elements
    }


def first_key(element_codes: tuple[str, ...], target: tuple[str, int], action: str) -> GapKey:
    """The key a task takes for a gap as the dossier lists it: its first element's."""
    return GapKey(element_codes[0], target[0], target[1], action)


def clearance_of(user: User) -> str:
    """The clearance a user's assessment is made at: their own (public when disabled)."""
    return user.clearance if user.active else CLASSIFICATIONS[0]


def cleared(clearance: str) -> tuple[str, ...]:
    """The clearances of the users who may see something assessed at ``clearance``."""
    return CLASSIFICATIONS[CLASSIFICATIONS.index(clearance) :]


def gap_texts(
    facts: DossierFacts, key: GapKey, *, clearance: str, scope_start: dt.date, today: dt.date, four_eyes: bool = False
) -> dict[str, str] | None:
    """The gap's sentence in each interface language as ``clearance`` assesses the facts (with
    the dossier page's rules: ``four_eyes``, the FOUR_EYES_GRADES setting), or None when the
    dossier has no such gap at that clearance."""
    visible = CLASSIFICATIONS[: CLASSIFICATIONS.index(clearance) + 1]
    texts: dict[str, str] = {}
    for locale in LOCALES:
        with force_locale(locale):
            assessment = assess_dossier(
                facts, visible=visible, scope_start=scope_start, today=today, with_modes=False, four_eyes=four_eyes
            )
        found = [
            gap.text
            for gap in assessment.gaps
            if key.element in gap.elements
            and gap.target == (key.target_kind, key.target_id)
            and gap.action == key.action
        ]
        if not found:
            return None
        texts[locale] = "; ".join(found)  # one key, several sentences: an act's start and end dates
    return texts


# --- who --------------------------------------------------------------------------------------


def assignees(session: Session, clearance: str) -> list[User]:
    """The users a task seen at ``clearance`` can be given: active, able to work on facts
    (analysts and above) and cleared as far."""
    working = USER_ROLES[USER_ROLES.index(WORKING_ROLE) :]
    return list(
        session.scalars(
            select(User)
            .where(User.active.is_(True), User.role.in_(working), User.clearance.in_(cleared(clearance)))
            .order_by(func.coalesce(User.name, User.email), User.id)
        )
    )


MAX_USER_ID = 2**31 - 1


def _assignee(session: Session, user_id: int | None, clearance: str) -> User:
    if user_id is None:
        raise TaskError(_("Choose who is to do it."), "assignee_id")
    # an id past PostgreSQL's integer names nobody (and must not reach the query: a 500 there)
    user = session.get(User, user_id) if 0 < user_id <= MAX_USER_ID else None
    if user is None:
        raise TaskError(_("There is no such user: choose someone from the list."), "assignee_id")
    if not (user.active and user.has_role(WORKING_ROLE)):
        raise TaskError(
            _(
                "%(name)s cannot be given tasks: only active analysts, prosecutors and admins can.",
                name=user.name or user.email,
            ),
            "assignee_id",
        )
    if user.clearance not in cleared(clearance):
        raise TaskError(
            _(
                "%(name)s is not cleared to see this gap: choose someone cleared to see it.",
                name=user.name or user.email,
            ),
            "assignee_id",
        )
    return user


def _due(due_date: dt.date | None, today: dt.date, *, was: dt.date | None = None) -> dt.date:
    if due_date is None:
        raise TaskError(_("Give a due date."), "due_date")
    if due_date < today and due_date != was:
        raise TaskError(_("The due date cannot be in the past."), "due_date")
    if due_date > today + LONGEST_DUE:
        raise TaskError(_("The due date is more than five years away: check the year."), "due_date")
    return due_date


def _reason(status: str, reason: str | None) -> str | None:
    text = (reason or "").strip()
    if status != TaskStatus.WONT_DO:
        return None
    if not text:
        raise TaskError(_("Say why this task won't be done."), "reason")
    if len(text) > REASON_LENGTH:
        raise TaskError(_("At most %(max)d characters.", max=REASON_LENGTH), "reason")
    return text


# --- making and changing ------------------------------------------------------------------------


def create(
    session: Session,
    official: Official,
    key: GapKey,
    texts: Mapping[str, str],
    *,
    creator: User,
    assignee_id: int | None,
    due_date: dt.date | None,
    today: dt.date,
) -> Task:
    """A task for the gap ``key`` of ``official``'s dossier as ``creator``'s clearance sees it
    (``texts``, from ``gap_texts``). Refused: an assignee who cannot take it, a due date in the
    past, a gap that already has a task still to do."""
    clearance = clearance_of(creator)
    assignee = _assignee(session, assignee_id, clearance)
    due = _due(due_date, today)
    if active_for(session, official.id, key, clearance) is not None:
        raise TaskError(_("This gap already has a task still to do: see the dossier's tasks."))
    task = Task(
        official_id=official.id,
        element=key.element,
        target_kind=key.target_kind,
        target_id=key.target_id,
        action=key.action,
        clearance=clearance,
        gap_texts=dict(texts),
        assignee_id=assignee.id,
        due_date=due,
        status=TaskStatus.OPEN.value,
        created_by_id=creator.id,
    )
    try:
        with session.begin_nested():
            session.add(task)
    except IntegrityError as exc:  # the same gap made a task meanwhile (another tab, a colleague)
        raise TaskError(_("This gap already has a task still to do: see the dossier's tasks.")) from exc
    _tell_assignee(session, task, assignee, creator)
    return task


def _tell_assignee(session: Session, task: Task, assignee: User, actor: User | None) -> None:
    """A notification (services/workspace/notifications.py) that the task is theirs: no text
    of the task, and shown only while they are cleared as far as the task's clearance."""
    notify(session, assignee, "task_assigned", "task", task.id, actor=actor, clearance=task.clearance)


def active_for(session: Session, official_id: int, key: GapKey, clearance: str) -> Task | None:
    return session.scalars(
        select(Task).where(
            Task.official_id == official_id,
            Task.element == key.element,
            Task.target_kind == key.target_kind,
            Task.target_id == key.target_id,
            Task.action == key.action,
            Task.clearance == clearance,
            Task.status.in_(ACTIVE_TASK_STATUSES),
        )
    ).first()


@dataclass(frozen=True)
class TaskChange:
    assignee_id: int | None
    due_date: dt.date | None
    status: str
    reason: str | None


def change(session: Session, task: Task, new: TaskChange, *, today: dt.date) -> bool:
    """Give ``task`` another assignee, due date or status (``won't do`` with a reason). True
    when it was given to someone new."""
    if new.status not in TaskStatus.values():
        raise TaskError(_("Choose a status."), "status")
    reason = _reason(new.status, new.reason)
    reassigned = new.assignee_id != task.assignee_id
    if reassigned:
        assignee = _assignee(session, new.assignee_id, task.clearance)
        task.assignee_id = assignee.id
        actor_id = trail.current_actor_id()
        _tell_assignee(session, task, assignee, session.get(User, actor_id) if actor_id is not None else None)
    task.due_date = _due(new.due_date, today, was=task.due_date)
    if new.status != task.status:
        task.closed_by_gap = False
        task.closed_at = None if new.status in ACTIVE_TASK_STATUSES else utcnow()
    task.status = new.status
    task.reason = reason
    return reassigned


# --- reading ------------------------------------------------------------------------------------


def _visible(visible: Iterable[str]) -> Any:
    return (
        select(Task)
        .join(Official, Official.id == Task.official_id)
        .where(Task.clearance.in_(tuple(visible)), Official.deleted_at.is_(None))
    )


def _loaded(session: Session, query: Any) -> list[Task]:
    return list(session.scalars(query.options(joinedload(Task.assignee), joinedload(Task.official))))


def visible_task(session: Session, task_id: int, visible: Iterable[str]) -> Task | None:
    """The task, if the viewer's clearance covers it; None as for a missing one."""
    found = _loaded(session, _visible(visible).where(Task.id == task_id))
    return found[0] if found else None


def assigned_to(session: Session, user: User, visible: Iterable[str], *, closed_shown: int = 50) -> list[Task]:
    """A user's tasks: still to do first, soonest due first; then the latest closed ones."""
    query = _visible(visible).where(Task.assignee_id == user.id)
    still = query.where(Task.status.in_(ACTIVE_TASK_STATUSES)).order_by(Task.due_date, Task.id)
    closed = query.where(Task.status.not_in(ACTIVE_TASK_STATUSES)).order_by(Task.closed_at.desc(), Task.id.desc())
    return _loaded(session, still) + _loaded(session, closed.limit(closed_shown))


def of_official(session: Session, official_id: int, visible: Iterable[str]) -> dict[str, list[Task]]:
    """The team board of one dossier: its tasks the viewer may see, by status."""
    query = _visible(visible).where(Task.official_id == official_id).order_by(Task.due_date, Task.id)
    board: dict[str, list[Task]] = {status: [] for status in TaskStatus.values()}
    for task in _loaded(session, query):
        board[task.status].append(task)
    return board


def overdue_counts(
    session: Session, official_ids: Iterable[int], visible: Iterable[str], today: dt.date
) -> dict[int, int]:
    """How many tasks each official has past their due date and still to do, among those the
    viewer may see (one query for a page of the index)."""
    ids = list(official_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Task.official_id, func.count())
        .where(
            Task.official_id.in_(ids),
            Task.clearance.in_(tuple(visible)),
            Task.status.in_(ACTIVE_TASK_STATUSES),
            Task.due_date < today,
        )
        .group_by(Task.official_id)
    )
    return {official_id: int(count) for official_id, count in rows}


# --- closing by itself ----------------------------------------------------------------------------


def close_vanished(session: Session, present: Mapping[tuple[int, str], set[GapKey]]) -> int:
    """Close every task still to do of the officials in ``present`` whose gap is not among
    the gaps of its clearance (``present[(official_id, clearance)]``, as just assessed).

    Runs inside a flush (the summaries' rewrite), so it writes with Core on the flush's
    connection and leaves the audit event to the trail by hand. Returns how many closed."""
    officials = sorted({official_id for official_id, _clearance in present})
    if not officials:
        return 0
    conn = session.connection()
    rows = conn.execute(
        select(
            TASK.c.id,
            TASK.c.official_id,
            TASK.c.clearance,
            TASK.c.element,
            TASK.c.target_kind,
            TASK.c.target_id,
            TASK.c.action,
            TASK.c.status,
        ).where(TASK.c.official_id.in_(officials), TASK.c.status.in_(ACTIVE_TASK_STATUSES))
    ).all()
    gone: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        keys = present.get((row.official_id, row.clearance))
        if keys is None:
            continue  # this official's rows at that clearance were not assessed here
        if GapKey(row.element, row.target_kind, row.target_id, row.action) not in keys:
            gone[row.status].append(row.id)
    now = utcnow()
    for status, ids in gone.items():
        conn.execute(
            update(TASK)
            .where(TASK.c.id.in_(ids))
            .values(
                status=TaskStatus.DONE.value,
                closed_by_gap=True,
                closed_at=now,
                updated_at=now,
                version=TASK.c.version + 1,
            )
        )
        for task_id in ids:
            trail.record_update(
                session, "task", task_id, {"status": status}, {"status": TaskStatus.DONE.value, "closed_by_gap": True}
            )
    return sum(len(ids) for ids in gone.values())
